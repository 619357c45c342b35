"""The watch (worker.watch) looks after a job while its pipeline holds the task's thread: the
steps run inline, so nothing on the worker's event loop can run until a step ends.

The job tests run a worker with their own settings (``private_worker``, tests/worker/conftest.py).
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy import func, select

from api.context import AppContext
from api.effects import after_commit, commit
from api.services.sweeper import sweep_once
from api.settings import Settings
from db.models import JobEventType, ProcessingJob
from tests.jobs import stored_events, upload_quietly, upload_without_enqueue, wait_for
from tests.pdfs import invoice_pdf, slow_invoice_pdf
from tests.services import free_port
from worker import processing, runtime
from worker.processing import LOOK_LIMIT, JobReporter, Liveness
from worker.watch import Watch

pytestmark = pytest.mark.worker


async def test_a_lease_shorter_than_the_job_is_renewed_while_its_steps_run(
    ctx: AppContext, private_worker
) -> None:
    """A two-second lease, and a job of two steps that take three seconds or more together
    (4,000 pages to parse, then to extract): the claim's lease runs out by the database's clock
    while a step runs, and a sweeper runs again and again. The watch renews it from its own
    thread; the job completes with its first attempt, never taken back."""
    worker = private_worker(PAPERLANE_LEASE_SECONDS="2", PAPERLANE_HEARTBEAT_SECONDS="0.2")
    document_id = await upload_quietly(ctx.settings, "slow.pdf", slow_invoice_pdf())
    (job,) = await wait_for(ctx, [document_id], {"QUEUED"})
    await worker.queue.enqueue(job.id)
    leases = set()
    outlived = False  # a lease seen to outlive the claim's own
    async with asyncio.timeout(180):
        while True:
            await sweep_once(ctx)
            async with ctx.session() as session:
                current, now = (
                    await session.execute(
                        select(ProcessingJob, func.now()).where(ProcessingJob.id == job.id)
                    )
                ).one()
            if current.status not in ("QUEUED", "PROCESSING") or (
                current.status == "QUEUED" and leases  # claimed, then taken back
            ):
                break
            if current.lease_expires_at is not None:
                leases.add(current.lease_expires_at)
                outlived = outlived or (len(leases) > 1 and now > min(leases))
            await asyncio.sleep(0.1)
    assert (current.status, current.attempt) == ("COMPLETED", 1), current.error_message
    assert outlived and len(leases) > 3, leases
    types = [e.type for e in await stored_events(ctx, job.id)]
    assert types.count(JobEventType.JOB_QUEUED) == 1 and JobEventType.JOB_COMPLETED in types


async def test_a_task_over_its_soft_time_limit_fails_the_job_with_timeout(
    ctx: AppContext, private_worker
) -> None:
    """Celery's soft time limit lands in the task's thread, inside the step that is running
    (or, where a best-effort effect swallowed it, is seen when the steps end): the job ends
    FAILED with TIMEOUT and its own message, not retried into WORKER_LOST. A one-second limit
    for a job of three seconds and more."""
    worker = private_worker(PAPERLANE_TASK_SOFT_TIME_LIMIT="1", PAPERLANE_TASK_TIME_LIMIT="60")
    document_id = await upload_quietly(ctx.settings, "slow.pdf", slow_invoice_pdf())
    (job,) = await wait_for(ctx, [document_id], {"QUEUED"})
    await worker.queue.enqueue(job.id)
    (job,) = await wait_for(ctx, [document_id], timeout=120)
    assert (job.status, job.error_code, job.attempt) == ("FAILED", "TIMEOUT", 1)
    assert job.error_message == "processing took longer than the time limit"


async def test_a_database_that_does_not_answer_holds_a_look_for_seconds_not_a_minute(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A server that accepts and never answers (PostgreSQL stopped with SIGSTOP looks like
    this): the lease renewal gives up after ``LOOK_LIMIT`` instead of asyncpg's minute, so the
    watch's next look (its memory look first) comes within seconds."""
    server = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    silent = AppContext.create(
        settings.model_copy(
            update={
                "database_url": f"postgresql+asyncpg://postgres@127.0.0.1:{port}/silent",
                "heartbeat_seconds": 0.5,
            }
        )
    )
    job = ProcessingJob(id=uuid.uuid4(), document_id=uuid.uuid4(), attempt=1)
    liveness = Liveness(JobReporter(silent, job), renewed_at=0.0)  # a renewal is due
    try:
        async with asyncio.timeout(LOOK_LIMIT + 5):
            await liveness.look(silent)
    finally:
        await silent.aclose()
        server.close()
    assert f"lease renewal for job {job.id} failed" in caplog.text


async def test_a_soft_limit_passed_while_the_signal_was_swallowed_is_seen_when_the_steps_end(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Celery's signal can land in code that catches ``Exception`` and carries on (it happened
    once in ``.ci/run``, in an after-commit effect): the task's soft limit is checked again
    when the steps end. Run in this process, with no Celery and no signal at
    all, and a limit already past: the job ends TIMEOUT instead of COMPLETED."""
    dead = AppContext.create(
        ctx.settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    )
    document_id = await upload_without_enqueue(dead, "a.pdf", invoice_pdf())
    (job,) = await wait_for(ctx, [document_id], {"QUEUED"})
    monkeypatch.setattr(runtime, "_ctx", ctx)
    watch = Watch(ctx.settings)
    monkeypatch.setattr(runtime, "_watch", watch)
    watch.start()
    try:
        await processing.process(job.id, ends=time.monotonic())
    finally:
        watch.stop()
    (job,) = await wait_for(ctx, [document_id])
    assert (job.status, job.error_code, job.attempt) == ("FAILED", "TIMEOUT", 1)


async def test_the_soft_limit_passes_through_an_after_commit_effect(ctx: AppContext) -> None:
    """A failed effect is logged and the next one runs, but Celery's soft time limit (which
    ``worker.processing`` registers with ``never_swallow``) ends the unit of work: landing in
    a publish, it once let a job complete past its limit."""
    ran: list[str] = []

    async def redis_away() -> None:
        raise ConnectionError("redis away")

    async def time_is_up() -> None:
        raise SoftTimeLimitExceeded()

    async def next_effect() -> None:
        ran.append("ran")

    async with ctx.session() as session:
        after_commit(session, redis_away)
        after_commit(session, next_effect)
        await commit(session)
        assert ran == ["ran"]
        after_commit(session, time_is_up)
        after_commit(session, next_effect)
        with pytest.raises(SoftTimeLimitExceeded):
            await commit(session)
    assert ran == ["ran"]
