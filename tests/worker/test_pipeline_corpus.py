"""The real thing: corpus invoices through the API, the broker, a worker and Pub/Sub."""

from __future__ import annotations

import httpx
import pytest
from redis.asyncio import Redis

from api.context import AppContext
from tests.fixtures import INVOICE2DATA
from tests.jobs import ORDER, ChannelRecorder, stored_events, upload, wait_for
from tests.services import WorkerProcess

CORPUS = INVOICE2DATA


@pytest.mark.worker
async def test_corpus_reaches_completed_with_ordered_events(
    client: httpx.AsyncClient, ctx: AppContext, redis: Redis, worker: WorkerProcess
) -> None:
    pdfs = sorted(CORPUS.glob("*.pdf"))
    assert len(pdfs) == 11, f"corpus not found under {CORPUS}"
    async with ChannelRecorder(redis, ctx.settings.events_channel) as channel:
        body = await upload(client, *[(p.name, p.read_bytes()) for p in pdfs])
        assert body["rejected"] == []
        assert len(body["documents"]) == 11
        jobs = await wait_for(ctx, [d["id"] for d in body["documents"]], timeout=120)

    failures = [(j.error_code, j.error_message) for j in jobs if j.status != "COMPLETED"]
    assert failures == []
    for job in jobs:
        published = channel.for_job(job.id)
        assert [m["type"] for m in published] == ORDER
        progress = [m["progress"] for m in published]
        assert progress == sorted(progress) and progress[-1] == 100
        assert all(m["attempt"] == 1 for m in published)
        stored = await stored_events(ctx, job.id)
        assert [e.id for e in stored] == [m["id"] for m in published]
        assert [e.type.upper() for e in stored] == ORDER
        assert job.attempt == 1 and job.progress_percentage == 100
