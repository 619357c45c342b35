"""Bad data is not an outage: the worker fails such a job at once with a true code (never three
reruns ending in a false WORKER_LOST), and a document with a megabyte of text completes with its
first pages searchable (the search index is built from a bounded prefix of the text)."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from api.context import AppContext
from db.models import ExtractedResult
from db.repositories import documents
from tests.jobs import stored_events, upload, upload_without_enqueue, wait_for
from tests.pdfs import invoice_pdf, large_text_pdf
from tests.services import free_port
from worker import processing, runtime
from worker.processing import scrub_paths
from worker.watch import Watch

pytestmark = pytest.mark.worker


async def test_megabyte_of_text_completes_and_its_first_pages_are_searchable(
    client: httpx.AsyncClient, ctx: AppContext, worker: object
) -> None:
    """40 pages, more than 1 MB of distinct words: PostgreSQL would refuse a tsvector of all of
    it ("string is too long for tsvector"). The job completes on its first attempt."""
    data = large_text_pdf(pages=40, first="zebrafirstpage", last="yaklastpage")
    body = await upload(client, ("big-text.pdf", data))
    document_id = body["documents"][0]["id"]
    (job,) = await wait_for(ctx, [document_id], timeout=180)
    assert (job.status, job.attempt) == ("COMPLETED", 1), (job.error_code, job.error_message)
    async with ctx.session() as session:
        length = await session.scalar(
            select(func.length(ExtractedResult.raw_text)).where(
                ExtractedResult.document_id == uuid.UUID(document_id)
            )
        )
    assert length is not None and length > 1_000_000, "the full text is stored"
    found = (await client.get("/api/documents", params={"search": "zebrafirstpage"})).json()
    assert [d["id"] for d in found["items"]] == [document_id]
    # Past the indexed prefix (200,000 characters; the last page starts near 1 MB).
    beyond = (await client.get("/api/documents", params={"search": "yaklastpage"})).json()
    assert beyond["items"] == []


async def test_database_refusing_the_data_fails_the_job_at_once(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's real "string is too long for tsvector" error, raised where the index is
    written: the job FAILS with DATA_REJECTED on its first attempt, nothing is retried."""
    dead = AppContext.create(
        ctx.settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    )
    document_id = await upload_without_enqueue(dead, "a.pdf", invoice_pdf())
    (job,) = await wait_for(ctx, [document_id], {"QUEUED"})

    def index_everything(raw_text: str, max_text_chars: int) -> str:
        # Over 1 MB of distinct lexemes: what indexing the whole text used to do.
        return " ".join(hashlib.md5(str(i).encode()).hexdigest() for i in range(1, 40001))

    # The text the completion indexes (one statement with the result and the events).
    monkeypatch.setattr(documents, "index_text", index_everything)
    monkeypatch.setattr(runtime, "_ctx", ctx)
    watch = Watch(ctx.settings)
    monkeypatch.setattr(runtime, "_watch", watch)
    watch.start()
    try:
        await processing.process(job.id)  # raises if the error were taken for an outage
    finally:
        watch.stop()
    (job,) = await wait_for(ctx, [document_id])
    assert (job.status, job.error_code, job.attempt) == ("FAILED", "DATA_REJECTED", 1)
    assert "tsvector" in (job.error_message or "")
    assert [e.type for e in await stored_events(ctx, job.id)][-1] == "job_failed"


async def test_failure_messages_never_show_temporary_paths(
    client: httpx.AsyncClient, ctx: AppContext, worker: object
) -> None:
    """MuPDF names the file it could not open: the worker's temporary copy."""
    body = await upload(client, ("damaged.pdf", b"%PDF-1.4\nnothing that MuPDF can use\n"))
    document_id = body["documents"][0]["id"]
    (job,) = await wait_for(ctx, [document_id], timeout=60)
    assert (job.status, job.error_code) == ("FAILED", "PDF_CORRUPT")
    message = job.error_message or ""
    assert "/tmp" not in message and ".pdf'" not in message, message
    detail = (await client.get(f"/api/documents/{document_id}")).json()
    assert "/tmp" not in str(detail)


def test_scrub_paths() -> None:
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.gettempdir()) / "tmpab12cd.pdf"
    message = f"Failed to open file '{tmp}' as type pdf. (also {tempfile.gettempdir()}/x/y.pdf)"
    scrubbed = scrub_paths(message, tmp)
    assert tempfile.gettempdir() not in scrubbed and "tmpab12cd" not in scrubbed
    assert scrubbed.startswith("Failed to open file 'the file'")
