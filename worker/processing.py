"""One job, start to finish: claim, heartbeat, pipeline, outcome.

Every state change is its own short transaction (commit, then publish), so subscribers see
progress as it happens and a crash loses at most the step in flight. Whatever goes wrong in the
pipeline ends the job as FAILED with a code; only infrastructure failures (database or Redis
away) escape, and then the lease runs out and the sweeper takes the job back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded

from api.context import AppContext
from api.effects import commit
from api.errors import ProcessingError
from db.models import Document, JobEventType, ProcessingJob
from worker import runtime
from worker.pipeline import Stopped, run_pipeline
from worker.tasks.base import TRANSIENT

log = logging.getLogger(__name__)


class JobReporter:
    """Records each pipeline step on the job; says stop when cancelled or no longer owned."""

    def __init__(self, ctx: AppContext, job: ProcessingJob):
        self.ctx = ctx
        self.job = job

    async def step(self, event: JobEventType, progress: int, stage: str) -> bool:
        async with self.ctx.session() as session:
            jobs = self.ctx.jobs(session)
            current = await jobs.step(self.job, event, progress, stage)
            if current is not None and current.cancel_requested:
                await jobs.stop_cancelled(current)
                current = None
            await commit(session)
        return current is not None


@contextlib.asynccontextmanager
async def heartbeat(ctx: AppContext, job: ProcessingJob) -> AsyncIterator[None]:
    async def beat() -> None:
        while True:
            await asyncio.sleep(ctx.settings.heartbeat_seconds)
            try:
                async with ctx.session() as session:
                    await ctx.jobs(session).renew_lease(job)
                    await commit(session)
            except Exception:
                log.warning("lease renewal for job %s failed", job.id, exc_info=True)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.asynccontextmanager
async def local_copy(ctx: AppContext, key: str) -> AsyncIterator[Path]:
    """The stored file as a local path for PyMuPDF, whatever the storage backend."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        async for chunk in ctx.storage.open(key):
            tmp.write(chunk)
        tmp.flush()
        yield Path(tmp.name)


async def _finish(ctx: AppContext, job: ProcessingJob, path: Path) -> None:
    try:
        state = await run_pipeline(path, JobReporter(ctx, job))
    except Stopped:
        return
    except ProcessingError as error:
        await _fail(ctx, job, error.code, error.message)
        return
    except SoftTimeLimitExceeded:
        await _fail(ctx, job, "TIMEOUT", "processing took longer than the time limit")
        return
    except TRANSIENT:
        raise
    except Exception as error:
        log.exception("job %s failed unexpectedly", job.id)
        await _fail(ctx, job, "PROCESSING_ERROR", f"{type(error).__name__}: {error}")
        return
    assert state.parsed is not None and state.outcome is not None
    async with ctx.session() as session:
        await ctx.jobs(session).complete(
            job,
            raw_text=state.parsed.raw_text,
            output=state.outcome.to_json(),
            page_count=state.parsed.page_count,
        )
        await commit(session)


async def _fail(ctx: AppContext, job: ProcessingJob, code: str, message: str) -> None:
    async with ctx.session() as session:
        await ctx.jobs(session).fail(job, code, message)
        await commit(session)


async def process(job_id: uuid.UUID) -> None:
    ctx = runtime.context()
    async with ctx.session() as session:
        job = await ctx.jobs(session).claim(job_id)
        document = await session.get(Document, job.document_id) if job else None
        await commit(session)
    if job is None or document is None:
        log.info("job %s: nothing to claim (done, cancelled or taken); skipping", job_id)
        return
    if await ctx.storage.size(document.stored_file_path) is None:
        await _fail(ctx, job, "FILE_MISSING", "the stored file is missing")
        return
    async with heartbeat(ctx, job), local_copy(ctx, document.stored_file_path) as path:
        await _finish(ctx, job, path)
