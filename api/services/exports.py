"""Exports of finalized records as JSON and CSV (the format in API.md).

Only finalized records leave the system (``DOCUMENT_NOT_FINALIZED`` otherwise): they are the
reviewed, read-only truth. Bulk exports walk the matching records in keyset batches, each batch
in its own short transaction, and stream them out: memory stays constant for any number of
records, and no transaction stays open while a slow client reads.

CSV safety: a text cell that a spreadsheet would evaluate as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``. Amounts are written as
plain decimals and are never touched, so a credit note's ``-12.50`` stays a number.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import InvalidState, NotFound
from api.services.fields import AMOUNT_FIELDS, FIELD_NAMES, effective_fields
from db.models import Document, ExtractedResult
from db.repositories import DocumentRepository, ResultRepository
from db.repositories.documents import DocumentCriteria

CSV_HEADER = (
    "document_id",
    "original_filename",
    "vendor_name",
    "invoice_number",
    "invoice_date",
    "due_date",
    "total_amount",
    "tax_amount",
    "currency",
    "status",
    "finalized_at",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500

SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def export_record(document: Document, result: ExtractedResult) -> dict[str, Any]:
    """The JSON export object of one finalized record."""
    fields = effective_fields(result)
    return {
        "documentId": str(document.id),
        "originalFilename": document.original_filename,
        **{name: fields[name] for name in FIELD_NAMES},
        "finalizedAt": result.finalized_at.isoformat() if result.finalized_at else None,
    }


def neutralise(cell: str) -> str:
    """Defuse spreadsheet formula injection in a text cell (OWASP's recommendation)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_row(record: dict[str, Any]) -> list[str]:
    row: list[str] = []
    for key in ("documentId", "originalFilename", *FIELD_NAMES, "finalizedAt"):
        value = record[key]
        if value is None:
            row.append("")
        elif key in AMOUNT_FIELDS:
            row.append(str(value))  # validated decimal strings: numbers, never formulas
        else:
            row.append(neutralise(str(value)))
    return row


def _csv_lines(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def to_csv(records: list[dict[str, Any]]) -> str:
    return _csv_lines([list(CSV_HEADER), *(csv_row(r) for r in records)])


class ExportService:
    def __init__(self, session: AsyncSession):
        self.session = session
        self.documents = DocumentRepository(session)
        self.results = ResultRepository(session)

    async def record(self, document_id: uuid.UUID) -> dict[str, Any]:
        document = await self.documents.get(document_id)
        if document is None:
            raise NotFound(f"document {document_id} does not exist", field="id")
        result = await self.results.for_document(document_id)
        if result is None or not result.is_finalized:
            raise InvalidState(
                f"only finalized documents can be exported; this one is {document.current_status}",
                code="DOCUMENT_NOT_FINALIZED",
            )
        return export_record(document, result)


async def finalized_records(
    sessions: SessionFactory, criteria: DocumentCriteria, batch: int = BATCH
) -> AsyncIterator[dict[str, Any]]:
    """Every finalized record matching ``criteria``, oldest upload first, batch by batch."""
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        async with sessions() as session:
            rows = await DocumentRepository(session).finalized_page(criteria, after, batch)
        for document, result in rows:
            yield export_record(document, result)
        if len(rows) < batch:
            return
        last = rows[-1][0]
        after = (last.uploaded_at, last.id)


async def stream_json(records: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    yield b"["
    first = True
    async for record in records:
        yield (b"" if first else b",") + b"\n" + json.dumps(record, ensure_ascii=False).encode()
        first = False
    yield b"\n]\n"


async def stream_csv(records: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    yield _csv_lines([list(CSV_HEADER)]).encode()
    chunk: list[list[str]] = []
    async for record in records:
        chunk.append(csv_row(record))
        if len(chunk) >= 200:
            yield _csv_lines(chunk).encode()
            chunk = []
    if chunk:
        yield _csv_lines(chunk).encode()
