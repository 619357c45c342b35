"""E-invoice XML and the booking fields over GraphQL: multipart upload through a real worker,
hostile files refused, every booking field and both lists reviewed, checks recomputed."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from api.context import AppContext
from api.services.fields import MAX_LINE_ITEMS
from tests.api.helpers import gql, gql_data, make_document
from tests.api.routes.test_einvoices import (
    CII_FIELDS,
    HOSTILE,
    UBL,
    UBL_FIELDS,
    document_count,
    stored_files,
)
from tests.jobs import wait_for
from tests.services import WorkerProcess

LINE = "description quantity unit unitPrice netAmount taxRate"
FIELDS = f"""vendorName invoiceNumber invoiceDate dueDate totalAmount taxAmount currency status
  netAmount sellerVatId buyerName iban bic orderReference paymentTerms
  taxBreakdown {{ rate netAmount taxAmount }} lineItems {{ {LINE} }}"""
UPLOAD = """mutation($files: [Upload!]!) { uploadDocuments(files: $files) {
  documents { id mimeType } rejected { filename code message } } }"""
DOCUMENT = f"""query($id: ID!) {{ document(id: $id) {{ status mimeType pageCount fileUrl
  extraction {{ version rawText fields {{ {FIELDS} }}
    checks {{ name passed message fields }} }} }} }}"""
REVIEW = f"""mutation($input: ReviewDocumentInput!) {{ reviewDocument(input: $input) {{
  __typename
  ... on ReviewDocumentSuccess {{ document {{ extraction {{ version
      reviewed {{ {FIELDS} }} extracted {{ {FIELDS} }}
      checks {{ name passed fields }} evidence {{ field source }} }} }} }}
  ... on UserError {{ code message field }} }} }}"""


def multipart(files: list[tuple[str, bytes]]) -> dict[str, Any]:
    operations = json.dumps({"query": UPLOAD, "variables": {"files": [None] * len(files)}})
    mapping = json.dumps({str(i): [f"variables.files.{i}"] for i in range(len(files))})
    return {
        "data": {"operations": operations, "map": mapping},
        "files": {
            str(i): (name, content, "application/octet-stream")
            for i, (name, content) in enumerate(files)
        },
        "headers": {"Apollo-Require-Preflight": "true"},
    }


async def graphql_upload(client: httpx.AsyncClient, files: list[tuple[str, bytes]]) -> Any:
    response = await client.post("/graphql", **multipart(files))
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]["uploadDocuments"]


@pytest.mark.worker
async def test_graphql_upload_of_a_ubl_invoice_completes_exactly(
    client: httpx.AsyncClient, ctx: AppContext, worker: WorkerProcess
) -> None:
    payload = await graphql_upload(client, [("invoice.xml", UBL)])
    assert payload["rejected"] == []
    (document,) = payload["documents"]
    assert document["mimeType"] == "application/xml"
    await wait_for(ctx, [document["id"]])
    data = await gql_data(client, DOCUMENT, {"id": document["id"]})
    doc = data["document"]
    assert doc["status"] == "COMPLETED" and doc["pageCount"] == 1
    assert doc["extraction"]["fields"] == UBL_FIELDS
    checks = {c["name"]: c["passed"] for c in doc["extraction"]["checks"]}
    assert checks["NET_PLUS_TAX_EQUALS_TOTAL"] and checks["BR-CO-10"] and all(checks.values())
    assert "Buyer name: Rhein Logistik AG" in doc["extraction"]["rawText"]


async def test_graphql_upload_refuses_hostile_xml(app: object, client: httpx.AsyncClient) -> None:
    ctx: AppContext = app.state.ctx  # type: ignore[attr-defined]
    before = stored_files(ctx)
    payload = await graphql_upload(client, [(name, data) for name, data, _ in HOSTILE])
    assert payload["documents"] == []
    assert {r["filename"]: r["code"] for r in payload["rejected"]} == {
        name: code for name, _, code in HOSTILE
    }
    assert stored_files(ctx) == before and await document_count(ctx) == 0


async def review(client: httpx.AsyncClient, doc_id: Any, fields: dict[str, Any], version: int):
    variables = {"input": {"documentId": str(doc_id), "fields": fields, "expectedVersion": version}}
    return await gql(client, REVIEW, variables)


async def test_graphql_review_of_every_booking_field(
    app: object, client: httpx.AsyncClient
) -> None:
    ctx: AppContext = app.state.ctx  # type: ignore[attr-defined]
    doc = await make_document(ctx, fields=CII_FIELDS)
    body = await review(
        client,
        doc.id,
        {
            "netAmount": "1300.00",
            "sellerVatId": "at u12345678",
            "buyerName": "Stadt Musterstadt",
            "iban": "DE02 1203 0000 0000 2020 51",
            "bic": "BYLADEM1001",
            "orderReference": None,
            "paymentTerms": "sofort",
            "taxBreakdown": [{"rate": "19", "netAmount": "1300", "taxAmount": "247"}],
            "lineItems": [
                {
                    "description": "Beratung",
                    "quantity": "10.5",
                    "unit": "h",
                    "unitPrice": "123.8095",
                    "netAmount": "1300.00",
                    "taxRate": "19",
                },
            ],
        },
        1,
    )
    result = body["data"]["reviewDocument"]
    assert result["__typename"] == "ReviewDocumentSuccess", body
    extraction = result["document"]["extraction"]
    reviewed = extraction["reviewed"]
    assert reviewed["sellerVatId"] == "ATU12345678"
    assert reviewed["iban"] == "DE02120300000000202051"
    assert reviewed["orderReference"] is None and reviewed["paymentTerms"] == "sofort"
    assert reviewed["taxBreakdown"] == [
        {"rate": "19.00", "netAmount": "1300.00", "taxAmount": "247.00"}
    ]
    assert reviewed["lineItems"] == [
        {"description": "Beratung", "quantity": "10.5", "unit": "h", "unitPrice": "123.8095",
         "netAmount": "1300.00", "taxRate": "19.00"},
    ]  # fmt: skip
    assert extraction["extracted"] == CII_FIELDS
    checks = {c["name"]: c for c in extraction["checks"]}
    assert checks["LINES_SUM_TO_NET"]["passed"] and checks["IBAN_CHECKSUM"]["passed"]
    assert not checks["NET_PLUS_TAX_EQUALS_TOTAL"]["passed"]  # tax and total not yet fixed
    assert not checks["TAX_BREAKDOWN_SUMS_TO_TAX"]["passed"]
    assert "taxAmount" in checks["TAX_BREAKDOWN_SUMS_TO_TAX"]["fields"]
    reviewer = {e["field"] for e in extraction["evidence"] if e["source"] == "reviewer"}
    assert {"lineItems", "taxBreakdown", "iban", "orderReference"} <= reviewer

    body = await review(client, doc.id, {"taxAmount": "247", "totalAmount": "1547"}, 2)
    checks = {
        c["name"]: c["passed"]
        for c in body["data"]["reviewDocument"]["document"]["extraction"]["checks"]
    }
    assert checks["NET_PLUS_TAX_EQUALS_TOTAL"] and checks["TAX_BREAKDOWN_SUMS_TO_TAX"]
    # Lists left out stay; null empties a list.
    body = await review(client, doc.id, {"taxBreakdown": None}, 3)
    reviewed = body["data"]["reviewDocument"]["document"]["extraction"]["reviewed"]
    assert reviewed["taxBreakdown"] == [] and len(reviewed["lineItems"]) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"iban": "GB82WEST12345698765431"}, "iban"),
        ({"bic": "DEUT"}, "bic"),
        ({"sellerVatId": "VAT"}, "sellerVatId"),
        ({"buyerName": "nul\u0000"}, "buyerName"),
        ({"netAmount": "1.001"}, "netAmount"),
        ({"lineItems": [{"description": "x"}] * (MAX_LINE_ITEMS + 1)}, "lineItems"),
        ({"lineItems": [{"description": "\u0000"}]}, "lineItems[0].description"),
        ({"lineItems": [{"taxRate": "100.01"}]}, "lineItems[0].taxRate"),
        ({"taxBreakdown": [{"rate": "-7"}]}, "taxBreakdown[0].rate"),
    ],
)
async def test_graphql_review_rejects_bad_booking_fields(
    app: object, client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    doc = await make_document(app.state.ctx, fields=CII_FIELDS)  # type: ignore[attr-defined]
    body = await review(client, doc.id, fields, 1)
    result = body["data"]["reviewDocument"]
    assert result["__typename"] == "ValidationError", body
    assert result["code"] == "VALIDATION_ERROR" and result["field"] == field


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"lineItems": [{"quantity": True}]}, "quantity"),
        ({"lineItems": [{"unitPrice": 1.5}]}, "unitPrice"),
        ({"lineItems": [{"sku": "1"}]}, "sku"),
        ({"taxBreakdown": "19%"}, "taxBreakdown"),
        ({"iban": 42}, "iban"),
    ],
)
async def test_graphql_review_wrong_types_are_request_errors(
    app: object, client: httpx.AsyncClient, fields: dict[str, Any], says: str
) -> None:
    doc = await make_document(app.state.ctx, fields=CII_FIELDS)  # type: ignore[attr-defined]
    body = await review(client, doc.id, fields, 1)
    assert body.get("data") is None and says in body["errors"][0]["message"], body
