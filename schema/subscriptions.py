"""The live job event feed, served from the process's EventHub (one Redis subscription)."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.errors import ValidationFailed
from api.events.model import JobEventMessage
from schema.types import JobEvent

_EVENTS: OrderedDict[int, tuple[JobEventMessage, JobEvent]] = OrderedDict()
EVENT_CACHE = 1024


def job_event_of(message: JobEventMessage) -> JobEvent:
    """One ``JobEvent`` per delivered message object: the hub hands the same message to every
    live subscriber, and the same ``JobEvent`` lets ``schema.shared`` execute it once for all."""
    hit = _EVENTS.get(id(message))
    if hit is not None and hit[0] is message:
        return hit[1]
    event = JobEvent.of(message)
    _EVENTS[id(message)] = (message, event)
    if len(_EVENTS) > EVENT_CACHE:
        _EVENTS.popitem(last=False)
    return event


def _optional_uuid(value: str | None, field: str) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise ValidationFailed(f"{field} {value!r} is not a valid id", field=field) from None


def _event_id(value: str | None) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        raise ValidationFailed(
            f"afterEventId must be a JobEvent id (a non-negative integer); got {value!r}",
            field="afterEventId",
        )
    return int(text)


@strawberry.type(description="Live updates.")
class Subscription:
    @strawberry.subscription(
        description="Job events as they happen. With neither jobId nor documentId: every event "
        "(the dashboard feed). With afterEventId: the stored events after it first, then live "
        "ones, with no gap and no duplicate. A subscriber that falls too far behind gets an "
        "error naming the afterEventId to resume from."
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
        job = _optional_uuid(job_id, "jobId")
        document = _optional_uuid(document_id, "documentId")
        after = _event_id(after_event_id)
        stream = info.context.hub.replay_then_live(job_id=job, document_id=document, after_id=after)
        try:
            async for message in stream:
                yield job_event_of(message)
        finally:
            await stream.aclose()
