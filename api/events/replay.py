"""How far back a subscriber may resume: at most ``max_replay_events`` stored events are replayed.

``afterEventId`` (GraphQL) and ``Last-Event-ID`` / ``?after=`` (SSE) replay the stored events
after the cursor before the live ones. Without a bound, ``afterEventId: 0`` on the dashboard feed
replays every event ever stored. A cursor with more than ``max_replay_events`` newer events (in
the subscription's scope) is older than the replay window: the subscription is refused with
``RESUME_POINT_TOO_OLD``, naming the oldest id it may resume from; a client that gets it reloads
the current state (a query) and subscribes from there.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ValidationFailed
from db.repositories import EventRepository


class ResumePointTooOld(ValidationFailed):
    code = "RESUME_POINT_TOO_OLD"


async def check_resume_point(
    session: AsyncSession,
    after_id: int | None,
    max_events: int,
    *,
    job_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
    field: str = "afterEventId",
) -> None:
    if after_id is None:
        return
    newest = await EventRepository(session).newest_ids(
        max_events + 1, job_id=job_id, document_id=document_id
    )
    if len(newest) <= max_events:
        return  # everything in scope fits in the window
    oldest_resumable = newest[-1]  # exactly max_events events follow it
    if after_id < oldest_resumable:
        raise ResumePointTooOld(
            f"{field} {after_id} is older than the replay window (at most {max_events} stored "
            f"events are replayed); the oldest resumable id is {oldest_resumable}: resume "
            f"after it, or reload the current state and subscribe without {field}",
            field=field,
        )
