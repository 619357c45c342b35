"""The committed sample exports still match the current export format.

``samples/exports/`` is produced by ``samples/make_exports.py`` (a real run of Paperlane on
``samples/invoices/``). These tests need no server: they feed the committed JSON records back
through the current serializer (``api.services.exports``) and compare with the committed files,
so a change of the export format shows up here until the samples are made again.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from api.services.exports import CSV_HEADER, export_record, to_csv
from api.services.fields import FIELD_NAMES
from db.models import AuditEvent, Document, ExtractedResult

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXPORTS = SAMPLES / "exports"
# API.md "Export format": the original columns, then the booking fields appended after them.
HEADER = (
    "document_id,original_filename,vendor_name,invoice_number,invoice_date,due_date,"
    "total_amount,tax_amount,currency,status,finalized_at,"
    "net_amount,seller_vat_id,buyer_name,iban,bic,order_reference,payment_terms"
)
JSON_KEYS = ["documentId", "originalFilename", *FIELD_NAMES, "finalizedAt", "finalizedBy"]

needs_exports = pytest.mark.skipif(
    not (EXPORTS / "documents.json").exists() or not (EXPORTS / "documents.csv").exists(),
    reason="samples/exports not generated yet (python samples/make_exports.py)",
)


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        (EXPORTS / "documents.json").read_text(encoding="utf-8")
    )
    return records


def test_sample_invoices_are_there() -> None:
    expected = json.loads((SAMPLES / "invoices" / "expected.json").read_text(encoding="utf-8"))
    pdfs = {p.name for p in (SAMPLES / "invoices").glob("*.pdf")}
    assert len(pdfs) >= 12
    assert pdfs == set(expected)
    for name in pdfs:
        assert (SAMPLES / "invoices" / name).read_bytes().startswith(b"%PDF-")


@needs_exports
def test_csv_header_is_the_documented_one() -> None:
    text = (EXPORTS / "documents.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    assert ",".join(CSV_HEADER) == HEADER


@needs_exports
def test_json_records_have_the_documented_keys() -> None:
    records = _records()
    assert records, "the sample export is empty"
    names = {p.name for p in (SAMPLES / "invoices").glob("*.pdf")}
    for record in records:
        assert list(record) == JSON_KEYS
        uuid.UUID(record["documentId"])
        assert record["originalFilename"] in names
        datetime.fromisoformat(record["finalizedAt"])
        for key in ("totalAmount", "taxAmount"):
            if record[key] is not None:
                assert isinstance(record[key], str)
                Decimal(record[key])
        for key in ("invoiceDate", "dueDate"):
            if record[key] is not None:
                datetime.strptime(record[key], "%Y-%m-%d")


@needs_exports
def test_current_serializer_reproduces_the_json() -> None:
    """Each record rebuilt from a document and a result by today's ``export_record``."""
    for record in _records():
        document = Document(
            id=uuid.UUID(record["documentId"]), original_filename=record["originalFilename"]
        )
        result = ExtractedResult(
            structured_output_json={"fields": {k: record[k] for k in FIELD_NAMES}},
            reviewed_output_json=None,
            is_finalized=True,
            finalized_at=datetime.fromisoformat(record["finalizedAt"]),
        )
        by = record["finalizedBy"]
        finalizer = (
            AuditEvent(
                actor_kind=by["kind"],
                actor_id=uuid.UUID(by["id"]) if by["id"] else None,
                actor_label=by["name"],
            )
            if by
            else None
        )
        assert export_record(document, result, finalizer) == record


@needs_exports
def test_current_serializer_reproduces_the_csv() -> None:
    committed = (EXPORTS / "documents.csv").read_bytes().decode("utf-8")
    assert to_csv(_records()) == committed
    rows = list(csv.reader(io.StringIO(committed)))
    assert len(rows) == len(_records()) + 1
