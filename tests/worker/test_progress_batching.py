"""A quick job's steps are recorded with its outcome, in one transaction (worker.processing
``JobReporter``); a slow job still shows each step while it runs (its start is published before
the job ends, and a cancel stops it between steps: ``test_processing_faults``)."""

from __future__ import annotations

import httpx
import pytest
from redis.asyncio import Redis

from api.context import AppContext
from db.repositories.events import ORDINAL_BITS
from tests.jobs import ORDER, ChannelRecorder, stored_events, upload, wait_for
from tests.pdfs import invoice_pdf, slow_invoice_pdf
from tests.services import WorkerProcess

pytestmark = pytest.mark.worker


def transaction_of(event_id: int) -> int:
    return event_id >> ORDINAL_BITS


async def test_a_quick_jobs_steps_share_the_outcomes_transaction(
    ctx: AppContext, client: httpx.AsyncClient, redis: Redis, worker: WorkerProcess
) -> None:
    async with ChannelRecorder(redis, ctx.settings.events_channel) as channel:
        body = await upload(client, ("one-page.pdf", invoice_pdf()))
        (job,) = await wait_for(ctx, [body["documents"][0]["id"]], timeout=60)
        await channel.wait_for(job.id, "JOB_COMPLETED")
    assert job.status == "COMPLETED"
    stored = await stored_events(ctx, job.id)
    assert [e.type.upper() for e in stored] == ORDER
    # Queued by the upload, started by the claim, then everything else with the outcome.
    transactions = [transaction_of(e.id) for e in stored]
    assert len(set(transactions[:2])) == 2
    assert len(set(transactions[2:])) == 1 and transactions[2] not in transactions[:2]
    # Published in order; the claim's JOB_STARTED held back for the outcome's message: one
    # message for the upload's event and one for the rest.
    assert [m["id"] for m in channel.for_job(job.id)] == [e.id for e in stored]
    mine = [[m["type"] for m in p] for p in channel.payloads if p[0]["jobId"] == str(job.id)]
    assert mine == [ORDER[:1], ORDER[1:]]


async def test_a_slow_jobs_steps_are_published_while_it_runs(
    ctx: AppContext, client: httpx.AsyncClient, redis: Redis, worker: WorkerProcess
) -> None:
    async with ChannelRecorder(redis, ctx.settings.events_channel) as channel:
        body = await upload(client, ("slow.pdf", slow_invoice_pdf()))
        document_id = body["documents"][0]["id"]
        (job,) = await wait_for(ctx, [document_id], timeout=120)
        parsing = await channel.wait_for(job.id, "DOCUMENT_PARSING_STARTED")
        completed = await channel.wait_for(job.id, "JOB_COMPLETED")
    assert job.status == "COMPLETED"
    # Parsing thousands of pages takes far longer than PROGRESS_LATENCY: its start was written
    # on its own, not with the outcome.
    assert transaction_of(int(parsing["id"])) != transaction_of(int(completed["id"]))
    # The claim's JOB_STARTED went out with that first write, long before the outcome.
    mine = [[m["type"] for m in p] for p in channel.payloads if p[0]["jobId"] == str(job.id)]
    assert mine[1][:2] == ["JOB_STARTED", "DOCUMENT_PARSING_STARTED"]
    assert "JOB_COMPLETED" not in mine[1]
