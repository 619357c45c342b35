"""The audit trail: every change recorded with its actor, in the change's own transaction;
``Document.history`` and the JSON export's ``finalizedBy`` read it."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from api.context import AppContext
from db.models import AuditEvent
from tests.api.helpers import gql_data, make_document
from tests.auth import ADMIN_EMAIL

HISTORY = """query($id: ID!) { document(id: $id) { history {
    action occurredAt actor { kind id name } changes { field before after } } } }"""


async def test_review_finalize_export_are_audited_with_their_actor(
    app: Any, client: httpx.AsyncClient, ctx: AppContext, admin: Any
) -> None:
    document = await make_document(ctx, fields={"vendorName": "Acme GmbH"})
    url = f"/api/documents/{document.id}"
    review = await client.put(
        f"{url}/review",
        json={"fields": {"vendorName": "Acme AG", "currency": "EUR"}, "expectedVersion": 1},
    )
    assert review.status_code == 200, review.text
    # A stale version changes nothing, and records nothing.
    stale = await client.put(
        f"{url}/review", json={"fields": {"vendorName": "Nope"}, "expectedVersion": 1}
    )
    assert stale.status_code == 409
    assert (await client.post(f"{url}/finalize")).status_code == 200
    assert (await client.post(f"{url}/finalize")).status_code == 200  # again: no new entry
    exported = await client.get(f"{url}/export/json")
    assert exported.json()["finalizedBy"] == {
        "kind": "token",
        "id": str(admin.token_id),
        "name": f"test admin ({ADMIN_EMAIL})",
    }

    history = (await gql_data(client, HISTORY, {"id": str(document.id)}))["document"]["history"]
    assert [h["action"] for h in history] == ["REVIEWED", "FINALIZED", "EXPORTED"]
    assert history[0]["changes"] == [
        {"field": "vendorName", "before": "Acme GmbH", "after": "Acme AG"}
    ]  # currency did not change: not listed
    assert {h["actor"]["kind"] for h in history} == {"token"}

    bulk = await client.get("/api/exports/documents.json")
    assert bulk.json()[0]["finalizedBy"]["id"] == str(admin.token_id)
    async with ctx.session() as session:
        actions = [
            e.action for e in await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    assert actions[-1] == "EXPORTED"  # the bulk export: one row, no document


async def test_upload_retry_cancel_are_audited(
    app: Any, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    from tests.api.helpers import MINI_PDF

    upload = await client.post(
        "/api/documents/upload", files={"files": ("a.pdf", MINI_PDF, "application/pdf")}
    )
    assert upload.status_code == 201, upload.text
    document_id = upload.json()["documents"][0]["id"]
    failed = await make_document(ctx, state="FAILED")
    # Never sent to the broker: no running worker can finish it before it is cancelled.
    queued = await make_document(ctx, state="QUEUED")
    jobs = {}
    for document in (failed, queued):
        detail = (await client.get(f"/api/documents/{document.id}")).json()
        jobs[document.id] = detail["latestJob"]["id"]
    assert (await client.post(f"/api/jobs/{jobs[failed.id]}/retry")).status_code == 200
    assert (await client.post(f"/api/jobs/{jobs[queued.id]}/cancel")).status_code == 200

    expected = {
        document_id: ["UPLOADED"],
        str(failed.id): ["RETRIED"],
        str(queued.id): ["CANCELLED"],
    }
    for key, actions in expected.items():
        history = (await gql_data(client, HISTORY, {"id": key}))["document"]["history"]
        assert [h["action"] for h in history] == actions
