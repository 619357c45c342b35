"""The upload service, storage, queue and sweeper against real PostgreSQL and Redis (no worker)."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError

from api.context import AppContext
from api.effects import commit
from api.queue import JobQueue, make_celery, task_groups
from api.services.sweeper import sweep_once
from api.services.uploads import IncomingFile, UploadService
from api.settings import Settings
from api.storage import LocalStorage
from db.models import Document, ProcessingJob
from db.repositories import DocumentRepository
from tests.api.helpers import count_statements
from tests.jobs import jobs_of, stored_events, upload_without_enqueue
from tests.pdfs import invoice_pdf


async def one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def count_documents(ctx: AppContext) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Document)) or 0)


def uploads(ctx: AppContext, session: object) -> UploadService:
    return ctx.uploads(session)  # type: ignore[arg-type]


async def test_failed_database_write_removes_the_stored_file(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = set(files_under(ctx.settings.files_dir))

    async def broken_create(self: DocumentRepository, rows: object) -> list[Document]:
        raise RuntimeError("database write failed")

    monkeypatch.setattr(DocumentRepository, "create_many", broken_create)
    async with ctx.session() as session:
        with pytest.raises(RuntimeError):
            await uploads(ctx, session).accept([IncomingFile("a.pdf", one_chunk(invoice_pdf()))])
    assert set(files_under(ctx.settings.files_dir)) == before
    assert await count_documents(ctx) == 0


async def test_failed_commit_removes_the_stored_file(ctx: AppContext) -> None:
    before = set(files_under(ctx.settings.files_dir))
    async with ctx.session() as session:
        await uploads(ctx, session).accept([IncomingFile("a.pdf", one_chunk(invoice_pdf()))])
        # The database goes away between the writes and the commit.
        pid = await session.scalar(select(func.pg_backend_pid()))
        async with ctx.engine.connect() as other:
            await other.execute(select(func.pg_terminate_backend(pid)))
        with pytest.raises(DBAPIError):
            await commit(session)
    assert set(files_under(ctx.settings.files_dir)) == before
    assert await count_documents(ctx) == 0


async def test_failed_file_write_leaves_no_row_and_no_partial_file(ctx: AppContext) -> None:
    async def breaks_midway() -> AsyncIterator[bytes]:
        yield invoice_pdf()[:100]
        raise OSError("client went away")

    before = set(files_under(ctx.settings.files_dir))
    async with ctx.session() as session:
        with pytest.raises(OSError):
            await uploads(ctx, session).accept([IncomingFile("a.pdf", breaks_midway())])
    assert set(files_under(ctx.settings.files_dir)) == before
    assert await count_documents(ctx) == 0


async def test_duplicate_points_to_the_earliest(ctx: AppContext) -> None:
    data = invoice_pdf(number="DUP-1")
    async with ctx.session() as session:
        first = await uploads(ctx, session).accept([IncomingFile("a.pdf", one_chunk(data))])
        await commit(session)
    async with ctx.session() as session:
        again = await uploads(ctx, session).accept(
            [IncomingFile("b.pdf", one_chunk(data)), IncomingFile("c.pdf", one_chunk(data))]
        )
        await commit(session)
    original = first.documents[0]
    assert original.duplicate_of_id is None
    assert [d.duplicate_of_id for d in again.documents] == [original.id, original.id]
    assert {d.sha256 for d in again.documents} == {original.sha256}


async def test_upload_creates_queued_job_and_event_in_one_transaction(
    ctx: AppContext, dead_broker_ctx: AppContext
) -> None:
    # Uploaded with no broker: a worker running for other tests cannot claim the job meanwhile.
    document_id = await upload_without_enqueue(dead_broker_ctx, "a.pdf", invoice_pdf())
    (job,) = await jobs_of(ctx, [document_id])
    async with ctx.session() as session:
        document = await session.get(Document, job.document_id)
    assert document is not None
    assert (document.current_status, job.status, job.progress_percentage) == (
        "QUEUED",
        "QUEUED",
        0,
    )
    events = await stored_events(ctx, job.id)
    assert [(e.type, e.status, e.attempt) for e in events] == [("job_queued", "QUEUED", 1)]


async def test_task_id_is_the_job_id(settings: Settings, redis: Redis, clean: None) -> None:
    """The message on the broker carries the job id as its Celery task id."""
    assert settings.redis_url
    url = settings.redis_url.rsplit("/", 1)[0] + "/14"  # a database no worker listens on
    queue = JobQueue(make_celery(url))
    job_id = uuid.uuid4()
    await queue.enqueue(job_id)
    listener = Redis.from_url(url)
    try:
        raw = await listener.lpop("celery")
        assert raw is not None
        message = json.loads(raw)
        assert message["headers"]["id"] == str(job_id)
        assert message["headers"]["task"] == "paperlane.process_job"
        assert message["content-type"] == "application/json"
    finally:
        await listener.flushdb()
        await listener.aclose()


def test_task_groups_spread_small_uploads_and_bundle_large_ones() -> None:
    ids = [str(i) for i in range(50)]
    assert task_groups(ids[:1], 8) == [["0"]]
    # Fewer than 4 per task until 8 jobs: several workers share a small upload.
    assert task_groups(ids[:7], 8) == [[i] for i in ids[:7]]
    assert task_groups(ids[:8], 8) == [ids[0:2], ids[2:4], ids[4:6], ids[6:8]]
    large = task_groups(ids, 8)
    assert [len(task) for task in large] == [8, 8, 8, 8, 8, 8, 2]
    assert [job for task in large for job in task] == ids  # every job once, in order
    assert task_groups(ids, 1) == [[i] for i in ids]


async def test_many_jobs_travel_as_fewer_tasks(
    settings: Settings, redis: Redis, clean: None
) -> None:
    """50 jobs enqueued at once are 7 messages, each carrying its jobs in order; the task id is
    its first job's."""
    assert settings.redis_url
    url = settings.redis_url.rsplit("/", 1)[0] + "/14"  # a database no worker listens on
    queue = JobQueue(make_celery(url), jobs_per_task=8)
    job_ids = [uuid.uuid4() for _ in range(50)]
    await queue.enqueue_many(job_ids)
    listener = Redis.from_url(url)
    try:
        raw = await listener.lrange("celery", 0, -1)
        messages = [json.loads(m) for m in reversed(raw)]  # LPUSHed: the oldest is last
        assert len(messages) == 7
        carried = []
        for message in messages:
            args = json.loads(base64.b64decode(message["body"]))[0]
            assert message["headers"]["id"] == args[0]
            carried.extend(args)
        assert carried == [str(job_id) for job_id in job_ids]
    finally:
        await listener.flushdb()
        await listener.aclose()


