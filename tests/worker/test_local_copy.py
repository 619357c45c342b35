"""The worker's local copy of a stored file is bounded: a stored object larger than an upload may
be (replaced behind Paperlane's back, or a limit lowered since) fails the job with
FILE_TOO_LARGE before a byte is copied or read. (An object store's file is copied to a
NamedTemporaryFile, deleted when the task leaves ``worker.processing.local_copy``; a local
storage's file is read in place.)"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from api.context import AppContext
from db.models import Document
from tests.jobs import jobs_of, upload_without_enqueue, wait_for
from tests.pdfs import invoice_pdf
from tests.services import WorkerProcess

pytestmark = pytest.mark.worker


async def _blob(size: int) -> AsyncIterator[bytes]:
    chunk = b"%PDF-1.7\n" + b"0" * (1 << 20)
    sent = 0
    while sent < size:
        piece = chunk[: min(len(chunk), size - sent)]
        sent += len(piece)
        yield piece


async def test_an_oversized_stored_file_fails_without_being_copied(
    ctx: AppContext, dead_broker_ctx: AppContext, worker: WorkerProcess
) -> None:
    document_id = await upload_without_enqueue(dead_broker_ctx, "swapped.pdf", invoice_pdf())
    async with ctx.session() as session:
        document = await session.get(Document, uuid.UUID(document_id))
        assert document is not None
        key = document.stored_file_path
    limit = ctx.settings.max_upload_bytes
    await ctx.storage.put(key, _blob(limit + 1))
    (job,) = await jobs_of(ctx, [document_id])
    await ctx.queue.enqueue(job.id)
    (job,) = await wait_for(ctx, [document_id], timeout=60)
    assert (job.status, job.error_code) == ("FAILED", "FILE_TOO_LARGE")
    assert str(limit) in (job.error_message or "")
