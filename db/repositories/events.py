from __future__ import annotations

import builtins
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import JobEvent, JobEventType, JobStatus, ProcessingJob

# Any constant works; it only has to be the same for every writer of job_events.
_EVENT_ORDER_LOCK = 0x7061_7065_726C_616E  # "paperlan"


class EventRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(
        self, job: ProcessingJob, type: JobEventType, message: str | None = None
    ) -> JobEvent:
        """Append an event describing ``job`` as it is now, in the caller's transaction.

        A transaction-scoped advisory lock makes event ids commit in order: a subscriber that
        saw id N can never later miss an id below N that committed after it (identity values
        are handed out at insert time, not at commit). The lock is held from the first event
        insert to the commit, which the services keep short.
        """
        await self.session.execute(select(func.pg_advisory_xact_lock(_EVENT_ORDER_LOCK)))
        queued = job.status == JobStatus.QUEUED.value
        event = JobEvent(
            job_id=job.id,
            document_id=job.document_id,
            type=type.value,
            status=job.status,
            progress=job.progress_percentage,
            stage=job.current_stage,
            message=message,
            attempt=job.attempt + 1 if queued else job.attempt,
        )
        self.session.add(event)
        await self.session.flush()
        return event

    async def list(
        self,
        *,
        job_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
        after_id: int | None = None,
        limit: int = 1000,
    ) -> builtins.list[JobEvent]:
        stmt = select(JobEvent).order_by(JobEvent.id).limit(limit)
        if job_id is not None:
            stmt = stmt.where(JobEvent.job_id == job_id)
        if document_id is not None:
            stmt = stmt.where(JobEvent.document_id == document_id)
        if after_id is not None:
            stmt = stmt.where(JobEvent.id > after_id)
        return list(await self.session.scalars(stmt))

    async def for_jobs(self, job_ids: Sequence[uuid.UUID]) -> builtins.list[JobEvent]:
        stmt = select(JobEvent).where(JobEvent.job_id.in_(job_ids)).order_by(JobEvent.id)
        return list(await self.session.scalars(stmt))

    async def last_id(self) -> int:
        return int(await self.session.scalar(select(func.coalesce(func.max(JobEvent.id), 0))) or 0)