def test_celery_time_limits_fit_inside_the_visibility_timeout(settings: Settings) -> None:
    assert settings.redis_url
    conf = make_celery(settings.redis_url).conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert conf.task_soft_time_limit < conf.task_time_limit < visibility


async def test_sweeper_fails_a_job_past_the_attempt_cap(
    ctx: AppContext, dead_broker_ctx: AppContext
) -> None:
    document_id = await upload_without_enqueue(dead_broker_ctx, "a.pdf", invoice_pdf())
    (job,) = await jobs_of(ctx, [document_id])
    async with ctx.session() as session:
        claimed = await ctx.jobs(session).claim(job.id)
        assert claimed is not None
        await session.execute(
            update(ProcessingJob)
            .where(ProcessingJob.id == job.id)
            .values(
                attempt=ctx.settings.max_attempts,
                lease_expires_at=func.now() - timedelta(seconds=1),
            )
        )
        await commit(session)

    assert await sweep_once(ctx) == (0, 1)
    (job,) = await jobs_of(ctx, [document_id])
    assert (job.status, job.error_code) == ("FAILED", "WORKER_LOST")
    assert await sweep_once(ctx) == (0, 0)
    types = [e.type for e in await stored_events(ctx, job.id)]
    assert types == ["job_queued", "job_started", "job_failed"]


async def test_local_storage_refuses_keys_outside_its_root(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "files")
    with pytest.raises(ValueError, match="escapes"):
        await storage.put("../outside.pdf", one_chunk(b"%PDF-1.7"))
    assert not (tmp_path / "outside.pdf").exists()
    for key in ("/etc/passwd", "ab/../../outside.pdf", "..", "", ".", "ab/x\0.pdf"):
        with pytest.raises(ValueError, match="escapes"):
            await storage.size(key)
    assert storage.path("ab/./cd.pdf") == (tmp_path / "files" / "ab" / "cd.pdf").resolve()
    assert await storage.size("missing") is None
    await storage.delete("missing")  # not an error


async def test_ten_files_cost_the_statements_of_one(ctx: AppContext) -> None:
    """Documents, jobs, events and audit rows go in one statement each, however many files an
    upload brings; identical bytes within the upload point at the first of them."""

    async def accept(*pdfs: bytes) -> tuple[list[str], list[Document]]:
        with count_statements(ctx) as statements:
            async with ctx.session() as session:
                files = [IncomingFile(f"{i}.pdf", one_chunk(pdf)) for i, pdf in enumerate(pdfs)]
                outcome = await uploads(ctx, session).accept(files)
                await commit(session)
        return statements, outcome.documents

    one, _ = await accept(invoice_pdf(number="A-1"))
    twin = invoice_pdf(number="B-1")
    ten, documents = await accept(twin, *(invoice_pdf(number=f"C-{i}") for i in range(8)), twin)
    assert len(ten) == len(one), ten
    assert [d.original_filename for d in documents] == [f"{i}.pdf" for i in range(10)]
    assert documents[9].duplicate_of_id == documents[0].id
    assert all(d.duplicate_of_id is None for d in documents[:9])
    job_of = {j.document_id: j for j in await jobs_of(ctx, [str(d.id) for d in documents])}
    events = [await stored_events(ctx, job_of[d.id].id) for d in documents]
    # Each job's first event (a running worker may already have added more).
    queued = [job_events[0] for job_events in events]
    assert {e.type for e in queued} == {"job_queued"}
    ids = [e.id for e in queued]
    assert ids == sorted(ids) and len(set(ids)) == 10  # consecutive positions, upload order
