"""One job, start to finish: claim, pipeline (with the watch looking after it), outcome.

Every state change is a short transaction (commit, then publish): the claim, then the pipeline's
steps, written with the outcome for a quick job or within ``PROGRESS_LATENCY`` for a slow one
(``JobReporter``), so subscribers see progress as it happens and a crash loses at most what was
held. The claim's ``JOB_STARTED`` is published with the job's next write, in its message.
Whatever goes wrong in the
pipeline ends the job as FAILED with a code; only infrastructure failures (database or Redis
away) escape, and then the lease runs out and the sweeper takes the job back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import re
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.ext.asyncio import AsyncSession

from api.context import AppContext
from api.effects import commit, never_swallow
from api.errors import ProcessingError
from api.services import straight_through
from api.services.jobs import claim_statement, claimed_of, outcome_statement
from api.unavailable import describe, is_data_error, is_dependency_error
from db.models import ProcessingJob
from db.repositories.events import Recorded, RecordedEvent, recorded_of
from worker import limits, runtime
from worker.pipeline import Move, Stopped, run_pipeline

log = logging.getLogger(__name__)

# Celery's soft time limit ends the job TIMEOUT, even when it lands in an after-commit effect.
never_swallow(SoftTimeLimitExceeded)

# How long a pipeline step may wait to be recorded (see JobReporter).
PROGRESS_LATENCY = 0.25
# The longest a write of the watch may take (s, see Liveness): time for a first connection on
# a loaded machine, where a bound of one 0.2 s heartbeat cut every renewal short (CI, 23:20).
LOOK_LIMIT = 5.0


class JobReporter:
    """Records the pipeline's steps on the job, in as few transactions as liveness allows.

    A one-page invoice passes all its steps in a few milliseconds, and a transaction (and a
    PUBLISH) per step was most of the worker's CPU per job (issue 16). So steps are held and
    written together: with the job's outcome, in the outcome's own transaction, or sooner when
    the job is slow. A step held for ``PROGRESS_LATENCY`` is written by the watch (``Liveness``:
    a long parse or OCR still shows its start live), and a step boundary reached that long after
    the last write writes at once, so a cancel or a lost lease still stops the pipeline before
    its next step.

    Two threads write through it, the task's and the watch's: ``_writing`` keeps their writes
    apart, and ``settle()`` ends the watch's part before the outcome is written.
    """

    def __init__(self, ctx: AppContext, job: ProcessingJob, claim: RecordedEvent | None = None):
        self.ctx = ctx  # the task thread's; the watch writes with its own
        self.job = job
        # The claim's JOB_STARTED, committed but not yet published: it goes out with the next
        # write (for a quick job, the outcome's message), one PUBLISH per job fewer (issue 16).
        self._unannounced = [claim] if claim is not None else []
        self.go_on = True
        self._held: list[Move] = []
        self._written_at = time.monotonic()
        self._writing = threading.Lock()
        self._settled = False

    async def step(self, moves: Sequence[Move]) -> bool:
        with self._writing:
            self._held.extend(moves)
        if self.due():
            await self.flush(self.ctx)
        return self.go_on

    def due(self) -> bool:
        """Steps have been held for ``PROGRESS_LATENCY``: write them now."""
        return bool(self._held) and time.monotonic() - self._written_at >= PROGRESS_LATENCY

    @property
    def held(self) -> list[Move]:
        """The steps not yet recorded (written with the outcome by ``_finish``)."""
        return self._held

    def written(self) -> None:
        """The held steps were committed with the outcome."""
        self._held = []

    def announce(self) -> list[RecordedEvent]:
        """The committed events still to publish, before the next write's own (handed over
        once: a write that then fails leaves the claim to the hub's catch-up)."""
        events, self._unannounced = self._unannounced, []
        return events

    async def write(self, ctx: AppContext, session: AsyncSession) -> bool:
        """Record the held steps in ``session``'s transaction. False when the job must stop:
        this attempt no longer owns it, or a cancel was asked for (then it is CANCELLED here)."""
        moves, self._held = self._held, []
        self._written_at = time.monotonic()
        for committed in self.announce():
            ctx.publisher.publish_after_commit(session, committed)
        jobs = ctx.jobs(session)
        for event, progress, stage in moves:
            cancel = await jobs.step(self.job, event, progress, stage)
            if cancel is None:
                self.go_on = False
            elif cancel:
                await jobs.stop_cancelled(self.job)
                self.go_on = False
            if not self.go_on:
                break
        return self.go_on

    async def flush(self, ctx: AppContext) -> None:
        """Write the held steps in a transaction of their own (from either thread)."""
        with self._writing:
            if not self._held or not self.go_on or self._settled:
                return
            async with ctx.session() as session:
                await self.write(ctx, session)
                await commit(session)

    def settle(self) -> None:
        """Before the outcome's transaction: the watch's write under way is done, and it
        writes no more."""
        with self._writing:
            self._settled = True


