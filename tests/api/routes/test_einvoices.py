"""E-invoice XML uploaded on its own and the booking fields over REST: upload through a real
worker with exact values, hostile XML refused with nothing stored, the file served as a
download, review of every booking field, checks recomputed, and the three exports."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.context import AppContext
from api.services.fields import MAX_LINE_ITEMS
from api.services.sniff import MAX_XML_BYTES
from db.models import Document
from tests.api.helpers import MINI_PDF, make_document
from tests.fixtures import EINVOICES
from tests.jobs import wait_for
from tests.services import WorkerProcess

CII = (EINVOICES / "cii-xrechnung.xml").read_bytes()
UBL = (EINVOICES / "ubl-invoice.xml").read_bytes()

CII_FIELDS: dict[str, Any] = {
    "vendorName": "Datenschutz Nord GmbH",
    "invoiceNumber": "RE-2025-0042",
    "invoiceDate": "2025-03-14",
    "dueDate": "2025-04-13",
    "totalAmount": "1534.79",
    "taxAmount": "234.99",
    "currency": "EUR",
    "status": None,
    "netAmount": "1299.80",
    "sellerVatId": "DE123456789",
    "buyerName": "Stadtverwaltung Musterstadt",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "orderReference": "PO-7781",
    "paymentTerms": "Zahlbar innerhalb von 30 Tagen ohne Abzug",
    "taxBreakdown": [
        {"rate": "19.00", "netAmount": "1200.00", "taxAmount": "228.00"},
        {"rate": "7.00", "netAmount": "99.80", "taxAmount": "6.99"},
    ],
    "lineItems": [
        {
            "description": "Beratung Datenschutz",
            "quantity": "10.00",
            "unit": "HUR",
            "unitPrice": "120.00",
            "netAmount": "1200.00",
            "taxRate": "19.00",
        },
        {
            "description": "Fachbuch DSGVO",
            "quantity": "2.00",
            "unit": "C62",
            "unitPrice": "49.90",
            "netAmount": "99.80",
            "taxRate": "7.00",
        },
    ],
}
UBL_FIELDS: dict[str, Any] = {
    "vendorName": "Tulip Software B.V.",
    "invoiceNumber": "UBL-1001",
    "invoiceDate": "2025-02-03",
    "dueDate": "2025-03-05",
    "totalAmount": "605.00",
    "taxAmount": "105.00",
    "currency": "EUR",
    "status": None,
    "netAmount": "500.00",
    "sellerVatId": "NL123456789B01",
    "buyerName": "Rhein Logistik AG",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "orderReference": "PO-9001",
    "paymentTerms": "Net 30 days",
    "taxBreakdown": [{"rate": "21.00", "netAmount": "500.00", "taxAmount": "105.00"}],
    "lineItems": [
        {
            "description": "Licence seat",
            "quantity": "4.00",
            "unit": "EA",
            "unitPrice": "100.00",
            "netAmount": "400.00",
            "taxRate": "21.00",
        },
        {
            "description": "Onboarding",
            "quantity": "1.00",
            "unit": "HUR",
            "unitPrice": "100.00",
            "netAmount": "100.00",
            "taxRate": "21.00",
        },
    ],
}

# Everything an attacker (or a confused user) might send as "XML"; none may be stored.
HOSTILE: list[tuple[str, bytes, str]] = [
    (
        "laughs.xml",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol2;</Invoice>',
        "UNSUPPORTED_TYPE",
    ),
    (
        "xxe.xml",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;</Invoice>',
        "UNSUPPORTED_TYPE",
    ),
    (
        "doctype.xml",
        b'<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:1/x.dtd">'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
        "UNSUPPORTED_TYPE",
    ),
    (
        "page.xml",
        b"<html><body><script>alert(document.cookie)</script></body></html>",
        "UNSUPPORTED_TYPE",
    ),
    (
        "image.xml",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="9"/></svg>',
        "UNSUPPORTED_TYPE",
    ),
    ("other.xml", b'<?xml version="1.0"?><note><to>Tove</to></note>', "UNSUPPORTED_TYPE"),
    ("empty.xml", b"", "EMPTY_FILE"),
    ("huge.xml", CII[:-30] + b"<!--" + b"x" * MAX_XML_BYTES + b"-->" + CII[-30:], "FILE_TOO_LARGE"),
]


def stored_files(ctx: AppContext) -> set[Path]:
    root = ctx.settings.files_dir
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def document_count(ctx: AppContext) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Document)) or 0)


async def rest_upload(client: httpx.AsyncClient, *files: tuple[str, bytes]) -> dict[str, Any]:
    response = await client.post(
        "/api/documents/upload",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.worker
async def test_xml_invoices_alone_complete_with_exact_values(
    client: httpx.AsyncClient, ctx: AppContext, worker: WorkerProcess
) -> None:
    body = await rest_upload(client, ("xrechnung.xml", CII), ("peppol-invoice", UBL))
    assert body["rejected"] == []
    docs = {d["originalFilename"]: d for d in body["documents"]}
    assert {d["mimeType"] for d in docs.values()} == {"application/xml"}
    await wait_for(ctx, [d["id"] for d in docs.values()])
    async with ctx.session() as session:
        keys = await session.scalars(select(Document.stored_file_path))
        assert all(key.endswith(".xml") for key in keys)

    for name, content, expected in [
        ("xrechnung.xml", CII, CII_FIELDS),
        ("peppol-invoice", UBL, UBL_FIELDS),  # no extension: the content decides
    ]:
        detail = (await client.get(f"/api/documents/{docs[name]['id']}")).json()
        assert detail["status"] == "COMPLETED", detail["latestJob"]
        assert detail["pageCount"] == 1 and detail["mimeType"] == "application/xml"
        extraction = detail["extraction"]
        assert extraction["fields"] == expected
        assert extraction["extracted"] == expected and extraction["reviewed"] is None
        names = {c["name"]: c["passed"] for c in extraction["checks"]}
        assert names["NET_PLUS_TAX_EQUALS_TOTAL"] and names["LINES_SUM_TO_NET"]
        assert names["IBAN_CHECKSUM"] and names["BR-CO-15"]  # an EN 16931 rule, from the XML
        assert all(names.values())
        text = extraction["rawText"]
        assert f"Invoice number: {expected['invoiceNumber']}" in text
        assert expected["lineItems"][0]["description"] in text
        assert detail["vendorName"] == expected["vendorName"]  # the list columns follow

        file = await client.get(f"/api/documents/{docs[name]['id']}/file")
        assert file.status_code == 200 and file.content == content
        assert file.headers["content-type"].startswith("application/xml")
        assert file.headers["content-disposition"].startswith("attachment;")
        assert file.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in file.headers["content-security-policy"]

    # The text search finds XML invoices by their rendered text.
    found = (await client.get("/api/documents", params={"search": "Musterstadt"})).json()
    assert [i["originalFilename"] for i in found["items"]] == ["xrechnung.xml"]


@pytest.mark.worker
async def test_xml_broken_after_its_root_fails_with_a_code(
    client: httpx.AsyncClient, ctx: AppContext, worker: WorkerProcess
) -> None:
    """The upload sniffs the root start tag only; the worker reads the whole file and fails a
    document that breaks later with XML_INVALID (never a crash, never a retry loop)."""
    truncated = CII[: len(CII) // 2]
    body = await rest_upload(client, ("truncated.xml", truncated))
    (document,) = body["documents"]
    assert document["mimeType"] == "application/xml"
    (job,) = await wait_for(ctx, [document["id"]])
    assert job.status == "FAILED" and job.error_code == "XML_INVALID", job.error_message
    assert "/tmp" not in (job.error_message or "")


async def test_pdf_stays_inline(app: object, client: httpx.AsyncClient) -> None:
    doc = await make_document(app.state.ctx)  # type: ignore[attr-defined]
    file = await client.get(f"/api/documents/{doc.id}/file")
    assert file.headers["content-disposition"].startswith("inline;")
    assert "sandbox" not in file.headers.get("content-security-policy", "")


async def test_hostile_xml_is_refused_and_nothing_stored(
    app: object, client: httpx.AsyncClient
) -> None:
    ctx: AppContext = app.state.ctx  # type: ignore[attr-defined]
    before = stored_files(ctx)
    body = await rest_upload(client, *[(name, data) for name, data, _ in HOSTILE])
    assert body["documents"] == []
    codes = {r["filename"]: r["code"] for r in body["rejected"]}
    assert codes == {name: code for name, _, code in HOSTILE}
    messages = {r["filename"]: r["message"] for r in body["rejected"]}
    assert "DOCTYPE" in messages["laughs.xml"] and "DOCTYPE" in messages["xxe.xml"]
    assert "not an e-invoice" in messages["image.xml"]
    assert stored_files(ctx) == before
    assert await document_count(ctx) == 0


async def test_a_pdf_named_xml_is_a_pdf(app: object, client: httpx.AsyncClient) -> None:
    """The name never decides: a PDF called .xml is stored and processed as a PDF."""
    body = await rest_upload(client, ("renamed.xml", MINI_PDF))
    (document,) = body["documents"]
    assert document["mimeType"] == "application/pdf"


# -- review of the booking fields ------------------------------------------------------------


async def put_review(
    client: httpx.AsyncClient, document_id: uuid.UUID, fields: dict[str, Any], version: int
) -> httpx.Response:
    return await client.put(
        f"/api/documents/{document_id}/review",
        json={"fields": fields, "expectedVersion": version},
    )


async def test_review_every_booking_field_and_checks_follow(
    app: object, client: httpx.AsyncClient
) -> None:
    ctx: AppContext = app.state.ctx  # type: ignore[attr-defined]
    doc = await make_document(ctx, fields=CII_FIELDS)
    detail = (await client.get(f"/api/documents/{doc.id}")).json()
    assert all(c["passed"] for c in detail["extraction"]["checks"])

    lines = [
        {"description": "Beratung", "quantity": "10", "unit": "h", "unitPrice": "120.1234",
         "netAmount": "1201.23", "taxRate": "19"},
        {"description": "Buch"},
    ]  # fmt: skip
    saved = await put_review(
        client,
        doc.id,
        {
            "netAmount": "1300.00",
            "sellerVatId": "de 999 999 999",
            "buyerName": "Stadt Musterstadt",
            "iban": "NL91 ABNA 0417 1643 00",
            "bic": "abnanl2a",
            "orderReference": "PO-1",
            "paymentTerms": "14 Tage 2 % Skonto",
            "taxBreakdown": [{"rate": "19", "netAmount": "1300", "taxAmount": "247"}],
            "lineItems": lines,
        },
        1,
    )
    assert saved.status_code == 200, saved.text
    extraction = saved.json()["extraction"]
    reviewed = extraction["reviewed"]
    assert reviewed["sellerVatId"] == "DE999999999" and reviewed["iban"] == "NL91ABNA0417164300"
    assert reviewed["bic"] == "ABNANL2A" and reviewed["netAmount"] == "1300.00"
    assert reviewed["taxBreakdown"] == [
        {"rate": "19.00", "netAmount": "1300.00", "taxAmount": "247.00"}
    ]
    assert reviewed["lineItems"][0]["unitPrice"] == "120.1234"
    assert reviewed["lineItems"][1] == {
        "description": "Buch", "quantity": None, "unit": None, "unitPrice": None,
        "netAmount": None, "taxRate": None,
    }  # fmt: skip
    assert reviewed["vendorName"] == CII_FIELDS["vendorName"]  # untouched fields kept
    assert extraction["extracted"] == CII_FIELDS  # review never changes the machine output
    # Recomputed on the reviewed values: net 1300 + tax 234.99 ≠ total 1534.79, and the
    # second line has no amount, so the line sum is not checked.
    checks = {c["name"]: c for c in extraction["checks"]}
    assert not checks["NET_PLUS_TAX_EQUALS_TOTAL"]["passed"]
    assert set(checks["NET_PLUS_TAX_EQUALS_TOTAL"]["fields"]) == {
        "netAmount", "taxAmount", "totalAmount",
    }  # fmt: skip
    assert "LINES_SUM_TO_NET" not in checks
    assert not checks["TAX_BREAKDOWN_SUMS_TO_TAX"]["passed"]

    fixed = await put_review(
        client,
        doc.id,
        {"taxAmount": "247.00", "totalAmount": "1547.00", "lineItems": [lines[0]], "iban": None},
        2,
    )
    assert fixed.status_code == 200, fixed.text
    checks = {c["name"]: c["passed"] for c in fixed.json()["extraction"]["checks"]}
    assert checks["NET_PLUS_TAX_EQUALS_TOTAL"] and checks["TAX_BREAKDOWN_SUMS_TO_TAX"]
    assert not checks["LINES_SUM_TO_NET"]  # 1201.23 ≠ 1300.00
    assert "IBAN_CHECKSUM" not in checks  # cleared
    assert fixed.json()["extraction"]["reviewed"]["iban"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"iban": "DE89370400440532013001"}, "iban"),
        ({"bic": "NOTABIC"}, "bic"),
        ({"sellerVatId": "12"}, "sellerVatId"),
        ({"netAmount": "12.345"}, "netAmount"),
        ({"netAmount": 12.5}, "netAmount"),
        ({"buyerName": "A\u0000B"}, "buyerName"),
        ({"paymentTerms": ["x"]}, "paymentTerms"),
        ({"lineItems": [{"description": "x"}] * (MAX_LINE_ITEMS + 1)}, "lineItems"),
        ({"lineItems": {"description": "x"}}, "lineItems"),
        ({"lineItems": [{"description": "x\u0000"}]}, "lineItems[0].description"),
        ({"lineItems": [{"quantity": True}]}, "lineItems[0].quantity"),
        ({"lineItems": [{"taxRate": "250"}]}, "lineItems[0].taxRate"),
        ({"lineItems": [{"sku": "1"}]}, "lineItems[0]"),
        ({"taxBreakdown": ["19%"]}, "taxBreakdown[0]"),
    ],
)
async def test_invalid_booking_fields_are_422_and_change_nothing(
    app: object, client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    doc = await make_document(app.state.ctx, fields=CII_FIELDS)  # type: ignore[attr-defined]
    response = await put_review(client, doc.id, fields, 1)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["field"] == field
    detail = (await client.get(f"/api/documents/{doc.id}")).json()
    assert detail["extraction"]["version"] == 1 and detail["extraction"]["reviewed"] is None


# -- exports -----------------------------------------------------------------------------------


async def test_exports_carry_the_booking_fields(app: object, client: httpx.AsyncClient) -> None:
    ctx: AppContext = app.state.ctx  # type: ignore[attr-defined]
    hostile_lines = [
        {**CII_FIELDS["lineItems"][0], "description": '=HYPERLINK("http://x")'},
        CII_FIELDS["lineItems"][1],
    ]
    doc = await make_document(
        ctx,
        fields={**CII_FIELDS, "buyerName": "@SUM(A1)", "lineItems": hostile_lines},
        finalize=True,
    )
    other = await make_document(ctx, fields=UBL_FIELDS, finalize=True)
    no_lines = await make_document(ctx, fields={"lineItems": []}, finalize=True)
    await make_document(ctx, fields=CII_FIELDS)  # not finalized: never exported

    records = (await client.get("/api/exports/documents.json")).json()
    by_id = {r["documentId"]: r for r in records}
    assert set(by_id) == {str(doc.id), str(other.id), str(no_lines.id)}
    assert by_id[str(other.id)]["lineItems"] == UBL_FIELDS["lineItems"]
    assert by_id[str(other.id)]["taxBreakdown"] == UBL_FIELDS["taxBreakdown"]
    assert by_id[str(doc.id)]["sellerVatId"] == "DE123456789"
    single = (await client.get(f"/api/documents/{other.id}/export/json")).json()
    assert single == by_id[str(other.id)]

    text = (await client.get("/api/exports/documents.csv")).text
    rows = {r["document_id"]: r for r in csv.DictReader(io.StringIO(text))}
    header = text.splitlines()[0].split(",")
    assert header[header.index("finalized_at") + 1 :] == [
        "net_amount", "seller_vat_id", "buyer_name", "iban", "bic", "order_reference",
        "payment_terms",
    ]  # fmt: skip
    row = rows[str(doc.id)]
    assert row["net_amount"] == "1299.80" and row["iban"] == "DE89370400440532013000"
    assert row["buyer_name"] == "'@SUM(A1)"  # neutralised
    assert "taxBreakdown" not in row and "line_items" not in row

    response = await client.get("/api/exports/line-items.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "paperlane-line-items.csv" in response.headers["content-disposition"]
    lines = list(csv.DictReader(io.StringIO(response.text)))
    assert response.text.splitlines()[0] == (
        "document_id,invoice_number,line_number,description,quantity,unit,unit_price,"
        "net_amount,tax_rate"
    )
    assert [(r["document_id"], r["line_number"]) for r in lines] == [
        (str(doc.id), "1"), (str(doc.id), "2"), (str(other.id), "1"), (str(other.id), "2"),
    ]  # fmt: skip
    assert lines[0]["description"] == '\'=HYPERLINK("http://x")'  # neutralised
    assert lines[0]["invoice_number"] == "RE-2025-0042"
    assert lines[1] == {
        "document_id": str(doc.id), "invoice_number": "RE-2025-0042", "line_number": "2",
        "description": "Fachbuch DSGVO", "quantity": "2.00", "unit": "C62",
        "unit_price": "49.90", "net_amount": "99.80", "tax_rate": "7.00",
    }  # fmt: skip

    # Same filters as the list.
    filtered = await client.get("/api/exports/line-items.csv", params={"vendorName": "Tulip"})
    assert {r["document_id"] for r in csv.DictReader(io.StringIO(filtered.text))} == {str(other.id)}
    bad = await client.get("/api/exports/line-items.csv", params={"minTotal": "NaN"})
    assert bad.status_code == 422
