from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, created_at, status_check, uuid_pk
from db.models.enums import JobStatus, values

if TYPE_CHECKING:
    from db.models.document import Document


class ProcessingJob(Base):
    """One processing run of a document; the outbox row for its Celery task.

    ``attempt`` counts claims (1 for the first run); ``retry_count`` counts reviewer retries.
    ``lease_expires_at`` is renewed by the running worker; the sweeper reclaims expired leases.
    ``queued_at`` is when the job last entered QUEUED; the sweeper re-enqueues stale ones.
    """

    __tablename__ = "processing_jobs"
    __table_args__ = (
        CheckConstraint(status_check("status", values(JobStatus)), name="status"),
        CheckConstraint("progress_percentage BETWEEN 0 AND 100", name="progress"),
        Index("ix_processing_jobs_document_created", "document_id", "created_at"),
        Index("ix_processing_jobs_status_queued", "status", "queued_at"),
        Index("ix_processing_jobs_status_lease", "status", "lease_expires_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=JobStatus.QUEUED.value)
    progress_percentage: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    current_stage: Mapped[str | None] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    retry_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    queued_at: Mapped[datetime] = created_at()
    created_at: Mapped[datetime] = created_at()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    document: Mapped[Document] = relationship(back_populates="jobs", lazy="raise")
