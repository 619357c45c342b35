"""Several jobs per Celery task (``api.queue.task_groups``, ``worker.processing.process_many``)
against a real prefork worker of the test's own (``private_worker``)."""

from __future__ import annotations

import pytest

from api.context import AppContext
from api.queue import PROCESS_JOB_TASK
from db.models import JobEventType, ProcessingJob
from tests.jobs import stored_events, upload_quietly, wait_for
from tests.pdfs import invoice_pdf, slow_invoice_pdf

pytestmark = pytest.mark.worker


async def _queued(ctx: AppContext, *pdfs: bytes) -> tuple[list[str], list[str]]:
    """Documents uploaded without an enqueue: their ids and their jobs' ids, in order."""
    documents = [await upload_quietly(ctx.settings, f"{i}.pdf", pdf) for i, pdf in enumerate(pdfs)]
    jobs = {str(j.document_id): str(j.id) for j in await wait_for(ctx, documents, {"QUEUED"})}
    return documents, [jobs[document] for document in documents]


async def _finished(ctx: AppContext, documents: list[str], timeout: float) -> list[ProcessingJob]:
    """The documents' jobs once all are done, in the documents' order."""
    jobs = {str(j.document_id): j for j in await wait_for(ctx, documents, timeout=timeout)}
    return [jobs[document] for document in documents]


async def test_one_task_runs_every_job_it_carries(ctx: AppContext, private_worker) -> None:
    worker = private_worker()
    documents, job_ids = await _queued(ctx, b"%PDF-1.4 broken", invoice_pdf(), invoice_pdf(pages=2))
    worker.queue.celery.send_task(PROCESS_JOB_TASK, args=job_ids, task_id=job_ids[0])
    done = await _finished(ctx, documents, timeout=60)
    # A job that fails does not stop the ones after it.
    assert [(j.status, j.attempt) for j in done] == [
        ("FAILED", 1),
        ("COMPLETED", 1),
        ("COMPLETED", 1),
    ]
    assert done[0].error_code == "PDF_CORRUPT"
    for job in done:
        types = [e.type for e in await stored_events(ctx, job.id)]
        assert types.count(JobEventType.JOB_STARTED) == 1


async def test_a_task_past_its_start_window_hands_the_rest_back(
    ctx: AppContext, private_worker
) -> None:
    """A soft limit of 20 s lets a task start jobs for 2 s: after a slow first job (~3 s on the
    fastest machine measured, well under 20 s on a slow one) the other two go back to the queue
    as a task of their own (its id is the first of them) and complete."""
    worker = private_worker(PAPERLANE_TASK_SOFT_TIME_LIMIT="20")
    documents, job_ids = await _queued(ctx, slow_invoice_pdf(), invoice_pdf(), invoice_pdf())
    worker.queue.celery.send_task(PROCESS_JOB_TASK, args=job_ids, task_id=job_ids[0])
    done = await _finished(ctx, documents, timeout=120)
    assert [(j.status, j.attempt) for j in done] == [("COMPLETED", 1)] * 3
    log = worker.log.read_text()
    assert "2 jobs re-enqueued" in log
    assert f"{PROCESS_JOB_TASK}[{job_ids[1]}] received" in log
