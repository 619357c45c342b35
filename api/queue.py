"""Enqueueing job tasks, from the API and the sweeper, without importing the worker package.

The task is addressed by name; its Celery task id is the job id, so a duplicate enqueue is
recognisable in logs and harmless (the task's conditional claim finds nothing to do).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession

from api.effects import after_commit_batched

log = logging.getLogger(__name__)

PROCESS_JOB_TASK = "paperlane.process_job"
# Even a small upload is spread over this many tasks, so that several worker processes share it.
SPREAD = 4


def make_celery(broker_url: str, name: str = "paperlane") -> Celery:
    """Celery settings shared by the producer side and the worker (``worker.celery_app``)."""
    from api.settings import get_settings

    settings = get_settings()
    app = Celery(name, broker=broker_url)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=settings.task_time_limit,
        broker_transport_options={"visibility_timeout": settings.broker_visibility_timeout},
        broker_connection_retry_on_startup=True,
        # A failed publish must not hang a request: fail fast, the sweeper re-enqueues.
        broker_connection_timeout=2,
        broker_connection_max_retries=1,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        worker_hijack_root_logger=False,
    )
    return app


def task_groups(job_ids: Sequence[str], jobs_per_task: int) -> list[list[str]]:
    """``job_ids`` cut into the tasks that carry them, in order: at most ``jobs_per_task`` jobs
    a task, and at least ``SPREAD`` tasks when there are that many jobs.

    Celery's hand-off costs a worker ~1.7 ms of CPU per task whatever the task does (kombu's
    delivery and late-acknowledgement bookkeeping, the trace; issue 16), so a 50-file upload
    travels as 7 tasks of up to 8 jobs instead of 50 tasks of one.
    """
    size = max(1, min(jobs_per_task, len(job_ids) // SPREAD))
    return [list(job_ids[start : start + size]) for start in range(0, len(job_ids), size)]


class JobQueue:
    def __init__(self, celery: Celery, jobs_per_task: int = 1):
        self.celery = celery
        self.jobs_per_task = jobs_per_task

    async def enqueue(self, job_id: uuid.UUID) -> None:
        await self.enqueue_many([job_id])

    async def enqueue_many(self, job_ids: Sequence[uuid.UUID]) -> None:
        """The jobs' tasks (``task_groups``), in order, from one thread hand-off and one
        producer (an upload of 50 files took 50 of each, issue 16), pipelined: kombu's publish
        batch sends the LPUSHes in one round trip with one Redis client (unbatched, kombu makes
        a client and a round trip per task). A failed publish stops the batch: the broker is
        away, and the sweeper re-enqueues what is still queued (a task sent twice finds nothing
        to claim)."""
        await asyncio.to_thread(self._send_all, [str(job_id) for job_id in job_ids])

    def _send_all(self, jobs: list[str]) -> None:
        tasks = task_groups(jobs, self.jobs_per_task)
        with self.celery.producer_or_acquire() as producer:
            if len(tasks) == 1:
                self._send(tasks[0], producer)
                return
            try:
                with producer.batch():
                    for task in tasks:
                        self._send(task, producer)
            except Exception:
                log.exception(
                    "enqueue of %d jobs failed or is uncertain; the sweeper re-enqueues those "
                    "still queued",
                    len(jobs),
                )

    def _send(self, jobs: list[str], producer: Any) -> None:
        """One task for ``jobs``; its Celery task id is the first job's id."""
        self.celery.send_task(PROCESS_JOB_TASK, args=jobs, task_id=jobs[0], producer=producer)

    def enqueue_after_commit(self, session: AsyncSession, job_id: uuid.UUID) -> None:
        """Enqueue once committed, with the other jobs of that commit (``enqueue_many``)."""
        after_commit_batched(session, "enqueue", job_id, self.enqueue_many)