@dataclass
class Liveness:
    """What the watch (``worker.watch``) does for the running job while its pipeline holds the
    task's thread: stop a child grown past its memory ceiling, write the steps held too long,
    renew the lease every ``heartbeat_seconds``. A failure is logged and tried again at the
    next look; the lease runs out only if renewals fail for ``lease_seconds``. A database that
    does not answer holds a look for at most ``LOOK_LIMIT``, so the memory is still looked at
    while PostgreSQL is away."""

    reporter: JobReporter
    renewed_at: float = field(default_factory=time.monotonic)

    async def look(self, ctx: AppContext) -> None:
        await memory_look(ctx, self.reporter)
        if self.reporter.due():
            # Steps whose write fails are not written again: the job goes on, its timeline
            # misses them (as it did when a timer task wrote them).
            await self._bounded(ctx, self.reporter.flush(ctx), "recording progress")
        if time.monotonic() - self.renewed_at >= ctx.settings.heartbeat_seconds:
            self.renewed_at = time.monotonic()
            await self._bounded(ctx, self._renew(ctx), "lease renewal")

    async def _renew(self, ctx: AppContext) -> None:
        async with ctx.session() as session:
            await ctx.jobs(session).renew_lease(self.reporter.job)
            await commit(session)

    async def _bounded(self, ctx: AppContext, work: Awaitable[None], what: str) -> None:
        try:
            async with asyncio.timeout(LOOK_LIMIT):
                await work
        except Exception:
            log.warning("%s for job %s failed", what, self.reporter.job.id, exc_info=True)


@contextlib.asynccontextmanager
async def local_copy(ctx: AppContext, key: str, size: int) -> AsyncIterator[Path]:
    """The stored file as a local path for PyMuPDF, whatever the storage backend: the file
    itself when the storage keeps it on this machine (read in place: a temporary copy cost
    ~0.1 ms of CPU per job, issue 16), else (an object store) a temporary file of at most
    ``size`` bytes (checked against the upload limit by the caller), deleted when the task is
    done with it."""
    direct = ctx.storage.local_path(key)
    if direct is not None:
        yield direct
        return
    with tempfile.NamedTemporaryFile(suffix=Path(key).suffix) as tmp:
        async for chunk in ctx.storage.open(key, 1 << 20, length=size):
            tmp.write(chunk)
        tmp.flush()
        yield Path(tmp.name)


async def _run_held(
    ctx: AppContext, statement: tuple[Any, dict[str, Any]], reporter: JobReporter | None = None
) -> Recorded | None:
    """A unit of work of ONE statement (the claim, the quick job's outcome) on the connection
    this process holds: no session, no pool checkout (~0.15 ms of CPU each, issue 16). With a
    ``reporter``, its events are published once the statement returns committed, after what the
    reporter has still to announce, in one message."""
    recorded = recorded_of(await ctx.held.rows(*statement))
    if recorded is not None and reporter is not None:
        await ctx.publisher.publish_committed([*reporter.announce(), *recorded[0]])
    return recorded


