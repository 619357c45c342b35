"""The live job event feed, served from the process's EventHub (one Redis subscription), and the
review queue's length, from the process's ReviewQueueWatch."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.ids import parse_event_id, parse_id
from schema.direct import Route
from schema.shared import job_event_of
from schema.types import JobEvent


@strawberry.type(description="Live updates.")
class Subscription:
    @strawberry.subscription(
        description="Job events as they happen. With neither jobId nor documentId: every event "
        "(the dashboard feed). With afterEventId: the stored events after it first, then live "
        "ones, with no gap and no duplicate. A subscriber that falls too far behind gets an "
        "error naming the afterEventId to resume from. An unknown jobId or documentId is "
        "NOT_FOUND; an afterEventId with more than PAPERLANE_MAX_REPLAY_EVENTS newer events is "
        "RESUME_POINT_TOO_OLD, naming the oldest resumable id."
    )
    async def job_events(
        self,
        info: Info,
        job_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this job's events.")
        ] = None,
        document_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this document's events.")
        ] = None,
        after_event_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Resume after this event id (replays stored events)."),
        ] = None,
    ) -> AsyncGenerator[JobEvent, None]:
        job = parse_id(job_id, "job", field="jobId") if job_id is not None else None
        document = (
            parse_id(document_id, "document", field="documentId")
            if document_id is not None
            else None
        )
        after = (
            parse_event_id(after_event_id, field="afterEventId")
            if after_event_id is not None
            else None
        )
        await info.context.check_subscription(job, document, after)
        route = Route.of(info.operation)
        if route is not None:  # a WebSocket subscriber whose events skip Strawberry (direct.py)
            direct = route.events(info.context.hub, job, document, after)
            try:
                async for event in direct:
                    yield event
            finally:
                await direct.aclose()
            return
        stream = info.context.hub.replay_then_live(job_id=job, document_id=document, after_id=after)
        try:
            async for message in stream:
                yield job_event_of(message)
        finally:
            await stream.aclose()

    @strawberry.subscription(
        description="How many documents wait for review (as the reviewQueueLength query): now, "
        "then each new value. Checked once a second (PAPERLANE_REVIEW_QUEUE_POLL_SECONDS) per "
        "API process, so a finalize anywhere shows within about that long."
    )
    async def review_queue_length(self, info: Info) -> AsyncGenerator[int, None]:
        lengths = info.context.app.review_queue.lengths()
        try:
            async for length in lengths:
                yield length
        finally:
            await lengths.aclose()
