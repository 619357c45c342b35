"""The job lifecycle: every transition, its event and the document status that follows it.

QUEUED ─► PROCESSING ─► COMPLETED            (document then FINALIZED by review)
   ▲          └────────► FAILED ──retry──► QUEUED
   └─cancel───┴────────► CANCELLED ──retry──► QUEUED

Each method runs inside the caller's transaction and registers its publish/enqueue to happen
after the caller commits (``api.effects``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import Actor
from api.auth.policy import Permission, authorize
from api.errors import InvalidState, NotFound
from api.events.publisher import EventPublisher
from api.queue import JobQueue
from api.services import audit
from api.settings import Settings
from db.models import JobEventType, JobStatus, ProcessingJob
from db.repositories import DocumentRepository, EventRepository, JobRepository, ResultRepository
from db.repositories.documents import follow_job_cte, index_cte, index_params
from db.repositories.events import EventSpec, Recorded, RecordedEvent, with_events
from db.repositories.results import store_cte, store_params

# A recorded pipeline step: (event, progress %, stage) (``worker.pipeline.Move``).
Step = tuple[JobEventType, int, str]


@dataclass(frozen=True)
class Claimed:
    """A claimed job (detached), its document's stored file path and MIME type, and the
    ``job_started`` event of the claim."""

    job: ProcessingJob
    document: dict[str, Any]
    event: RecordedEvent


def claim_statement(job_id: uuid.UUID, lease: timedelta) -> tuple[Any, dict[str, Any]]:
    """QUEUED → PROCESSING with a fresh lease, the document following and ``job_started``, as
    ONE statement (the worker's every job, issue 16); read its result with ``claimed_of``."""
    return with_events(
        JobRepository.claim_statement(job_id, lease),
        [(JobEventType.JOB_STARTED, None, None, None, None)],
        also=((follow_job_cte, {}),),
        document_columns=("stored_file_path", "mime_type"),
    )


def claimed_of(recorded: Recorded | None) -> Claimed | None:
    """``None`` if there was nothing to claim."""
    if recorded is None:
        return None
    (event,), job, document = recorded
    return Claimed(ProcessingJob(**job), document, event)


def outcome_statement(
    job: ProcessingJob,
    steps: Sequence[Step],
    *,
    raw_text: str,
    output: dict[str, Any],
    page_count: int,
    max_text_chars: int,
) -> tuple[Any, dict[str, Any]]:
    """The pipeline's ``steps`` not yet recorded, then COMPLETED with the result stored and the
    document indexed, as ONE statement (the worker's every job, issue 16). It matches nothing
    when this attempt no longer owns the job or a cancel was asked for."""
    events: list[EventSpec] = [
        (type, JobStatus.PROCESSING.value, progress, stage, None) for type, progress, stage in steps
    ]
    events.append((JobEventType.JOB_COMPLETED, None, None, None, None))
    index = index_params(
        output["fields"], raw_text, max_text_chars=max_text_chars, page_count=page_count
    )
    return with_events(
        JobRepository.complete_statement(job.id, job.attempt),
        events,
        also=((store_cte, store_params(raw_text, output)), (index_cte, index)),
    )


class JobService:
    def __init__(
        self,
        session: AsyncSession,
        *,
        settings: Settings,
        publisher: EventPublisher,
        queue: JobQueue,
    ):
        self.session = session
        self.settings = settings
        self.publisher = publisher
        self.queue = queue
        self.jobs = JobRepository(session)
        self.events = EventRepository(session)
        self.documents = DocumentRepository(session)

    async def _record(
        self,
        job: ProcessingJob,
        type: JobEventType,
        message: str | None = None,
        *,
        document_follows: bool = True,
    ) -> ProcessingJob:
        """Store the event (and the document status, unless the caller has set it or it cannot
        have changed) for ``job``'s new state; publish after commit."""
        if document_follows:
            await self.documents.follow_job_status(job.document_id, job.status)
        event = await self.events.add(job, type, message)
        self.publisher.publish_after_commit(self.session, event)
        return job

    async def _queued(self, job: ProcessingJob, message: str | None = None) -> ProcessingJob:
        await self._record(job, JobEventType.JOB_QUEUED, message)
        self.queue.enqueue_after_commit(self.session, job.id)
        return job

    # -- API side ----------------------------------------------------------------------------

    async def create_many(self, document_ids: Sequence[uuid.UUID]) -> list[ProcessingJob]:
        """A QUEUED job for each new document: the jobs, then their events, one statement each
        however many documents an upload brings; published and enqueued after the commit."""
        jobs = await self.jobs.create_many(document_ids)
        for event in await self.events.add_many(jobs, JobEventType.JOB_QUEUED):
            self.publisher.publish_after_commit(self.session, event)
        for job in jobs:
            self.queue.enqueue_after_commit(self.session, job.id)
        return jobs

    async def get(self, job_id: uuid.UUID) -> ProcessingJob:
        job = await self.jobs.get(job_id)
        if job is None:
            raise NotFound(f"job {job_id} does not exist", field="id")
        return job

    async def retry(self, job_id: uuid.UUID, actor: Actor | None = None) -> ProcessingJob:
        if actor is not None:
            authorize(actor, Permission.REVIEW)
        job = await self.jobs.retry(job_id)
        if job is None:
            current = await self.get(job_id)
            document = await self.documents.get(current.document_id)
            if document is not None and document.current_status == "FINALIZED":
                raise InvalidState("the document is finalized", code="DOCUMENT_FINALIZED")
            raise InvalidState(
                f"only FAILED or CANCELLED jobs can be retried; this one is {current.status}",
                code="JOB_NOT_RETRYABLE",
            )
        audit.record(self.session, actor, audit.RETRIED, document_id=job.document_id)
        return await self._queued(job, "retry requested")

    async def cancel(self, job_id: uuid.UUID, actor: Actor | None = None) -> ProcessingJob:
        """QUEUED jobs stop at once; PROCESSING ones at the worker's next step."""
        if actor is not None:
            authorize(actor, Permission.REVIEW)
        job = await self.jobs.cancel_queued(job_id)
        if job is not None:
            audit.record(self.session, actor, audit.CANCELLED, document_id=job.document_id)
            return await self._record(job, JobEventType.JOB_CANCELLED, "cancelled while queued")
        job = await self.jobs.request_cancel(job_id)
        if job is not None:
            audit.record(self.session, actor, audit.CANCELLED, document_id=job.document_id)
            return job
        current = await self.get(job_id)
        raise InvalidState(
            f"only QUEUED or PROCESSING jobs can be cancelled; this one is {current.status}",
            code="JOB_NOT_CANCELLABLE",
        )

    # -- worker side -------------------------------------------------------------------------

    async def run(self, statement: tuple[Any, dict[str, Any]]) -> Recorded | None:
        """A ``with_events`` statement (``claim_statement``, ``outcome_statement``) in this
        session's transaction, its events published after commit; ``None`` if it matched
        nothing."""
        recorded = await self.events.record(statement)
        if recorded is not None:
            for event in recorded[0]:
                self.publisher.publish_after_commit(self.session, event)
        return recorded

    async def claim(self, job_id: uuid.UUID) -> ProcessingJob | None:
        claimed = claimed_of(await self.run(claim_statement(job_id, self.settings.lease)))
        return None if claimed is None else claimed.job

    async def renew_lease(self, job: ProcessingJob) -> bool:
        return await self.jobs.renew_lease(job.id, job.attempt, self.settings.lease)

    async def step(
        self, job: ProcessingJob, type: JobEventType, progress: int, stage: str
    ) -> bool | None:
        """Record a pipeline step: the job's progress and its event in one statement (the
        worker's hot path, issue 16). ``None`` if this attempt no longer owns the job, else
        whether a cancel has been requested. A step keeps the job PROCESSING: the document's
        status cannot have changed."""
        stmt = self.jobs.advance_statement(job.id, job.attempt, progress, stage)
        recorded = await self.events.add_with(stmt, type)
        if recorded is None:
            return None
        event, current = recorded
        self.publisher.publish_after_commit(self.session, event)
        return bool(current["cancel_requested"])

    async def complete(
        self, job: ProcessingJob, *, raw_text: str, output: dict[str, Any], page_count: int
    ) -> ProcessingJob | None:
        done = await self.jobs.finish(job.id, job.attempt, JobStatus.COMPLETED)
        if done is None:
            return None
        await ResultRepository(self.session).store(job.document_id, job.id, raw_text, output)
        await self.documents.index_fields(
            job.document_id,
            output["fields"],
            raw_text,
            max_text_chars=self.settings.max_indexed_text_chars,
            page_count=page_count,
            current_status=done.status,
        )
        return await self._record(done, JobEventType.JOB_COMPLETED, document_follows=False)

    async def fail(self, job: ProcessingJob, code: str, message: str) -> ProcessingJob | None:
        failed = await self.jobs.finish(
            job.id, job.attempt, JobStatus.FAILED, error_code=code, error_message=message
        )
        if failed is None:
            return None
        return await self._record(failed, JobEventType.JOB_FAILED, f"{code}: {message}")

    async def stop_cancelled(self, job: ProcessingJob) -> ProcessingJob | None:
        cancelled = await self.jobs.finish(job.id, job.attempt, JobStatus.CANCELLED)
        if cancelled is None:
            return None
        return await self._record(cancelled, JobEventType.JOB_CANCELLED, "cancelled while running")

    # -- sweeper -----------------------------------------------------------------------------

    async def requeue_unclaimed(self, limit: int = 100) -> int:
        """Enqueue again the QUEUED jobs whose task was lost (broker down, process killed)."""
        jobs = await self.jobs.touch_stale_queued(
            timedelta(seconds=self.settings.queued_grace_seconds), limit
        )
        for job in jobs:
            self.queue.enqueue_after_commit(self.session, job.id)
        return len(jobs)

    async def reclaim_expired(self, limit: int = 100) -> int:
        """Take back PROCESSING jobs whose worker stopped renewing its lease."""
        jobs = await self.jobs.lock_expired_leases(limit)
        for job in jobs:
            if job.attempt >= self.settings.max_attempts:
                await self.fail(
                    job,
                    "WORKER_LOST",
                    f"the worker stopped responding {job.attempt} times; giving up",
                )
                continue
            requeued = await self.jobs.requeue_lost(job.id, job.attempt)
            if requeued is not None:
                await self._queued(requeued, f"worker lost during attempt {job.attempt}; re-queued")
        return len(jobs)