async def _finish(
    ctx: AppContext, reporter: JobReporter, path: Path, mime_type: str, ends: float
) -> None:
    job = reporter.job
    try:
        state = await run_pipeline(path, reporter, mime_type)
        if time.monotonic() > ends:
            # The backstop: Celery's signal can land in any code that catches Exception (a
            # library's own retry, say), so the task's soft limit is checked here as well.
            raise SoftTimeLimitExceeded()
        reporter.settle()
    except Exception as error:
        reporter.settle()
        await _failed(ctx, reporter, error, path)
        return
    assert state.parsed is not None and state.outcome is not None
    parsed, output = state.parsed, state.outcome.to_json()
    # The steps still held, then the outcome: one statement, which changes nothing when a
    # cancel is pending or the job was lost.
    statement = outcome_statement(
        job,
        reporter.held,
        raw_text=parsed.raw_text,
        output=output,
        page_count=parsed.page_count,
        max_text_chars=ctx.settings.max_indexed_text_chars,
    )
    try:
        rule = ctx.settings.straight_through != "off"
        if not rule and await _run_held(ctx, statement, reporter) is not None:
            reporter.written()  # the quick job's usual end
            return
        async with ctx.session() as session:
            done = rule and await ctx.jobs(session).run(statement) is not None
            if not done and await reporter.write(ctx, session):
                # A cancel was asked for (or the job was lost): step by step, as a slow job.
                completed = await ctx.jobs(session).complete(
                    job, raw_text=parsed.raw_text, output=output, page_count=parsed.page_count
                )
                done = completed is not None
            if done:
                # Opt-in: finalize in the same transaction what needs no person's look.
                await straight_through.apply(session, ctx.settings, job.document_id)
            await commit(session)
        reporter.written()
    except Exception as error:
        await _failed(ctx, reporter, error, path)


async def _failed(ctx: AppContext, reporter: JobReporter, error: Exception, path: Path) -> None:
    """Record why the job failed, with a true code, or re-raise what a retry can heal.

    Only a dependency error (database or Redis away) is re-raised: the task base retries it.
    Bad data never heals, so PostgreSQL refusing a value (a tsvector over 1 MB, a character
    it cannot store) fails the job at once with ``DATA_REJECTED``; retrying it would only
    burn the attempts and end in a false ``WORKER_LOST``.
    """
    if isinstance(error, Stopped):
        return
    job = reporter.job
    if isinstance(error, SoftTimeLimitExceeded):
        code, message = "TIMEOUT", "processing took longer than the time limit"
    elif limits.is_memory_error(error):
        log.warning("job %s: allocation refused (%s)", job.id, describe(error))
        code, message = "RESOURCE_LIMIT", _memory_message(ctx)
    elif isinstance(error, ProcessingError):
        code, message = error.code, error.message
    elif is_dependency_error(error):
        raise error
    elif is_data_error(error):
        log.warning("job %s: the database refused its data: %s", job.id, describe(error))
        code = "DATA_REJECTED"
        message = f"the database refused the extracted data: {describe(error)}"
    else:
        log.exception("job %s failed unexpectedly", job.id, exc_info=error)
        code, message = "PROCESSING_ERROR", f"{type(error).__name__}: {describe(error)}"
    await _fail(ctx, reporter, code, scrub_paths(message, path))


def _memory_message(ctx: AppContext) -> str:
    return (
        "the document needs more memory than a worker may use "
        f"(limit {ctx.settings.worker_max_memory_mib} MiB per worker process)"
    )


_TEMP_PATH = re.compile(re.escape(tempfile.gettempdir()) + r"""/[^\s'"(),;]+""")


