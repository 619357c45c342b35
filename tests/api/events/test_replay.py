"""Bounded replay (api.events.replay) and subscriptions that refuse instead of opening silently:
an unknown job or document, a resume point older than the replay window, a malformed event id."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from api.auth.actor import SYSTEM
from api.context import AppContext
from api.events.replay import ResumePointTooOld, check_resume_point
from schema.context import Context
from schema.schema import schema
from tests.api.helpers import make_document

FEED = (
    "subscription($job: ID, $document: ID, $after: ID) { jobEvents(jobId: $job, "
    "documentId: $document, afterEventId: $after) { id type } }"
)


async def _first(app: Any, variables: dict[str, Any]) -> Any:
    """The first thing a subscription yields: an event, or its error."""
    context = Context(app=app.state.ctx, hub=app.state.hub, actor=SYSTEM)
    try:
        stream = await schema.subscribe(FEED, variable_values=variables, context_value=context)
        if not hasattr(stream, "__aiter__"):
            return stream
        async for result in stream:
            await stream.aclose()
            return result
    finally:
        await context.aclose()


def _error_code(result: Any) -> str:
    assert result.errors, result
    return str(result.errors[0].extensions["code"])


async def test_resume_point_window(ctx: AppContext) -> None:
    for _ in range(3):
        await make_document(ctx)
    async with ctx.session() as session:
        from db.repositories import EventRepository

        newest = await EventRepository(session).newest_ids(100)
        assert len(newest) >= 6
        await check_resume_point(session, None, 2)  # no cursor: live only, nothing replayed
        await check_resume_point(session, 0, 1000)  # everything fits in the window
        with pytest.raises(ResumePointTooOld) as refused:
            await check_resume_point(session, 0, 2)
        oldest = newest[2]
        assert refused.value.code == "RESUME_POINT_TOO_OLD"
        assert f"oldest resumable id is {oldest}" in refused.value.message
        await check_resume_point(session, oldest, 2)  # exactly two events follow it
        with pytest.raises(ResumePointTooOld):
            await check_resume_point(session, oldest - 1, 2)


async def test_subscriptions_refuse_unknown_ids_and_old_resume_points(
    app: Any, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = await make_document(ctx)
    missing = str(uuid.uuid4())
    assert _error_code(await _first(app, {"job": missing})) == "NOT_FOUND"
    assert _error_code(await _first(app, {"document": missing})) == "NOT_FOUND"
    for hostile in ["²", "٣", "-1", "1e3", "9" * 40]:
        result = await _first(app, {"after": hostile})
        assert _error_code(result) == "VALIDATION_ERROR", hostile
        assert "invalid literal" not in result.errors[0].message  # no Python int() message
    monkeypatch.setattr(app.state.ctx.settings, "max_replay_events", 2)
    result = await _first(app, {"after": "0"})
    assert _error_code(result) == "RESUME_POINT_TOO_OLD"
    assert "oldest resumable id" in result.errors[0].message
    # Within the window, the stored events are replayed.
    async with ctx.session() as session:
        from db.repositories import EventRepository

        count = len(await EventRepository(session).newest_ids(100, document_id=document.id))
    monkeypatch.setattr(app.state.ctx.settings, "max_replay_events", count)
    result = await _first(app, {"document": str(document.id), "after": "0"})
    assert not getattr(result, "errors", None), result
    monkeypatch.setattr(app.state.ctx.settings, "max_replay_events", count - 1)
    result = await _first(app, {"document": str(document.id), "after": "0"})
    assert _error_code(result) == "RESUME_POINT_TOO_OLD"


async def test_sse_resume_point_is_bounded(
    app: Any, client: httpx.AsyncClient, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = await make_document(ctx)
    job = (await client.get(f"/api/documents/{document.id}")).json()["latestJob"]
    monkeypatch.setattr(app.state.ctx.settings, "max_replay_events", 1)
    response = await client.get(f"/api/jobs/{job['id']}/stream", params={"after": 0})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "RESUME_POINT_TOO_OLD" and body["field"] == "after"
    response = await client.get(f"/api/jobs/{job['id']}/stream", headers={"Last-Event-ID": "0"})
    assert response.json()["error"]["field"] == "Last-Event-ID"
