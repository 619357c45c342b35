"""The reviewer's day over GraphQL: the review queue, possible duplicates and their confirmed
finalize (audited), bulk finalize/retry/cancel with per-document results, authorization per
role, and hostile selections (too many ids, malformed ids, both or neither of ids and filter)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from api.context import AppContext
from api.services.documents import MAX_SELECTION
from db.models import Role
from tests.api.helpers import gql, gql_data, make_document
from tests.auth import make_identity

QUEUE = """query($after: ID, $before: ID) {
  reviewQueueLength
  next: nextToReview(after: $after) { id }
  previous: previousToReview(before: $before) { id }
  reviewSettings { confidenceThreshold straightThrough maxSelection }
}"""
FINALIZE = """mutation($id: ID!, $confirm: Boolean! = false) {
  finalizeDocument(id: $id, confirmDuplicate: $confirm) {
    __typename
    ... on UserError { code message }
    ... on DuplicateSuspectedError { duplicateIds }
    ... on FinalizeDocumentSuccess { document { status history { action actor { name }
      changes { field after } } } }
  }
}"""
BULK = """mutation($ids: [ID!], $filter: DocumentFilter, $search: String) {
  bulkFinalize(ids: $ids, filter: $filter, search: $search) {
    __typename
    ... on UserError { code message field }
    ... on BulkActionSuccess { succeeded refused results { documentId ok code message } }
  }
}"""

# With a net amount, net + tax = total runs (and holds: 100 + 19 = 119), so bulk finalize may.
CHECKED = {"netAmount": "100.00"}


async def _queue(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    return await gql_data(client, QUEUE, variables)


async def test_queue_walks_completed_documents_oldest_first_and_wraps(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    first = await make_document(ctx, filename="1.pdf")
    await make_document(ctx, filename="done.pdf", finalize=True)
    await make_document(ctx, filename="queued.pdf", state="QUEUED")
    second = await make_document(ctx, filename="2.pdf")
    third = await make_document(ctx, filename="3.pdf")

    data = await _queue(client)
    assert data["reviewQueueLength"] == 3
    assert data["next"]["id"] == str(first.id)
    assert data["previous"]["id"] == str(third.id)
    assert data["reviewSettings"] == {
        "confidenceThreshold": 0.8,
        "straightThrough": "off",
        "maxSelection": MAX_SELECTION,
    }
    assert (await _queue(client, after=str(first.id)))["next"]["id"] == str(second.id)
    assert (await _queue(client, before=str(second.id)))["previous"]["id"] == str(first.id)
    # Past the end it wraps around, never back to where it stands.
    assert (await _queue(client, after=str(third.id)))["next"]["id"] == str(first.id)
    assert (await _queue(client, before=str(first.id)))["previous"]["id"] == str(third.id)

    # Leaving a document that was just finalized still finds its successor.
    result = await gql_data(client, FINALIZE, {"id": str(second.id)})
    assert result["finalizeDocument"]["__typename"] == "FinalizeDocumentSuccess"
    data = await _queue(client, after=str(second.id))
    assert data["reviewQueueLength"] == 2
    assert data["next"]["id"] == str(third.id)


async def test_queue_empty_and_malformed_ids(ctx: AppContext, client: httpx.AsyncClient) -> None:
    data = await _queue(client)
    assert data["reviewQueueLength"] == 0 and data["next"] is None and data["previous"] is None
    body = await gql(client, QUEUE, {"after": "not-a-uuid' OR 1=1"})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # An unknown (well-formed) id starts from the beginning.
    only = await make_document(ctx)
    assert (await _queue(client, after=str(uuid.uuid4())))["next"]["id"] == str(only.id)


async def test_possible_duplicates_need_a_recorded_confirmation(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    same = {"invoiceNumber": "R-77", "totalAmount": "50.00", "vendorName": "Acme GmbH"}
    original = await make_document(ctx, filename="a.pdf", fields=same)
    # Same number and total; vendor spelled otherwise but the same VAT id.
    by_vat = await make_document(
        ctx,
        filename="b.pdf",
        fields={**same, "vendorName": "ACME", "sellerVatId": "DE123456789"},
    )
    await make_document(
        ctx, filename="c.pdf", fields={**same, "vendorName": "Other", "sellerVatId": "DE999"}
    )
    vat_twin = await make_document(
        ctx, filename="d.pdf", fields={**same, "vendorName": "Else", "sellerVatId": "DE123456789"}
    )
    await make_document(ctx, filename="e.pdf", fields={**same, "totalAmount": "50.01"})
    await make_document(ctx, filename="f.pdf", fields={**same, "vendorName": "acme gmbh"})

    data = await gql_data(
        client,
        """query($id: ID!) { document(id: $id) { possibleDuplicates { originalFilename } } }""",
        {"id": str(original.id)},
    )
    # The vendor is compared case-insensitively ("acme gmbh"); "ACME" is another vendor, and
    # a missing VAT id matches nothing.
    assert [d["originalFilename"] for d in data["document"]["possibleDuplicates"]] == ["f.pdf"]
    data = await gql_data(
        client,
        """query($id: ID!) { document(id: $id) { possibleDuplicates { id } } }""",
        {"id": str(by_vat.id)},
    )
    assert [d["id"] for d in data["document"]["possibleDuplicates"]] == [str(vat_twin.id)]

    refused = (await gql_data(client, FINALIZE, {"id": str(by_vat.id)}))["finalizeDocument"]
    assert refused["__typename"] == "DuplicateSuspectedError"
    assert refused["code"] == "DUPLICATE_SUSPECTED"
    assert refused["duplicateIds"] == [str(vat_twin.id)]
    assert "d.pdf" in refused["message"]

    done = (await gql_data(client, FINALIZE, {"id": str(by_vat.id), "confirm": True}))[
        "finalizeDocument"
    ]
    assert done["__typename"] == "FinalizeDocumentSuccess"
    history = done["document"]["history"]
    assert [h["action"] for h in history][-2:] == ["DUPLICATE_CONFIRMED", "FINALIZED"]
    assert history[-2]["changes"] == [{"field": "possibleDuplicates", "after": str(vat_twin.id)}]
    assert "admin@paperlane.test" in history[-2]["actor"]["name"]

    # REST says the same: 409 DUPLICATE_SUSPECTED, then 200 with confirmDuplicate=true.
    response = await client.post(f"/api/documents/{vat_twin.id}/finalize")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "DUPLICATE_SUSPECTED"
    response = await client.post(
        f"/api/documents/{vat_twin.id}/finalize", params={"confirmDuplicate": "true"}
    )
    assert response.status_code == 200 and response.json()["status"] == "FINALIZED"


async def test_possible_duplicates_read_invoice_numbers_as_people_do(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    """Case, spaces and punctuation aside, a number is the same number; other digits are not."""
    same = {"totalAmount": "50.00", "vendorName": "Acme GmbH"}
    original = await make_document(
        ctx, filename="a.pdf", fields={**same, "invoiceNumber": "INV-2024/001"}
    )
    for name, number in [
        ("b.pdf", "inv 2024 001"),
        ("c.pdf", "INV2024001"),
        ("d.pdf", "INV.2024-001"),
    ]:
        await make_document(ctx, filename=name, fields={**same, "invoiceNumber": number})
    for name, number in [("e.pdf", "INV-2024/0010"), ("f.pdf", "INV-2024/01"), ("g.pdf", "---")]:
        await make_document(ctx, filename=name, fields={**same, "invoiceNumber": number})
    data = await gql_data(
        client,
        """query($id: ID!) { document(id: $id) { possibleDuplicates { originalFilename } } }""",
        {"id": str(original.id)},
    )
    found = [d["originalFilename"] for d in data["document"]["possibleDuplicates"]]
    assert found == ["b.pdf", "c.pdf", "d.pdf"]


async def test_possible_duplicates_cost_one_statement_per_page(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    for n in range(6):
        await make_document(ctx, filename=f"{n}.pdf", fields={"invoiceNumber": f"N-{n % 3}"})
    data = await gql_data(
        client,
        "{ documents(first: 50) { edges { node { originalFilename "
        "possibleDuplicates { originalFilename } } } } }",
    )
    pairs = {
        e["node"]["originalFilename"]: sorted(
            d["originalFilename"] for d in e["node"]["possibleDuplicates"]
        )
        for e in data["documents"]["edges"]
    }
    assert pairs == {
        "0.pdf": ["3.pdf"], "3.pdf": ["0.pdf"], "1.pdf": ["4.pdf"],
        "4.pdf": ["1.pdf"], "2.pdf": ["5.pdf"], "5.pdf": ["2.pdf"],
    }  # fmt: skip


async def test_bulk_finalize_reports_each_document(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    good = await make_document(ctx, filename="good.pdf", fields=CHECKED)
    # No net amount: no check can run, so nothing vouches for the values (``checks_hold``).
    unchecked = await make_document(ctx, filename="unchecked.pdf")
    # 100 + 19 ≠ 150: NET_PLUS_TAX_EQUALS_TOTAL fails.
    bad = await make_document(
        ctx, filename="bad.pdf", fields={"netAmount": "100.00", "totalAmount": "150.00"}
    )
    queued = await make_document(ctx, filename="queued.pdf", state="QUEUED")
    twin = {**CHECKED, "invoiceNumber": "T-1"}
    twin_a = await make_document(ctx, filename="twin-a.pdf", fields=twin)
    await make_document(ctx, filename="twin-b.pdf", fields=twin)
    missing = str(uuid.uuid4())
    ids = [str(good.id), str(unchecked.id), str(bad.id), str(queued.id), str(twin_a.id)]
    ids += [missing, "junk", "junk"]

    data = (await gql_data(client, BULK, {"ids": ids}))["bulkFinalize"]
    assert data["__typename"] == "BulkActionSuccess"
    by_id = {r["documentId"]: r for r in data["results"]}
    assert len(data["results"]) == 7  # repeats counted once
    assert by_id[str(good.id)] == {
        "documentId": str(good.id), "ok": True, "code": None, "message": None,
    }  # fmt: skip
    assert by_id[str(bad.id)]["code"] == "CHECKS_FAILED"
    assert "NET_PLUS_TAX_EQUALS_TOTAL" in by_id[str(bad.id)]["message"]
    assert by_id[str(unchecked.id)]["code"] == "CHECKS_FAILED"
    assert "no check could run" in by_id[str(unchecked.id)]["message"]
    assert by_id[str(queued.id)]["code"] == "DOCUMENT_NOT_COMPLETED"
    assert by_id[str(twin_a.id)]["code"] == "DUPLICATE_SUSPECTED"
    assert by_id[missing]["code"] == "NOT_FOUND"
    assert by_id["junk"]["code"] == "NOT_FOUND"
    assert (data["succeeded"], data["refused"]) == (1, 6)

    history = await gql_data(
        client,
        "query($a: ID!, $b: ID!) { a: document(id: $a) { status history { action } } "
        "b: document(id: $b) { status history { action } } }",
        {"a": str(good.id), "b": str(bad.id)},
    )
    assert history["a"]["status"] == "FINALIZED"
    assert [h["action"] for h in history["a"]["history"]] == ["FINALIZED"]
    assert history["b"]["status"] == "COMPLETED" and history["b"]["history"] == []


async def test_bulk_finalize_by_filter(ctx: AppContext, client: httpx.AsyncClient) -> None:
    a = await make_document(ctx, filename="a.pdf", fields={**CHECKED, "vendorName": "Globex"})
    b = await make_document(ctx, filename="b.pdf", fields={**CHECKED, "vendorName": "Globex Inc"})
    other = await make_document(ctx, filename="c.pdf", fields={"vendorName": "Initech"})
    data = (
        await gql_data(client, BULK, {"filter": {"vendorName": "globex", "status": ["COMPLETED"]}})
    )["bulkFinalize"]
    assert sorted(r["documentId"] for r in data["results"]) == sorted([str(a.id), str(b.id)])
    assert data["succeeded"] == 2
    # The export of a picked selection uses the same filter model (ids).
    response = await client.get(
        "/api/exports/documents.json", params=[("ids", str(a.id)), ("ids", str(other.id))]
    )
    assert response.status_code == 200
    assert [r["documentId"] for r in response.json()] == [str(a.id)]
    # Hostile picks: a malformed id, or more than a selection may name.
    response = await client.get("/api/exports/documents.json", params={"ids": "1; DROP"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "ids.0"
    too_many = [("ids", str(uuid.uuid4())) for _ in range(MAX_SELECTION + 1)]
    response = await client.get("/api/exports/documents.csv", params=too_many)
    assert response.status_code == 422 and response.json()["error"]["field"] == "ids"


async def test_bulk_retry_and_cancel(ctx: AppContext, client: httpx.AsyncClient) -> None:
    failed = await make_document(ctx, state="FAILED")
    queued = await make_document(ctx, state="QUEUED")
    done = await make_document(ctx)
    ids = [str(failed.id), str(queued.id), str(done.id)]
    retry = """mutation($ids: [ID!]) { bulkRetry(ids: $ids) {
      ... on BulkActionSuccess { results { documentId ok code } } } }"""
    cancel = retry.replace("bulkRetry", "bulkCancel")
    # Cancel first: nothing is enqueued by it, so no worker can move these documents meanwhile.
    results = (await gql_data(client, cancel, {"ids": ids}))["bulkCancel"]["results"]
    assert [(r["ok"], r["code"]) for r in results] == [
        (False, "JOB_NOT_CANCELLABLE"), (True, None), (False, "JOB_NOT_CANCELLABLE"),
    ]  # fmt: skip
    # The failed one and the one just cancelled are retried; the completed one cannot be.
    results = (await gql_data(client, retry, {"ids": ids}))["bulkRetry"]["results"]
    assert [(r["ok"], r["code"]) for r in results] == [
        (True, None), (True, None), (False, "JOB_NOT_RETRYABLE"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        (
            {"ids": [str(uuid.uuid4()) for _ in range(MAX_SELECTION + 1)]},
            "SELECTION_TOO_LARGE",
            "ids",
        ),
        ({}, "VALIDATION_ERROR", "ids"),
        ({"ids": [], "filter": {"status": ["COMPLETED"]}}, "VALIDATION_ERROR", "ids"),
        ({"filter": {"ids": ["nope"]}}, "VALIDATION_ERROR", "ids"),
        ({"filter": {"minTotal": "1e999999"}}, "VALIDATION_ERROR", "minTotal"),
        ({"search": "x\u0000y"}, "VALIDATION_ERROR", "search"),
    ],
)
async def test_bulk_hostile_selections(
    ctx: AppContext,
    client: httpx.AsyncClient,
    variables: dict[str, Any],
    code: str,
    field: str,
) -> None:
    body = await gql(client, BULK, variables)
    if body.get("errors"):  # a scalar refused by GraphQL itself
        assert code == "VALIDATION_ERROR", body
        return
    result = body["data"]["bulkFinalize"]
    assert result["__typename"] == "ValidationError", result
    assert (result["code"], result["field"]) == (code, field)


async def test_bulk_filter_matching_too_many_is_refused(
    ctx: AppContext, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("api.services.bulk.MAX_SELECTION", 2)
    for _ in range(3):
        await make_document(ctx)
    result = (await gql_data(client, BULK, {"filter": {"status": ["COMPLETED"]}}))["bulkFinalize"]
    assert (result["__typename"], result["code"]) == ("ValidationError", "SELECTION_TOO_LARGE")
    assert (await _queue(client))["reviewQueueLength"] == 3  # nothing changed


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REVIEWER, Role.UPLOADER, Role.VIEWER])
@pytest.mark.parametrize("mutation", ["bulkFinalize", "bulkRetry", "bulkCancel"])
async def test_bulk_authorization(
    ctx: AppContext,
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    role: Role,
    mutation: str,
) -> None:
    document = await make_document(ctx, fields=CHECKED)
    identity = await make_identity(ctx, role)
    text = BULK.replace("bulkFinalize", mutation)
    response = await anonymous.post(
        "/graphql",
        json={"query": text, "variables": {"ids": [str(document.id)]}},
        headers=identity.headers,
    )
    body = response.json()
    if role in (Role.ADMIN, Role.REVIEWER):
        assert not body.get("errors"), body
        assert body["data"][mutation]["__typename"] == "BulkActionSuccess"
    else:
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    status = (
        await gql_data(
            client, "query($id: ID!) { document(id: $id) { status } }", {"id": str(document.id)}
        )
    )["document"]["status"]
    done = mutation == "bulkFinalize" and role in (Role.ADMIN, Role.REVIEWER)
    assert status == ("FINALIZED" if done else "COMPLETED")


HISTORY = "document { history { action changes { field after } } }"


async def test_review_and_finalize_answer_with_their_own_history_entry(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    """The mutation's answer is what a fresh query then says: its own audit entry included.
    One operation reviews twice and finalizes (mutations run in order, each after the last one's
    commit), so each answer's history was already loaded by the field before it: a loader that
    kept that load past the write would miss the entry just written."""
    document = await make_document(ctx, fields=CHECKED)
    version = (
        await gql_data(
            client,
            "query($id: ID!) { document(id: $id) { extraction { version } } }",
            {"id": str(document.id)},
        )
    )["document"]["extraction"]["version"]
    success = f"... on ReviewDocumentSuccess {{ {HISTORY} }}"
    data = await gql_data(
        client,
        f"""mutation($first: ReviewDocumentInput!, $second: ReviewDocumentInput!, $id: ID!) {{
          first: reviewDocument(input: $first) {{ {success} }}
          second: reviewDocument(input: $second) {{ {success} }}
          finalize: finalizeDocument(id: $id) {{ ... on FinalizeDocumentSuccess {{ {HISTORY} }} }}
        }}""",
        {
            "id": str(document.id),
            "first": {
                "documentId": str(document.id),
                "fields": {"vendorName": "Acme AG"},
                "expectedVersion": version,
            },
            "second": {
                "documentId": str(document.id),
                "fields": {"vendorName": "Acme SE"},
                "expectedVersion": version + 1,
            },
        },
    )
    first = data["first"]["document"]["history"]
    assert [h["action"] for h in first] == ["REVIEWED"]
    assert {"field": "vendorName", "after": "Acme AG"} in first[0]["changes"]
    second = data["second"]["document"]["history"]
    assert [h["action"] for h in second] == ["REVIEWED", "REVIEWED"]
    assert {"field": "vendorName", "after": "Acme SE"} in second[1]["changes"]
    finalized = data["finalize"]["document"]["history"]
    assert [h["action"] for h in finalized] == ["REVIEWED", "REVIEWED", "FINALIZED"]
    fresh = await gql_data(
        client,
        "query($id: ID!) { document(id: $id) { history { action changes { field after } } } }",
        {"id": str(document.id)},
    )
    assert fresh["document"]["history"] == finalized
