"""GraphQL queries through the ASGI app: list, search, filters, sorts, paging, counts, loaders."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import text

from tests.api.helpers import count_statements, gql, gql_data, make_document

LIST = """
query($search: String, $filter: DocumentFilter, $sort: DocumentSort, $first: Int, $after: String) {
  documents(search: $search, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id originalFilename status fileUrl
      latestJob { id status progress }
      extraction { version fields { vendorName totalAmount currency invoiceDate } } } }
  }
}"""


async def ids(client, **variables):
    data = await gql_data(client, LIST, variables)
    return [e["node"]["id"] for e in data["documents"]["edges"]], data["documents"]


async def test_document_job_and_counts(app, client):
    ctx = app.state.ctx
    done = await make_document(ctx, filename="a.pdf")
    await make_document(ctx, state="QUEUED")
    failed = await make_document(ctx, state="FAILED")
    data = await gql_data(
        client,
        """query($id: ID!) { document(id: $id) { id originalFilename
        mimeType fileSize sha256 pageCount uploadedAt status fileUrl duplicateOf { id }
        jobs { id status } latestJob { id status retryCount createdAt startedAt completedAt
          errorCode errorMessage stage progress document { id }
          events { id jobId documentId type status progress stage message attempt occurredAt } }
        extraction { rawText isFinalized finalizedAt updatedAt version
          extracted { vendorName invoiceNumber invoiceDate dueDate totalAmount taxAmount
            currency status }
          reviewed { vendorName } fields { vendorName }
          evidence { field confidence page bbox source } } } }""",
        {"id": str(done.id)},
    )
    document = data["document"]
    assert document["fileUrl"] == f"/api/documents/{done.id}/file"
    assert document["extraction"]["extracted"]["invoiceDate"] == "2024-03-01"
    assert document["extraction"]["reviewed"] is None
    assert document["extraction"]["evidence"][0]["bbox"] == [1.0, 2.0, 3.0, 4.0]
    events = document["latestJob"]["events"]
    assert [e["type"] for e in events] == ["JOB_QUEUED", "JOB_STARTED", "JOB_COMPLETED"]
    assert all(e["id"].isdigit() for e in events)
    assert document["latestJob"]["document"]["id"] == str(done.id)

    failed_job = (
        await gql_data(
            client,
            "query($id: ID!) { document(id: $id) { latestJob { id } } }",
            {"id": str(failed.id)},
        )
    )["document"]["latestJob"]["id"]
    job = (
        await gql_data(
            client, "query($id: ID!) { job(id: $id) { status errorCode } }", {"id": failed_job}
        )
    )["job"]
    assert job == {"status": "FAILED", "errorCode": "PDF_CORRUPT"}

    counts = (await gql_data(client, "{ documentCounts { status count } }"))["documentCounts"]
    assert {c["status"]: c["count"] for c in counts} == {
        "QUEUED": 1,
        "PROCESSING": 0,
        "COMPLETED": 1,
        "FAILED": 1,
        "CANCELLED": 0,
        "FINALIZED": 0,
    }

    missing = await gql_data(
        client, '{ document(id: "00000000-0000-0000-0000-000000000000") { id } }'
    )
    assert missing["document"] is None


async def test_duplicate_of(app, client):
    ctx = app.state.ctx
    first = await make_document(ctx, content=b"%PDF-1.4 same bytes")
    from api.effects import commit
    from api.services.uploads import IncomingFile

    async def chunks():
        yield b"%PDF-1.4 same bytes"

    async with ctx.session() as session:
        service = ctx.uploads(session)
        outcome = await service.accept([IncomingFile("copy.pdf", chunks())])
        await commit(session)
    copy = outcome.documents[0]
    data = await gql_data(
        client, "query($id: ID!) { document(id: $id) { duplicateOf { id } } }", {"id": str(copy.id)}
    )
    assert data["document"]["duplicateOf"]["id"] == str(first.id)


async def test_search_filters_and_sorts(app, client):
    ctx = app.state.ctx
    acme = await make_document(
        ctx,
        filename="acme-march.pdf",
        raw_text="Widgets delivered",
        fields={"vendorName": "Acme GmbH", "totalAmount": "119.00"},
    )
    globex = await make_document(
        ctx,
        filename="scan_0042.pdf",
        raw_text="Consulting hours",
        fields={
            "vendorName": "Globex Corp",
            "invoiceNumber": "GX-77",
            "totalAmount": "-12.50",
            "currency": "USD",
            "invoiceDate": "2023-12-31",
        },
    )
    nulls = await make_document(
        ctx,
        filename="zeta.pdf",
        raw_text="nothing",
        fields={"vendorName": None, "totalAmount": None, "invoiceDate": None, "currency": None},
    )
    queued = await make_document(ctx, filename="queued.pdf", state="QUEUED")

    assert (await ids(client, search="acm"))[0] == [str(acme.id)]  # prefix while typing
    assert (await ids(client, search="consult"))[0] == [str(globex.id)]  # document text
    assert (await ids(client, search="GX-77"))[0] == [str(globex.id)]  # invoice number
    assert (await ids(client, search="0042"))[0] == [str(globex.id)]  # filename part
    assert (await ids(client, search="globex corp"))[0] == [str(globex.id)]
    assert (await ids(client, search="globex nomatch"))[0] == []
    # hostile search input is just words
    assert (await ids(client, search="') | !acme:* & ("))[0] == [str(acme.id)]
    assert (await ids(client, search="!!! ***"))[1]["totalCount"] == 4  # no words: no filter

    def f(**kw):
        return {"filter": kw}

    assert (await ids(client, **f(vendorName="GLOBEX")))[0] == [str(globex.id)]
    assert (await ids(client, **f(currency="usd")))[0] == [str(globex.id)]
    assert set((await ids(client, **f(minTotal="0")))[0]) == {str(acme.id)}
    assert set((await ids(client, **f(maxTotal="0")))[0]) == {str(globex.id)}
    assert set((await ids(client, **f(status=["QUEUED"])))[0]) == {str(queued.id)}
    assert len((await ids(client, **f(status=["COMPLETED", "QUEUED"])))[0]) == 4
    assert len((await ids(client, **f(uploadedFrom="2000-01-01T00:00:00Z")))[0]) == 4
    assert (await ids(client, **f(uploadedTo="2000-01-01T00:00:00Z")))[0] == []

    for field in [
        "UPLOADED_AT",
        "FILENAME",
        "STATUS",
        "FILE_SIZE",
        "INVOICE_DATE",
        "TOTAL_AMOUNT",
        "VENDOR_NAME",
    ]:
        for direction in ["ASC", "DESC"]:
            everything, _ = await ids(
                client, sort={"field": field, "direction": direction}, first=100
            )
            paged: list[str] = []
            after = None
            while True:
                page, conn = await ids(
                    client, sort={"field": field, "direction": direction}, first=1, after=after
                )
                paged += page
                if not conn["pageInfo"]["hasNextPage"]:
                    break
                after = conn["pageInfo"]["endCursor"]
            assert paged == everything, (field, direction)
            assert len(set(paged)) == 4

    asc, _ = await ids(client, sort={"field": "TOTAL_AMOUNT", "direction": "ASC"})
    assert asc[0] == str(globex.id) and asc[1] == str(acme.id)  # -12.50 < 119.00, NULLs last
    names, _ = await ids(client, sort={"field": "FILENAME", "direction": "ASC"})
    assert names[0] == str(acme.id) and names[-1] == str(nulls.id)


async def test_paging_stays_correct_while_documents_arrive(app, client):
    ctx = app.state.ctx
    for i in range(5):
        await make_document(ctx, filename=f"doc{i}.pdf")
    first, conn = await ids(client, first=2)
    for i in range(3):
        await make_document(ctx, filename=f"new{i}.pdf")  # newer: before the cursor
    rest: list[str] = []
    after = conn["pageInfo"]["endCursor"]
    while after:
        page, conn = await ids(client, first=2, after=after)
        rest += page
        after = conn["pageInfo"]["endCursor"] if conn["pageInfo"]["hasNextPage"] else None
    assert len(first + rest) == 5 and len(set(first + rest)) == 5
    assert conn["totalCount"] == 8


async def test_page_of_100_costs_the_same_statements_as_page_of_1(app, client):
    ctx = app.state.ctx
    for i in range(100):
        await make_document(ctx, filename=f"bulk{i:03}.pdf")
    query = """query($first: Int) { documents(first: $first) { totalCount edges { node {
        id status duplicateOf { id } jobs { id } latestJob { id status events { id type } }
        extraction { version fields { vendorName } } } } } }"""
    with count_statements(ctx_of(app)) as one_all:
        data = await gql_data(client, query, {"first": 1})
    assert len(data["documents"]["edges"]) == 1
    with count_statements(ctx_of(app)) as hundred_all:
        data = await gql_data(client, query, {"first": 100})
    assert len(data["documents"]["edges"]) == 100
    # Resolving the caller's token is per request, and its last_used_at is written at most once
    # a minute: whether that falls into one of the two requests is not the page's cost.
    one = [s for s in one_all if "api_tokens" not in s]
    hundred = [s for s in hundred_all if "api_tokens" not in s]
    assert len(one) == len(hundred), (one, hundred)
    assert len(hundred) <= 7


def ctx_of(app):
    return app.state.ctx


@pytest.mark.parametrize("first", [101, -1, 10_000])
async def test_first_out_of_range(app, client, first):
    body = await gql(client, LIST, {"first": first})
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_ERROR"
    assert error["extensions"]["field"] == "first"
    assert "100" in error["message"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        base64.urlsafe_b64encode(b"[1,2]").decode(),
        base64.urlsafe_b64encode(
            json.dumps({"s": "UPLOADED_AT:D", "v": "x", "i": "nope"}).encode()
        ).decode(),
        base64.urlsafe_b64encode(
            json.dumps(
                {
                    "s": "UPLOADED_AT:D",
                    "v": "not-a-date",
                    "i": "00000000-0000-0000-0000-000000000000",
                }
            ).encode()
        ).decode(),
        base64.urlsafe_b64encode(
            json.dumps(
                {"s": "FILENAME:A", "v": "a", "i": "00000000-0000-0000-0000-000000000000"}
            ).encode()
        ).decode(),
    ],
)
async def test_malformed_cursor(app, client, cursor):
    body = await gql(client, LIST, {"after": cursor})
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert body["errors"][0]["extensions"]["field"] == "after"


async def test_malformed_ids_and_hostile_queries(app, client):
    # A malformed id names nothing that exists: NOT_FOUND, as everywhere (api.ids).
    body = await gql(client, '{ document(id: "not-a-uuid") { id } }')
    assert body["data"]["document"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await gql(client, '{ job(id: "1; DROP TABLE documents") { id } }')
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    deep = "{ documents { edges { node { latestJob { document { latestJob { document { latestJob { document { latestJob { document { id } } } } } } } } } } } }"
    body = await gql(client, deep)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: documentCounts {{ count }}" for i in range(40)) + " }"
    body = await gql(client, aliases)
    assert "aliases" in body["errors"][0]["message"].lower()
    body = await gql(client, '{ documents(filter: {minTotal: "abc"}) { totalCount } }')
    assert "Decimal" in body["errors"][0]["message"]


async def test_database_down_is_a_clean_graphql_error(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from api.services.documents import DocumentService

    async def boom(self, *args, **kwargs):
        raise OperationalError("SELECT secret_internal_table", {}, ConnectionRefusedError("x"))

    monkeypatch.setattr(DocumentService, "counts", boom)
    body = await gql(client, "{ documentCounts { count } }")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "secret" not in json.dumps(body)

    async def crash(self, *args, **kwargs):
        raise RuntimeError("internal detail /etc/passwd")

    monkeypatch.setattr(DocumentService, "counts", crash)
    body = await gql(client, "{ documentCounts { count } }")
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert "passwd" not in json.dumps(body)


async def test_search_vector_is_indexed(app):
    async with app.state.ctx.engine.connect() as conn:
        plan = await conn.execute(
            text(
                "EXPLAIN SELECT 1 FROM documents WHERE search_vector @@ to_tsquery('simple', 'a:*')"
            )
        )
        assert plan.all()
