"""Every write of ``processing_jobs.status`` lives here, as a conditional UPDATE.

Each transition names the states it may start from; a call that finds the job elsewhere changes
nothing and returns ``None``. That is what makes duplicate deliveries, concurrent retries and
cancels, and a worker racing the sweeper harmless: PostgreSQL re-checks the WHERE clause after
waiting for a concurrent writer's row lock, so exactly one of them wins.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Interval, bindparam, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Document, DocumentStatus, JobStatus, ProcessingJob
from db.repositories.bulk import ORM, Columns, rows_params, unnest_rows

RESTARTABLE = (JobStatus.FAILED.value, JobStatus.CANCELLED.value)


@functools.cache
def _advance_statement() -> Any:
    """``JobRepository.advance`` with bind parameters (``advance_statement`` names them)."""
    return (
        update(ProcessingJob)
        # JobRepository._owned with named parameters. No parameter may be named like a column
        # of the table: an UPDATE's execution parameters with column names become SET values.
        .where(
            ProcessingJob.id == bindparam("job_id"),
            ProcessingJob.status == bindparam("owned_status"),
            ProcessingJob.attempt == bindparam("owned_attempt"),
        )
        .values(progress_percentage=bindparam("new_progress"), current_stage=bindparam("new_stage"))
        .returning(*ProcessingJob.__table__.c)
    )


@functools.cache
def _claim_statement() -> Any:
    """``JobRepository.claim`` with bind parameters (``claim_statement`` names them)."""
    return (
        update(ProcessingJob)
        .where(
            ProcessingJob.id == bindparam("job_id"),
            ProcessingJob.status == JobStatus.QUEUED.value,
        )
        .values(
            status=JobStatus.PROCESSING.value,
            attempt=ProcessingJob.attempt + 1,
            lease_expires_at=func.now() + bindparam("lease_length", type_=Interval),
            started_at=func.now(),
            completed_at=None,
            progress_percentage=5,
            current_stage="starting",
            error_code=None,
            error_message=None,
        )
        .returning(*ProcessingJob.__table__.c)
    )


@functools.cache
def _complete_statement() -> Any:
    """PROCESSING → COMPLETED by the owning attempt, unless a cancel was asked for (then the
    caller takes the slow path, which records the cancel)."""
    return (
        update(ProcessingJob)
        .where(
            ProcessingJob.id == bindparam("job_id"),
            ProcessingJob.status == bindparam("owned_status"),
            ProcessingJob.attempt == bindparam("owned_attempt"),
            ProcessingJob.cancel_requested.is_(False),
        )
        .values(
            status=JobStatus.COMPLETED.value,
            progress_percentage=100,
            current_stage=JobStatus.COMPLETED.value.lower(),
            error_code=None,
            error_message=None,
            lease_expires_at=None,
            completed_at=func.now(),
        )
        .returning(*ProcessingJob.__table__.c)
    )


# What ``JobRepository.create_many`` takes from each row.
_CREATED_COLUMNS: Columns = (("id", PG_UUID(as_uuid=True)), ("document_id", PG_UUID(as_uuid=True)))


@functools.cache
def _create_jobs() -> Any:
    """``create_many``'s INSERT of QUEUED jobs from arrays: one statement for any number of rows,
    built once (``db.repositories.bulk``)."""
    rows = unnest_rows(_CREATED_COLUMNS)
    queued = {
        "status": JobStatus.QUEUED.value,
        "progress_percentage": 0,
        "current_stage": "queued",
        "retry_count": 0,
        "attempt": 0,
        "cancel_requested": False,
    }
    return (
        insert(ProcessingJob)
        .from_select(
            ["id", "document_id", *queued],
            select(rows.c.id, rows.c.document_id, *(literal(v) for v in queued.values())),
            include_defaults=False,
        )
        .returning(ProcessingJob)
    )


class JobRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def create(self, document_id: uuid.UUID) -> ProcessingJob:
        (job,) = await self.create_many([document_id])
        return job

    async def create_many(self, document_ids: Sequence[uuid.UUID]) -> list[ProcessingJob]:
        """One QUEUED job per document, in ONE statement; in the order of ``document_ids``."""
        values = [{"id": uuid.uuid4(), "document_id": d} for d in document_ids]
        created = await self.session.scalars(
            _create_jobs(), rows_params(_CREATED_COLUMNS, values), execution_options=ORM
        )
        by_id = {job.id: job for job in created}
        return [by_id[value["id"]] for value in values]

    async def get(self, job_id: uuid.UUID) -> ProcessingJob | None:
        return await self.session.get(ProcessingJob, job_id)

    async def get_many(self, ids: Sequence[uuid.UUID]) -> list[ProcessingJob]:
        rows = await self.session.scalars(select(ProcessingJob).where(ProcessingJob.id.in_(ids)))
        return list(rows)

    async def latest_for_documents(self, document_ids: Sequence[uuid.UUID]) -> list[ProcessingJob]:
        rows = await self.session.scalars(
            select(ProcessingJob)
            .where(ProcessingJob.document_id.in_(document_ids))
            .ext(distinct_on(ProcessingJob.document_id))
            .order_by(ProcessingJob.document_id, ProcessingJob.created_at.desc())
        )
        return list(rows)

    async def for_documents(self, document_ids: Sequence[uuid.UUID]) -> list[ProcessingJob]:
        rows = await self.session.scalars(
            select(ProcessingJob)
            .where(ProcessingJob.document_id.in_(document_ids))
            .order_by(ProcessingJob.created_at.desc())
        )
        return list(rows)

    async def _transition(
        self, job_id: uuid.UUID, *where: Any, **values: Any
    ) -> ProcessingJob | None:
        stmt = (
            update(ProcessingJob)
            .where(ProcessingJob.id == job_id, *where)
            .values(**values)
            .returning(ProcessingJob)
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def claim(self, job_id: uuid.UUID, lease: timedelta) -> ProcessingJob | None:
        """QUEUED → PROCESSING, starting a new attempt with a fresh lease."""
        return await self._transition(
            job_id,
            ProcessingJob.status == JobStatus.QUEUED.value,
            status=JobStatus.PROCESSING.value,
            attempt=ProcessingJob.attempt + 1,
            lease_expires_at=func.now() + lease,
            started_at=func.now(),
            completed_at=None,
            progress_percentage=5,
            current_stage="starting",
            error_code=None,
            error_message=None,
        )

    @staticmethod
    def claim_statement(job_id: uuid.UUID, lease: timedelta) -> tuple[Any, dict[str, Any]]:
        """``claim`` as a statement to embed (``events.with_events``), built once."""
        return _claim_statement(), {"job_id": job_id, "lease_length": lease}

    @staticmethod
    def complete_statement(job_id: uuid.UUID, attempt: int) -> tuple[Any, dict[str, Any]]:
        """``finish(…, COMPLETED)`` for a job nobody asked to cancel, as a statement to embed,
        built once; it matches nothing when the attempt lost the job or a cancel is pending."""
        params = {
            "job_id": job_id,
            "owned_status": JobStatus.PROCESSING.value,
            "owned_attempt": attempt,
        }
        return _complete_statement(), params

    def _owned(self, attempt: int) -> tuple[Any, ...]:
        """The running attempt still owns the job (the sweeper has not taken it back)."""
        return (
            ProcessingJob.status == JobStatus.PROCESSING.value,
            ProcessingJob.attempt == attempt,
        )

    async def renew_lease(self, job_id: uuid.UUID, attempt: int, lease: timedelta) -> bool:
        job = await self._transition(
            job_id, *self._owned(attempt), lease_expires_at=func.now() + lease
        )
        return job is not None

    async def advance(
        self, job_id: uuid.UUID, attempt: int, progress: int, stage: str
    ) -> ProcessingJob | None:
        return await self._transition(
            job_id, *self._owned(attempt), progress_percentage=progress, current_stage=stage
        )

    def advance_statement(
        self, job_id: uuid.UUID, attempt: int, progress: int, stage: str
    ) -> tuple[Any, dict[str, Any]]:
        """``advance`` as a statement to embed (``EventRepository.add_with``) and its parameters:
        the UPDATE, returning the job's new state, not yet executed. The statement is built once
        per process (building a CTE around it cost more CPU than running it)."""
        params = {
            "job_id": job_id,
            "owned_status": JobStatus.PROCESSING.value,
            "owned_attempt": attempt,
            "new_progress": progress,
            "new_stage": stage,
        }
        return _advance_statement(), params

    async def finish(
        self,
        job_id: uuid.UUID,
        attempt: int,
        status: JobStatus,
        *,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> ProcessingJob | None:
        """PROCESSING → COMPLETED, FAILED or CANCELLED, only by the attempt that owns the job."""
        progress = 100 if status is JobStatus.COMPLETED else ProcessingJob.progress_percentage
        return await self._transition(
            job_id,
            *self._owned(attempt),
            status=status.value,
            progress_percentage=progress,
            current_stage=status.value.lower(),
            error_code=error_code,
            error_message=error_message,
            lease_expires_at=None,
            completed_at=func.now(),
        )

    async def retry(self, job_id: uuid.UUID) -> ProcessingJob | None:
        """FAILED or CANCELLED → QUEUED, unless the document has been finalized."""
        finalized = (
            select(Document.id)
            .where(
                Document.id == ProcessingJob.document_id,
                Document.current_status == DocumentStatus.FINALIZED.value,
            )
            .exists()
        )
        return await self._transition(
            job_id,
            ProcessingJob.status.in_(RESTARTABLE),
            ~finalized,
            **self._requeue_values(),
            retry_count=ProcessingJob.retry_count + 1,
        )

    async def cancel_queued(self, job_id: uuid.UUID) -> ProcessingJob | None:
        return await self._transition(
            job_id,
            ProcessingJob.status == JobStatus.QUEUED.value,
            status=JobStatus.CANCELLED.value,
            current_stage="cancelled",
            completed_at=func.now(),
        )

    async def request_cancel(self, job_id: uuid.UUID) -> ProcessingJob | None:
        """Ask a running job to stop; the worker checks between steps."""
        return await self._transition(
            job_id, ProcessingJob.status == JobStatus.PROCESSING.value, cancel_requested=True
        )

    @staticmethod
    def _requeue_values() -> dict[str, Any]:
        return {
            "status": JobStatus.QUEUED.value,
            "progress_percentage": 0,
            "current_stage": "queued",
            "error_code": None,
            "error_message": None,
            "cancel_requested": False,
            "lease_expires_at": None,
            "queued_at": func.now(),
            "started_at": None,
            "completed_at": None,
        }

    # -- sweeper -----------------------------------------------------------------------------

    async def touch_stale_queued(self, older_than: timedelta, limit: int) -> list[ProcessingJob]:
        """QUEUED jobs nobody claimed within the grace period; marks them re-enqueued now."""
        stale = (
            select(ProcessingJob.id)
            .where(
                ProcessingJob.status == JobStatus.QUEUED.value,
                ProcessingJob.queued_at < func.now() - older_than,
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = await self.session.scalars(
            update(ProcessingJob)
            .where(ProcessingJob.id.in_(stale.scalar_subquery()))
            .values(queued_at=func.now())
            .returning(ProcessingJob)
        )
        return list(rows)

    async def lock_expired_leases(self, limit: int) -> list[ProcessingJob]:
        rows = await self.session.scalars(
            select(ProcessingJob)
            .where(
                ProcessingJob.status == JobStatus.PROCESSING.value,
                ProcessingJob.lease_expires_at < func.now(),
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def requeue_lost(self, job_id: uuid.UUID, attempt: int) -> ProcessingJob | None:
        return await self._transition(job_id, *self._owned(attempt), **self._requeue_values())
