"""Worker memory and page bounds (worker.limits) against a real prefork worker.

Each test runs its own worker with its own settings (``private_worker``, tests/worker/conftest.py).
"""

from __future__ import annotations

import time
from pathlib import Path

import psutil
import pytest

from api.context import AppContext
from db.models import JobEventType
from tests.jobs import stored_events, upload_quietly, wait_for
from tests.pdfs import invoice_pdf, page_bomb_pdf
from worker.extraction import parse_pdf
from worker.limits import is_memory_error

pytestmark = pytest.mark.worker

MiB = 1024 * 1024


def _peak_rss(process: psutil.Process) -> int:
    """The child's high-water mark of resident memory (VmHWM), in bytes."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


async def test_page_bomb_is_bounded(ctx: AppContext, private_worker) -> None:
    """A 3.9 KB PDF whose one 4000×4000 pt page would need ~830 MB of pixels for OCR ends with
    a code (or completes), and the pool child never passes 512 MiB."""
    data = page_bomb_pdf()
    assert len(data) < 4096
    worker = private_worker()
    (child,) = worker.children()
    document_id = await upload_quietly(ctx.settings, "bomb.pdf", data)
    (job,) = await wait_for(ctx, [document_id], {"QUEUED"})
    await worker.queue.enqueue(job.id)
    (job,) = await wait_for(ctx, [document_id], timeout=120)
    assert job.status in {"COMPLETED", "FAILED"}, job.status
    if job.status == "FAILED":
        # A true code: the memory bound (RESOURCE_LIMIT) or the extractor's own pixel cap.
        assert job.error_code not in {None, "WORKER_LOST", "PROCESSING_ERROR"}, (
            job.error_code,
            job.error_message,
        )
        assert "/tmp" not in (job.error_message or "")
    assert job.attempt == 1, "decided on the first run, never retried into WORKER_LOST"
    peak = _peak_rss(child) if child.is_running() else 0
    print(f"page bomb: {job.status} {job.error_code}; pool child peak RSS {peak / MiB:.0f} MiB")
    assert peak <= 512 * MiB, f"pool child peaked at {peak / MiB:.0f} MiB"


async def test_too_many_pages_fails_before_reading(ctx: AppContext, private_worker) -> None:
    worker = private_worker(PAPERLANE_MAX_PAGES="3")
    ok_id = await upload_quietly(ctx.settings, "three.pdf", invoice_pdf(pages=3))
    long_id = await upload_quietly(ctx.settings, "four.pdf", invoice_pdf(pages=4))
    jobs = await wait_for(ctx, [ok_id, long_id], {"QUEUED"})
    for job in jobs:
        await worker.queue.enqueue(job.id)
    done = {str(j.document_id): j for j in await wait_for(ctx, [ok_id, long_id])}
    assert done[ok_id].status == "COMPLETED"
    refused = done[long_id]
    assert (refused.status, refused.error_code) == ("FAILED", "TOO_MANY_PAGES")
    assert "4 pages" in (refused.error_message or "") and "3" in (refused.error_message or "")
    types = [e.type for e in await stored_events(ctx, refused.id)]
    # Refused within the parsing step: no parsing completed, no extraction.
    assert JobEventType.DOCUMENT_PARSING_STARTED in types
    assert JobEventType.DOCUMENT_PARSING_COMPLETED not in types
    assert JobEventType.FIELD_EXTRACTION_STARTED not in types


async def test_child_over_the_memory_ceiling_fails_the_job_and_is_replaced(
    ctx: AppContext, private_worker
) -> None:
    """A ceiling below what a pool child needs at all: the job must FAIL with RESOURCE_LIMIT
    (not be lost, not WORKER_LOST after three reruns) and the child is replaced by a new one."""
    worker = private_worker(PAPERLANE_WORKER_MAX_MEMORY_MIB="32")
    (child,) = worker.children()
    document_id = await upload_quietly(ctx.settings, "a.pdf", invoice_pdf())
    (job,) = await wait_for(ctx, [document_id], {"QUEUED"})
    await worker.queue.enqueue(job.id)
    (job,) = await wait_for(ctx, [document_id], timeout=60)
    assert (job.status, job.error_code, job.attempt) == ("FAILED", "RESOURCE_LIMIT", 1)
    assert "32 MiB" in (job.error_message or "")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = worker.children()
        if children and all(c.pid != child.pid for c in children):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the pool child was not replaced")
    # The redelivered task found nothing to claim: still one attempt, still FAILED.
    time.sleep(1)
    (job,) = await wait_for(ctx, [document_id])
    assert (job.status, job.attempt) == ("FAILED", 1)


def test_page_limit_is_checked_when_the_pdf_opens(tmp_path: Path) -> None:
    path = tmp_path / "five.pdf"
    path.write_bytes(invoice_pdf(pages=5))
    assert parse_pdf(path, max_pages=5).page_count == 5
    from api.errors import ProcessingError

    with pytest.raises(ProcessingError) as refused:
        parse_pdf(path, max_pages=4)
    assert refused.value.code == "TOO_MANY_PAGES"
    assert "5 pages; at most 4" in refused.value.message
    # A file MuPDF cannot open is reported as such, whatever the limit.
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnothing here\n")
    with pytest.raises(ProcessingError) as damaged:
        parse_pdf(broken, max_pages=1)
    assert damaged.value.code == "PDF_CORRUPT"


def test_memory_errors_are_recognised() -> None:
    import pymupdf

    assert is_memory_error(MemoryError())
    page = pymupdf.open().new_page(width=4000, height=4000)
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (size + 200 * MiB, hard))
        with pytest.raises(Exception) as refused:
            page.get_pixmap(dpi=300)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    assert is_memory_error(refused.value), repr(refused.value)
    wrapped = RuntimeError("could not render")
    wrapped.__cause__ = refused.value
    assert is_memory_error(wrapped)
    assert not is_memory_error(ValueError("bad page"))
    with pytest.raises(Exception) as too_large:
        pymupdf.open().new_page(width=20000, height=20000).get_pixmap(dpi=300)
    assert is_memory_error(too_large.value), repr(too_large.value)