def scrub_paths(message: str, path: Path | None = None) -> str:
    """A failure message as users see it: never the worker's temporary paths."""
    if path is not None:
        message = message.replace(str(path), "the file").replace(path.name, "the file")
    return _TEMP_PATH.sub("the file", message)


async def _fail(ctx: AppContext, reporter: JobReporter, code: str, message: str) -> None:
    """FAILED with ``code``, after the steps the reporter still holds (the timeline shows how
    far the job got)."""
    async with ctx.session() as session:
        await reporter.write(ctx, session)
        await ctx.jobs(session).fail(reporter.job, code, message)
        await commit(session)


async def memory_look(ctx: AppContext, reporter: JobReporter) -> None:
    """Stop a job whose pool child has grown past ``worker_max_memory_mib`` (``worker.limits``).

    The job is FAILED with RESOURCE_LIMIT first, then the child exits: its memory goes back
    to the system, Celery starts a fresh child, and the redelivered task finds nothing to claim.
    Taken before the job runs (a child already above the ceiling starts nothing) and then at
    every look of the watch.
    """
    ceiling = ctx.settings.worker_max_memory_mib * limits.MiB
    rss = limits.rss_bytes()
    if not ceiling or rss <= ceiling:
        return
    log.error(
        "job %s: pool child %s at %d MiB, above the %d MiB ceiling; failing the job "
        "and replacing the child",
        reporter.job.id,
        os.getpid(),
        rss // limits.MiB,
        ceiling // limits.MiB,
    )
    try:
        reporter.settle()  # what the task's thread still holds is written with the failure
        await _fail(ctx, reporter, "RESOURCE_LIMIT", _memory_message(ctx))
    finally:
        os._exit(70)


async def process_many(job_ids: Sequence[uuid.UUID]) -> None:
    """The jobs of one task (``api.queue.task_groups``), one after the other.

    A job starts only while the task has used less than a tenth of its soft time limit; the
    rest go back to the queue as a new task, so every job keeps nearly the whole limit. A job
    that fails ends as FAILED and the next one runs; a dependency error (database or Redis
    away) stops the task, whose retry finds the jobs already done with nothing to claim.
    """
    ctx = runtime.context()
    started = time.monotonic()
    deadline = started + ctx.settings.task_soft_time_limit / 10
    for index, job_id in enumerate(job_ids):
        if index and time.monotonic() > deadline:
            log.info(
                "task out of time before job %s; %d jobs re-enqueued", job_id, len(job_ids) - index
            )
            await ctx.queue.enqueue_many(job_ids[index:])
            return
        await process(job_id, ends=started + ctx.settings.task_soft_time_limit)


async def process(job_id: uuid.UUID, ends: float = math.inf) -> None:
    """One job; ``ends``: the task's soft time limit, by ``time.monotonic()``."""
    ctx = runtime.context()
    claimed = claimed_of(await _run_held(ctx, claim_statement(job_id, ctx.settings.lease)))
    if claimed is None:
        log.info("job %s: nothing to claim (done, cancelled or taken); skipping", job_id)
        return
    reporter = JobReporter(ctx, claimed.job, claim=claimed.event)
    document = claimed.document
    stored_file_path, mime_type = document["stored_file_path"], document["mime_type"]
    size = await ctx.storage.size(stored_file_path)
    if size is None:
        await _fail(ctx, reporter, "FILE_MISSING", "the stored file is missing")
        return
    if size > ctx.settings.max_upload_bytes:  # never copy more than an upload may hold
        limit = ctx.settings.max_upload_bytes
        message = f"the stored file ({size} bytes) is larger than the upload limit ({limit})"
        await _fail(ctx, reporter, "FILE_TOO_LARGE", message)
        return
    await memory_look(ctx, reporter)
    # Watched from here: an object store's download can outlast the lease too.
    with runtime.watch().watching(Liveness(reporter)):
        async with local_copy(ctx, stored_file_path, size) as path:
            await _finish(ctx, reporter, path, mime_type, ends)
