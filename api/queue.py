"""Enqueueing job tasks, from the API and the sweeper, without importing the worker package.

The task is addressed by name; its Celery task id is the job id, so a duplicate enqueue is
recognisable in logs and harmless (the task's conditional claim finds nothing to do).
"""

from __future__ import annotations

import asyncio
import uuid

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession

from api.effects import after_commit

PROCESS_JOB_TASK = "paperlane.process_job"


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


class JobQueue:
    def __init__(self, celery: Celery):
        self.celery = celery

    async def enqueue(self, job_id: uuid.UUID) -> None:
        job = str(job_id)
        await asyncio.to_thread(self.celery.send_task, PROCESS_JOB_TASK, args=[job], task_id=job)

    def enqueue_after_commit(self, session: AsyncSession, job_id: uuid.UUID) -> None:
        async def effect() -> None:
            await self.enqueue(job_id)

        after_commit(session, effect)
