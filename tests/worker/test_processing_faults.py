"""No lost job, no double work: killed workers, a lost enqueue, racing retries, cancels."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import psutil
import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from api.context import AppContext
from api.effects import commit
from api.errors import InvalidState
from api.services.sweeper import sweep_once
from api.settings import Settings
from db.models import JobEventType, ProcessingJob
from tests.jobs import (
    ChannelRecorder,
    jobs_of,
    result_count,
    stored_events,
    upload,
    upload_without_enqueue,
    wait_for,
)
from tests.pdfs import invoice_pdf, slow_invoice_pdf
from tests.services import WorkerProcess
from worker.processing import JobReporter, Liveness
from worker.watch import Watch

pytestmark = pytest.mark.worker

# Lease renewals the heartbeat test waits for (besides the first lease running out).
RENEWALS = 3


@pytest.fixture
async def sweeper(ctx: AppContext) -> AsyncIterator[None]:
    async def loop() -> None:
        while True:
            await sweep_once(ctx)
            await asyncio.sleep(ctx.settings.sweep_interval_seconds)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _pool_child_running(worker: WorkerProcess) -> psutil.Process:
    """The pool process busy with the job: the one using the CPU."""
    children = worker.children()
    for child in children:
        child.cpu_percent(None)
    time.sleep(0.3)
    return max(children, key=lambda c: c.cpu_percent(None))


async def test_sigkilled_worker_job_completes_on_second_attempt(
    client: httpx.AsyncClient,
    ctx: AppContext,
    redis: Redis,
    worker: WorkerProcess,
    sweeper: None,
) -> None:
    async with ChannelRecorder(redis, ctx.settings.events_channel) as channel:
        body = await upload(client, ("slow.pdf", slow_invoice_pdf()))
        document_id = body["documents"][0]["id"]
        (job,) = await jobs_of(ctx, [document_id])
        await channel.wait_for(job.id, "DOCUMENT_PARSING_STARTED")
        # SIGKILL the pool process running the job; Celery's main process starts a new one.
        os.kill(_pool_child_running(worker).pid, signal.SIGKILL)
        (job,) = await wait_for(ctx, [document_id], timeout=90)

    assert job.status == "COMPLETED"
    assert job.attempt == 2
    assert await result_count(ctx, job.document_id) == 1
    types = [(e.type, e.attempt) for e in await stored_events(ctx, job.id)]
    assert types.count(("job_completed", 2)) == 1
    assert ("job_completed", 1) not in types
    assert ("job_started", 1) in types and ("job_started", 2) in types


async def test_lost_enqueue_is_recovered_by_the_sweeper(
    ctx: AppContext, dead_broker_ctx: AppContext, worker: WorkerProcess, sweeper: None
) -> None:
    document_id = await upload_without_enqueue(dead_broker_ctx, "lost.pdf", invoice_pdf())
    (job,) = await jobs_of(ctx, [document_id])
    assert job.status == "QUEUED"
    (job,) = await wait_for(ctx, [document_id], timeout=60)
    assert job.status == "COMPLETED" and job.attempt == 1


async def test_twenty_concurrent_retries_requeue_once(
    ctx: AppContext, dead_broker_ctx: AppContext, worker: WorkerProcess
) -> None:
    # A FAILED job whose document can succeed on retry (the failure was not the data's).
    document_id = await upload_without_enqueue(dead_broker_ctx, "retry.pdf", invoice_pdf())
    (job,) = await jobs_of(ctx, [document_id])
    async with ctx.session() as session:
        jobs = ctx.jobs(session)
        claimed = await jobs.claim(job.id)
        assert claimed is not None
        await jobs.fail(claimed, "TEST_FAILURE", "failed on purpose")
        await commit(session)

    async def retry() -> str:
        async with ctx.session() as session:
            try:
                await ctx.jobs(session).retry(job.id)
            except InvalidState as error:
                return error.code
            await commit(session)
            return "ok"

    outcomes = await asyncio.gather(*[retry() for _ in range(20)])
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "JOB_NOT_RETRYABLE"}
    (job,) = await wait_for(ctx, [document_id])
    assert job.status == "COMPLETED" and job.retry_count == 1
    events = [e.type for e in await stored_events(ctx, job.id)]
    assert events.count("job_queued") == 2  # the upload and the one retry
    assert events.count("job_completed") == 1
    assert await result_count(ctx, job.document_id) == 1


async def test_cancel_while_queued_then_retry(
    ctx: AppContext, client: httpx.AsyncClient, dead_broker_ctx: AppContext, worker: WorkerProcess
) -> None:
    document_id = await upload_without_enqueue(dead_broker_ctx, "queued.pdf", invoice_pdf())
    (job,) = await jobs_of(ctx, [document_id])

    response = await client.post(f"/api/jobs/{job.id}/cancel")
    assert response.status_code == 200, response.text
    (job,) = await jobs_of(ctx, [document_id])
    assert job.status == "CANCELLED"
    again = await client.post(f"/api/jobs/{job.id}/cancel")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "JOB_NOT_CANCELLABLE"

    assert (await client.post(f"/api/jobs/{job.id}/retry")).status_code == 200
    (job,) = await wait_for(ctx, [document_id], {"COMPLETED"})
    assert job.retry_count == 1


async def test_cancel_while_processing_stops_between_steps(
    ctx: AppContext, client: httpx.AsyncClient, redis: Redis, worker: WorkerProcess
) -> None:
    async with ChannelRecorder(redis, ctx.settings.events_channel) as channel:
        body = await upload(client, ("slow.pdf", slow_invoice_pdf()))
        document_id = body["documents"][0]["id"]
        (job,) = await jobs_of(ctx, [document_id])
        await channel.wait_for(job.id, "DOCUMENT_PARSING_STARTED")
        response = await client.post(f"/api/jobs/{job.id}/cancel")
        assert response.status_code == 200, response.text
        (job,) = await wait_for(ctx, [document_id], timeout=60)
        assert job.status == "CANCELLED"
        cancelled = await channel.wait_for(job.id, "JOB_CANCELLED")
    assert cancelled["status"] == "CANCELLED"
    types = [m["type"] for m in channel.for_job(job.id)]
    assert "JOB_COMPLETED" not in types and "FIELD_EXTRACTION_COMPLETED" not in types
    assert await result_count(ctx, job.document_id) == 0


async def _job_and_db_now(ctx: AppContext, job_id: uuid.UUID) -> tuple[ProcessingJob, datetime]:
    async with ctx.session() as session:
        job, now = (
            await session.execute(
                select(ProcessingJob, func.now()).where(ProcessingJob.id == job_id)
            )
        ).one()
        return job, now


async def test_heartbeat_keeps_a_long_job_owned(
    settings: Settings, ctx: AppContext, dead_broker_ctx: AppContext
) -> None:
    """A job held longer than its lease is not reclaimed while the watch renews the lease.

    Proved by what happened, not by how long anything took: the lease was renewed several times,
    the first lease ran out by the database's own clock while the sweeper ran again and again,
    and the job stayed with its first attempt. Once the watch stops, the same sweeper takes
    the job back as soon as the lease has run out: the sweeps were real. The watch renews on its
    own thread and event loop: this test's loop is free, as a worker's is not while PyMuPDF works.
    """
    document_id = await upload_without_enqueue(dead_broker_ctx, "long.pdf", invoice_pdf())
    (queued,) = await jobs_of(ctx, [document_id])
    async with ctx.session() as session:
        job = await ctx.jobs(session).claim(queued.id)
        await commit(session)
    assert job is not None and job.lease_expires_at is not None
    first_lease = job.lease_expires_at
    leases = [first_lease]  # each distinct lease seen, in order
    watch = Watch(settings.model_copy(update={"heartbeat_seconds": 0.2}))
    watch.start()
    try:
        with watch.watching(Liveness(JobReporter(ctx, job))):
            async with asyncio.timeout(120):
                while True:
                    await sweep_once(ctx)
                    current, now = await _job_and_db_now(ctx, job.id)
                    assert (current.status, current.attempt) == ("PROCESSING", 1)
                    assert current.lease_expires_at is not None
                    if current.lease_expires_at != leases[-1]:
                        assert current.lease_expires_at > leases[-1]  # only ever extended
                        leases.append(current.lease_expires_at)
                    if now > first_lease and len(leases) > RENEWALS:
                        break
                    await asyncio.sleep(0.1)
        # Queued once (the upload), never re-queued by the sweeper.
        assert [e.type for e in await stored_events(ctx, job.id)].count(
            JobEventType.JOB_QUEUED
        ) == 1

        # No longer watched, the lease runs out and the next sweep reclaims the job.
        async with asyncio.timeout(120):
            while True:  # by the database's clock, the one the sweeper goes by
                if (await _job_and_db_now(ctx, job.id))[1] > leases[-1]:
                    break
                await asyncio.sleep(0.1)
        assert (await sweep_once(ctx))[1] == 1
        requeued = [
            e for e in await stored_events(ctx, job.id) if e.type == JobEventType.JOB_QUEUED
        ]
        assert len(requeued) == 2 and "worker lost during attempt 1" in (requeued[-1].message or "")
    finally:
        watch.stop()
