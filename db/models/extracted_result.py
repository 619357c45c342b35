from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, created_at, uuid_pk

if TYPE_CHECKING:
    from db.models.document import Document


class ExtractedResult(Base):
    """The one extraction result of a document (replaced when a retry completes).

    ``structured_output_json`` is the machine output ``{"fields": …, "evidence": …}`` and never
    changes after the job; ``reviewed_output_json`` holds the reviewer's fields. ``version`` is the
    optimistic-concurrency token of review saves.
    """

    __tablename__ = "extracted_results"

    id: Mapped[uuid.UUID] = uuid_pk()
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("processing_jobs.id", ondelete="CASCADE"), nullable=False
    )
    raw_text: Mapped[str] = mapped_column(Text, nullable=False)
    structured_output_json: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    reviewed_output_json: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    is_finalized: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )

    document: Mapped[Document] = relationship(back_populates="result", lazy="raise")
