from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, created_at, status_check
from db.models.enums import JobEventType, JobStatus, values


class JobEvent(Base):
    """An append-only record of a job state change; ``id`` is its position in the feed and the
    subscribers' resume cursor (``db.repositories.events``)."""

    __tablename__ = "job_events"
    # id and occurred_at come back with the INSERT (RETURNING), not by a second query.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint(status_check("type", values(JobEventType)), name="type"),
        CheckConstraint(status_check("status", values(JobStatus)), name="status"),
        Index("ix_job_events_job_id", "job_id", "id"),
        Index("ix_job_events_document_id", "document_id", "id"),
    )

    # The feed position, computed by EventRepository.add (see db/repositories/events.py).
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("processing_jobs.id", ondelete="CASCADE"), nullable=False
    )
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
    )
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    progress: Mapped[int] = mapped_column(Integer, nullable=False)
    stage: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    occurred_at: Mapped[datetime] = created_at()
