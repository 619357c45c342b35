"""Mutations (every union member), REST routes, exports and hostile input, via the ASGI app."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import uuid

from tests.api.helpers import MINI_PDF, gql, gql_data, make_document

REVIEW = """mutation($input: ReviewDocumentInput!) { reviewDocument(input: $input) {
  __typename
  ... on ReviewDocumentSuccess { document { id status extraction { version
      reviewed { vendorName totalAmount currency invoiceDate status }
      fields { vendorName invoiceNumber totalAmount currency }
      extracted { vendorName } evidence { field source } } } }
  ... on UserError { code message field }
  ... on VersionConflictError { currentVersion } } }"""
FINALIZE = """mutation($id: ID!) { finalizeDocument(id: $id) { __typename
  ... on FinalizeDocumentSuccess { document { status extraction { isFinalized finalizedAt } } }
  ... on UserError { code message field } } }"""
RETRY = """mutation($id: ID!) { retryJob(id: $id) { __typename
  ... on RetryJobSuccess { job { id status retryCount } } ... on UserError { code message } } }"""
CANCEL = """mutation($id: ID!) { cancelJob(id: $id) { __typename
  ... on CancelJobSuccess { job { id status } } ... on UserError { code message } } }"""


async def review(client, document_id, fields, version):
    data = await gql_data(
        client,
        REVIEW,
        {"input": {"documentId": str(document_id), "fields": fields, "expectedVersion": version}},
    )
    return data["reviewDocument"]


async def latest_job_id(client, document_id):
    data = await gql_data(
        client,
        "query($id: ID!) { document(id: $id) { latestJob { id } } }",
        {"id": str(document_id)},
    )
    return data["document"]["latestJob"]["id"]


async def test_review_partial_update_and_errors(app, client):
    ctx = app.state.ctx
    doc = await make_document(ctx)
    ok = await review(
        client,
        doc.id,
        {
            "vendorName": "Acme Corporation",
            "currency": "usd",
            "totalAmount": "120.5",
            "status": None,
        },
        1,
    )
    assert ok["__typename"] == "ReviewDocumentSuccess"
    ext = ok["document"]["extraction"]
    assert ext["version"] == 2
    assert ext["reviewed"] == {
        "vendorName": "Acme Corporation",
        "totalAmount": "120.50",
        "currency": "USD",
        "invoiceDate": "2024-03-01",
        "status": None,
    }
    assert ext["fields"]["invoiceNumber"].startswith("INV-2024-001-")  # omitted: unchanged
    assert ext["extracted"]["vendorName"] == "Acme GmbH"  # machine output kept
    assert {e["field"] for e in ext["evidence"] if e["source"] == "reviewer"} == {
        "vendorName",
        "totalAmount",
        "currency",
        "status",
    }
    # the denormalised columns follow: filter, search and sort see the reviewed values
    found = await gql_data(
        client,
        '{ documents(search: "corporation", filter: {currency: "USD", minTotal: "120.50"}) { totalCount } }',
    )
    assert found["documents"]["totalCount"] == 1

    stale = await review(client, doc.id, {"vendorName": "X"}, 1)
    assert stale["__typename"] == "VersionConflictError"
    assert stale["code"] == "VERSION_CONFLICT" and stale["currentVersion"] == 2

    for fields, field in [
        ({"totalAmount": "1.234"}, "totalAmount"),
        ({"totalAmount": "NaN"}, "totalAmount"),
        ({"taxAmount": "Infinity"}, "taxAmount"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"status": "MAYBE"}, "status"),
        ({"vendorName": "x" * 600}, "vendorName"),
    ]:
        bad = await review(client, doc.id, fields, 2)
        assert bad["__typename"] == "ValidationError", fields
        assert bad["field"] == field and bad["code"] == "VALIDATION_ERROR"

    body = await gql(
        client,
        REVIEW,
        {
            "input": {
                "documentId": str(doc.id),
                "fields": {"invoiceDate": "2024-02-30"},
                "expectedVersion": 2,
            }
        },
    )
    assert "invoiceDate" in body["errors"][0]["message"]  # Date scalar: clear
    body = await gql(
        client,
        REVIEW,
        {
            "input": {
                "documentId": str(doc.id),
                "fields": {"totalAmount": 12.5},
                "expectedVersion": 2,
            }
        },
    )
    assert "never a float" in body["errors"][0]["message"]

    missing = await review(client, uuid.uuid4(), {}, 1)
    assert missing["__typename"] == "NotFoundError" and missing["code"] == "NOT_FOUND"
    malformed = await review(client, "nope", {}, 1)
    assert malformed["__typename"] == "NotFoundError"
    queued = await make_document(ctx, state="QUEUED")
    not_done = await review(client, queued.id, {}, 1)
    assert not_done["__typename"] == "InvalidStateError"
    assert not_done["code"] == "DOCUMENT_NOT_COMPLETED"


async def test_concurrent_reviews_one_wins(app, client):
    doc = await make_document(app.state.ctx)
    a, b = await asyncio.gather(
        review(client, doc.id, {"vendorName": "A"}, 1),
        review(client, doc.id, {"invoiceNumber": "B"}, 1),
    )
    kinds = sorted([a["__typename"], b["__typename"]])
    assert kinds == ["ReviewDocumentSuccess", "VersionConflictError"]
    loser = a if a["__typename"] == "VersionConflictError" else b
    assert loser["currentVersion"] == 2
    # the loser re-applies on the current version; nothing is lost
    again = await review(
        client, doc.id, {"invoiceNumber": "B"} if loser is b else {"vendorName": "A"}, 2
    )
    fields = again["document"]["extraction"]["fields"]
    assert fields["vendorName"] == "A" and fields["invoiceNumber"] == "B"


async def test_finalize_retry_cancel(app, client):
    ctx = app.state.ctx
    doc = await make_document(ctx)
    done = (await gql_data(client, FINALIZE, {"id": str(doc.id)}))["finalizeDocument"]
    assert done["__typename"] == "FinalizeDocumentSuccess"
    assert done["document"]["status"] == "FINALIZED"
    first_at = done["document"]["extraction"]["finalizedAt"]
    again = (await gql_data(client, FINALIZE, {"id": str(doc.id)}))["finalizeDocument"]
    assert again["__typename"] == "FinalizeDocumentSuccess"
    assert again["document"]["extraction"]["finalizedAt"] == first_at  # no change
    final = await review(client, doc.id, {"vendorName": "late"}, 1)
    assert final["__typename"] == "InvalidStateError" and final["code"] == "DOCUMENT_FINALIZED"
    retry_final = await gql_data(client, RETRY, {"id": await latest_job_id(client, doc.id)})
    assert retry_final["retryJob"]["code"] in {"DOCUMENT_FINALIZED", "JOB_NOT_RETRYABLE"}

    queued = await make_document(ctx, state="QUEUED")
    r = (await gql_data(client, FINALIZE, {"id": str(queued.id)}))["finalizeDocument"]
    assert r["__typename"] == "InvalidStateError" and r["code"] == "DOCUMENT_NOT_COMPLETED"
    r = (await gql_data(client, FINALIZE, {"id": "bad"}))["finalizeDocument"]
    assert r["__typename"] == "NotFoundError"

    job_id = await latest_job_id(client, queued.id)
    r = (await gql_data(client, RETRY, {"id": job_id}))["retryJob"]
    assert r["__typename"] == "InvalidStateError" and r["code"] == "JOB_NOT_RETRYABLE"
    r = (await gql_data(client, CANCEL, {"id": job_id}))["cancelJob"]
    assert r["__typename"] == "CancelJobSuccess" and r["job"]["status"] == "CANCELLED"
    r = (await gql_data(client, CANCEL, {"id": job_id}))["cancelJob"]
    assert r["__typename"] == "InvalidStateError" and r["code"] == "JOB_NOT_CANCELLABLE"
    r = (await gql_data(client, RETRY, {"id": job_id}))["retryJob"]
    assert r["__typename"] == "RetryJobSuccess"
    assert r["job"]["status"] == "QUEUED" and r["job"]["retryCount"] == 1
    for mutation, name in [(RETRY, "retryJob"), (CANCEL, "cancelJob")]:
        for bad in [str(uuid.uuid4()), "x"]:
            r = (await gql_data(client, mutation, {"id": bad}))[name]
            assert r["__typename"] == "NotFoundError" and r["code"] == "NOT_FOUND"


UPLOAD = "mutation($files: [Upload!]!) { uploadDocuments(files: $files) { documents { id status originalFilename latestJob { status } } rejected { filename code message } } }"


def multipart(files, headers=True):
    operations = json.dumps({"query": UPLOAD, "variables": {"files": [None] * len(files)}})
    mapping = json.dumps({str(i): [f"variables.files.{i}"] for i in range(len(files))})
    data = {"operations": operations, "map": mapping}
    parts = {
        str(i): (name, content, "application/octet-stream")
        for i, (name, content) in enumerate(files)
    }
    return {
        "data": data,
        "files": parts,
        "headers": {"Apollo-Require-Preflight": "true"} if headers else {},
    }


async def test_graphql_upload(app, client):
    response = await client.post(
        "/graphql",
        **multipart(
            [
                ("a.pdf", MINI_PDF),
                ("../../evil.pdf", MINI_PDF + b"x"),
                ("notes.txt", b"hello"),
                ("empty.pdf", b""),
            ]
        ),
    )
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["uploadDocuments"]
    assert [d["originalFilename"] for d in payload["documents"]] == ["a.pdf", "evil.pdf"]
    # Each accepted file has its job; a worker running for other tests may already have taken
    # it (latestJob is read after the commit that enqueued it).
    assert all(
        d["latestJob"]["status"] in {"QUEUED", "PROCESSING", "COMPLETED", "FAILED"}
        for d in payload["documents"]
    )
    assert {r["code"] for r in payload["rejected"]} == {"UNSUPPORTED_TYPE", "EMPTY_FILE"}


async def test_rest_upload_answer_carries_each_documents_job(app, client):
    """An integrator can open /api/jobs/{id}/stream straight from the upload answer."""
    response = await client.post(
        "/api/documents/upload",
        files=[
            ("files", ("a.pdf", MINI_PDF, "application/pdf")),
            ("files", ("notes.txt", b"hello", "text/plain")),
        ],
    )
    assert response.status_code == 201, response.text
    (document,) = response.json()["documents"]
    job = document["latestJob"]
    # The answer shows the job as the upload's commit left it.
    assert job["status"] == "QUEUED" and job["documentId"] == document["id"]
    detail = (await client.get(f"/api/documents/{document['id']}")).json()
    assert detail["latestJob"]["id"] == job["id"]
    assert set(document) == set(detail), (
        "the upload answer has the shape of GET /api/documents/{id}"
    )
    assert (await client.get(f"/api/jobs/{job['id']}")).status_code == 200


async def test_graphql_upload_needs_csrf_header(app, client):
    response = await client.post("/graphql", **multipart([("a.pdf", MINI_PDF)], headers=False))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "CSRF_HEADER_REQUIRED"


async def test_too_many_files_and_too_large(app, client, monkeypatch):
    ctx = app.state.ctx
    monkeypatch.setattr(ctx.settings, "max_files_per_upload", 2)
    response = await client.post(
        "/graphql", **multipart([(f"{i}.pdf", MINI_PDF) for i in range(3)])
    )
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_FILES"
    response = await client.post(
        "/graphql",
        content=b"x" * 10,
        headers={"content-length": str(10**12), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "REQUEST_TOO_LARGE"


async def test_rest_documents_and_jobs(app, client):
    ctx = app.state.ctx
    doc = await make_document(ctx, filename='Rechnung "März" ü.pdf')
    other = await make_document(ctx, state="FAILED")
    page = (
        await client.get("/api/documents", params={"limit": 1, "sort": "filename", "order": "asc"})
    ).json()
    assert page["totalCount"] == 2 and page["hasNextPage"] and len(page["items"]) == 1
    rest = (
        await client.get(
            "/api/documents",
            params={"limit": 1, "sort": "filename", "order": "asc", "cursor": page["nextCursor"]},
        )
    ).json()
    assert {page["items"][0]["id"], rest["items"][0]["id"]} == {str(doc.id), str(other.id)}
    failed = (
        await client.get("/api/documents", params=[("status", "FAILED"), ("status", "QUEUED")])
    ).json()
    assert [i["id"] for i in failed["items"]] == [str(other.id)]
    assert (await client.get("/api/documents", params={"search": "acm"})).json()["totalCount"] == 1
    assert (await client.get("/api/documents", params={"limit": 101})).status_code == 422
    bad_cursor = await client.get("/api/documents", params={"cursor": "zzz"})
    assert bad_cursor.status_code == 422 and bad_cursor.json()["error"]["field"] == "after"

    detail = (await client.get(f"/api/documents/{doc.id}")).json()
    assert detail["latestJob"]["status"] == "COMPLETED"
    assert detail["extraction"]["fields"]["totalAmount"] == "119.00"
    assert (await client.get("/api/documents/not-a-uuid")).status_code == 404
    assert (await client.get(f"/api/documents/{uuid.uuid4()}")).json()["error"][
        "code"
    ] == "NOT_FOUND"

    file = await client.get(f"/api/documents/{doc.id}/file")
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    assert file.headers["content-type"] == "application/pdf"
    disposition = file.headers["content-disposition"]
    assert disposition.startswith('inline; filename="Rechnung _Marz_ u.pdf"')
    assert "filename*=UTF-8''Rechnung%20%22M%C3%A4rz%22%20%C3%BC.pdf" in disposition

    r = await client.put(
        f"/api/documents/{doc.id}/review",
        json={
            "fields": {"vendorName": "=cmd|' /C calc'!A0", "totalAmount": "-12.50"},
            "expectedVersion": 1,
        },
    )
    assert r.status_code == 200 and r.json()["extraction"]["version"] == 2
    r = await client.put(
        f"/api/documents/{doc.id}/review", json={"fields": {}, "expectedVersion": 1}
    )
    assert r.status_code == 409 and r.json()["error"]["currentVersion"] == 2
    r = await client.put(
        f"/api/documents/{doc.id}/review",
        json={"fields": {"currency": "ABC"}, "expectedVersion": 2},
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "currency"
    assert (await client.get(f"/api/documents/{doc.id}/export/json")).status_code == 409
    assert (await client.get(f"/api/documents/{doc.id}/export/csv")).json()["error"][
        "code"
    ] == "DOCUMENT_NOT_FINALIZED"
    assert (await client.post(f"/api/documents/{other.id}/finalize")).status_code == 409
    assert (await client.post(f"/api/documents/{doc.id}/finalize")).json()["status"] == "FINALIZED"
    assert (await client.post(f"/api/documents/{doc.id}/finalize")).status_code == 200
    r = await client.put(
        f"/api/documents/{doc.id}/review", json={"fields": {}, "expectedVersion": 2}
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "DOCUMENT_FINALIZED"

    exported = (await client.get(f"/api/documents/{doc.id}/export/json")).json()
    assert exported["documentId"] == str(doc.id)
    assert exported["vendorName"] == "=cmd|' /C calc'!A0" and exported["totalAmount"] == "-12.50"
    assert exported["finalizedAt"] and exported["invoiceNumber"].startswith("INV-2024-001-")
    text = (await client.get(f"/api/documents/{doc.id}/export/csv")).text
    lines = text.splitlines()
    assert (
        lines[0]
        == "document_id,original_filename,vendor_name,invoice_number,invoice_date,due_date,total_amount,tax_amount,currency,status,finalized_at,net_amount,seller_vat_id,buyer_name,iban,bic,order_reference,payment_terms"
    )
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["vendor_name"] == "'=cmd|' /C calc'!A0"  # neutralised
    assert row["total_amount"] == "-12.50"  # still a number
    assert row["invoice_date"] == "2024-03-01" and row["currency"] == "EUR"

    job_id = detail["latestJob"]["id"]
    assert (await client.get(f"/api/jobs/{job_id}")).json()["status"] == "COMPLETED"
    events = (await client.get(f"/api/jobs/{job_id}/events")).json()
    assert [e["type"] for e in events] == ["JOB_QUEUED", "JOB_STARTED", "JOB_COMPLETED"]
    assert set(events[0]) == {
        "id",
        "jobId",
        "documentId",
        "type",
        "status",
        "progress",
        "stage",
        "message",
        "attempt",
        "occurredAt",
    }
    assert (await client.post(f"/api/jobs/{job_id}/retry")).status_code == 409
    assert (await client.post(f"/api/jobs/{job_id}/cancel")).json()["error"][
        "code"
    ] == "JOB_NOT_CANCELLABLE"
    failed_job = (await client.get(f"/api/documents/{other.id}")).json()["latestJob"]["id"]
    assert (await client.post(f"/api/jobs/{failed_job}/retry")).json()["status"] == "QUEUED"
    # The retry enqueued the job: a worker running for other tests may claim it first, and
    # then cancel is a request honoured at its next step (200, still PROCESSING), or comes
    # after the job has already ended (409: the worker takes a few ms over this tiny PDF).
    cancelled = await client.post(f"/api/jobs/{failed_job}/cancel")
    if cancelled.status_code == 409:
        assert cancelled.json()["error"]["code"] == "JOB_NOT_CANCELLABLE"
        ended = (await client.get(f"/api/jobs/{failed_job}")).json()["status"]
        assert ended in {"COMPLETED", "FAILED"}
    else:
        assert cancelled.status_code == 200 and cancelled.json()["status"] in {
            "CANCELLED",
            "PROCESSING",
        }
    assert (await client.get("/api/jobs/123")).status_code == 404


async def test_bulk_export_streams_finalized_only(app, client):
    ctx = app.state.ctx
    from api.services import exports

    # Vendor words that cannot be a prefix of the random hex in make_document's invoice numbers
    # (searching "f3" matched an invoice number starting with f3 now and then).
    trees = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gum"]
    for i, tree in enumerate(trees):
        await make_document(
            ctx,
            filename=f"f{i}.pdf",
            finalize=True,
            fields={"vendorName": f"@{tree} {i}", "totalAmount": f"-{i}.50"},
        )
    await make_document(ctx, filename="draft.pdf")
    original = exports.BATCH
    exports.BATCH = 3  # several keyset batches
    try:
        rows = (await client.get("/api/exports/documents.json")).json()
        text = (await client.get("/api/exports/documents.csv")).text
        filtered = (
            await client.get("/api/exports/documents.json", params={"search": "dogwood"})
        ).json()
    finally:
        exports.BATCH = original
    assert len(rows) == 7 and len({r["documentId"] for r in rows}) == 7
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 7
    assert all(r["vendor_name"].startswith("'@") for r in table)
    assert {r["total_amount"] for r in table} == {f"-{i}.50" for i in range(7)}
    assert [r["originalFilename"] for r in filtered] == ["f3.pdf"]


async def test_openapi_describes_every_route(app, client):
    spec = (await client.get("/openapi.json")).json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary") or operation.get("description"), (path, method)
