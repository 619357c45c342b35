"""REST: jobs, their retry and cancel, their stored events and a Server-Sent Events stream.

The SSE stream (``GET /api/jobs/{id}/stream``) sends the job's stored events first (all of them,
or those after ``Last-Event-ID`` / ``?after=``), then live ones from the process's event hub,
each with ``id:`` = the event id and ``event: job_event``. It stays open after a terminal event
(a FAILED or CANCELLED job may be retried and produce more events); clients close it when they
are done. A ``Last-Event-ID`` that is not an event id (non-numeric, negative, beyond bigint) is
rejected with 422 ``VALIDATION_ERROR`` (field ``Last-Event-ID``) rather than ignored: silently
replaying from the start would hand a confused client duplicates. An empty one counts as
absent. A comment line is sent every ``keepalive_seconds`` so proxies keep the connection. A
subscriber that falls too far behind receives ``event: error`` and the stream ends; the browser's
EventSource then reconnects with ``Last-Event-ID`` and resumes without gaps.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from api.auth.actor import Actor
from api.auth.http import Reader, Reviewer
from api.auth.identity import still_valid
from api.context import AppContext
from api.deps import Context, Session
from api.effects import commit
from api.errors import PaperlaneError
from api.events.hub import EventHub
from api.events.model import JobEventMessage
from api.events.replay import check_resume_point
from api.ids import parse_event_id, parse_id
from api.routes.serializers import JobOut
from db.repositories import EventRepository

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
MAX_EVENT_ID = 2**63 - 1  # PostgreSQL bigint


@router.get("/{job_id}", response_model=JobOut, summary="One job", description="404 if absent.")
async def get_job(_: Reader, ctx: Context, session: Session, job_id: str) -> JobOut:
    return JobOut.of(await ctx.jobs(session).get(parse_id(job_id, "job")))


@router.post(
    "/{job_id}/retry",
    response_model=JobOut,
    summary="Retry a job",
    description="Queue a FAILED or CANCELLED job again; 409 JOB_NOT_RETRYABLE otherwise, "
    "409 DOCUMENT_FINALIZED if its document is finalized.",
)
async def retry_job(actor: Reviewer, ctx: Context, session: Session, job_id: str) -> JobOut:
    job = await ctx.jobs(session).retry(parse_id(job_id, "job"), actor)
    await commit(session)
    return JobOut.of(job)


@router.post(
    "/{job_id}/cancel",
    response_model=JobOut,
    summary="Cancel a job",
    description="A QUEUED job is cancelled at once; a PROCESSING one stops at its next step. "
    "409 JOB_NOT_CANCELLABLE otherwise.",
)
async def cancel_job(actor: Reviewer, ctx: Context, session: Session, job_id: str) -> JobOut:
    job = await ctx.jobs(session).cancel(parse_id(job_id, "job"), actor)
    await commit(session)
    return JobOut.of(job)


@router.get(
    "/{job_id}/events",
    response_model=list[JobEventMessage],
    summary="A job's stored events",
    description="Oldest first, across all attempts (at most 1000 per call; page with `after`).",
)
async def job_events(
    _: Reader,
    ctx: Context,
    session: Session,
    job_id: str,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_EVENT_ID, description="Only events after this id.")
    ] = None,
) -> list[JobEventMessage]:
    job = await ctx.jobs(session).get(parse_id(job_id, "job"))
    rows = await EventRepository(session).list(job_id=job.id, after_id=after)
    return [JobEventMessage.from_row(r) for r in rows]


def _checker(ctx: AppContext, actor: Actor) -> StillAllowed:
    async def check() -> bool:
        async with ctx.sessions() as session:
            return await still_valid(session, actor)

    return check


def _sse(message: JobEventMessage) -> bytes:
    return f"id: {message.id}\nevent: job_event\ndata: {message.to_json()}\n\n".encode()


StillAllowed = Callable[[], Awaitable[bool]]
REVOKED = json.dumps({"code": "UNAUTHENTICATED", "message": "the credential was revoked"})


async def event_stream(
    hub: EventHub,
    job_id: object,
    after: int,
    keepalive: float,
    request: Request | None = None,
    still_allowed: StillAllowed | None = None,
    recheck_seconds: float = 0,
) -> AsyncIterator[bytes]:
    """``still_allowed`` is awaited every ``recheck_seconds``: once it says no (token revoked,
    session ended, user disabled), the stream sends ``event: error`` and ends."""
    yield b"retry: 2000\n\n"
    stream = hub.replay_then_live(job_id=job_id, after_id=after)  # type: ignore[arg-type]
    pending: asyncio.Task[JobEventMessage] | None = None
    loop = asyncio.get_running_loop()
    recheck = recheck_seconds if still_allowed is not None else 0
    waits = [t for t in (keepalive, recheck) if t > 0]
    last_sent = last_check = loop.time()
    try:
        while True:
            if recheck and loop.time() - last_check >= recheck:
                last_check = loop.time()
                if still_allowed is not None and not await still_allowed():
                    yield f"event: error\ndata: {REVOKED}\n\n".encode()
                    return
            if pending is None:
                pending = asyncio.ensure_future(stream.__anext__())
            done, _ = await asyncio.wait({pending}, timeout=min(waits) if waits else None)
            if not done:
                if keepalive and loop.time() - last_sent >= keepalive:
                    last_sent = loop.time()
                    yield b": keep-alive\n\n"
                continue
            last_sent = loop.time()
            task, pending = pending, None
            try:
                message = task.result()
            except StopAsyncIteration:
                return
            except PaperlaneError as error:
                body = json.dumps({"code": error.code, "message": error.message})
                yield f"event: error\ndata: {body}\n\n".encode()
                return
            yield _sse(message)
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        await stream.aclose()


@router.get(
    "/{job_id}/stream",
    summary="Live events (Server-Sent Events)",
    description="Stored events first (after `Last-Event-ID` or `?after=` if given, else all), "
    "then live ones; `id:` is the event id. Stays open after terminal events (a retry may "
    "follow); a comment line is sent every keepalive interval.",
    response_class=StreamingResponse,
)
async def stream_job_events(
    actor: Reader,
    ctx: Context,
    session: Session,
    request: Request,
    job_id: str,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_EVENT_ID, description="Resume after this event id.")
    ] = None,
    last_event_id: Annotated[
        str | None, Header(alias="Last-Event-ID", description="Set by EventSource on reconnect.")
    ] = None,
) -> StreamingResponse:
    job = await ctx.jobs(session).get(parse_id(job_id, "job"))
    job_uuid = job.id
    await session.rollback()
    resume = after if after is not None else 0
    cursor_field = "after"
    if last_event_id is not None and last_event_id.strip():
        resume = parse_event_id(last_event_id, field="Last-Event-ID")
        cursor_field = "Last-Event-ID"
    await check_resume_point(
        session, resume, ctx.settings.max_replay_events, job_id=job_uuid, field=cursor_field
    )
    await session.rollback()
    hub: EventHub = request.app.state.hub
    return StreamingResponse(
        event_stream(
            hub,
            job_uuid,
            resume,
            ctx.settings.keepalive_seconds,
            request,
            still_allowed=_checker(ctx, actor),
            recheck_seconds=ctx.settings.auth_recheck_seconds,
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
