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

from api.auth.actor import Actor
from api.auth.policy import Permission, authorize
from api.errors import InvalidState, NotFound
from api.services import audit
from api.services.fields import (
    FIELD_NAMES,
    LINE_ITEM_FIELDS,
    NUMERIC_FIELDS,
    NUMERIC_KINDS,
    SCALAR_FIELDS,
    effective_fields,
    snake,
)
from db.models import AuditEvent, Document, ExtractedResult
from db.repositories import DocumentRepository, ResultRepository
from db.repositories.documents import DocumentCriteria

# CSV columns (record keys, written snake_case): the fields up to ``status`` came first and
# ``finalized_at`` closed the row; the booking fields added later are appended after it, so
# existing spreadsheets keep their column positions (API.md, "Export format"). Lists (tax
# breakdown, line items) are not columns: line items have their own CSV.
_FIRST_FIELDS = FIELD_NAMES[: FIELD_NAMES.index("status") + 1]
CSV_KEYS = (
    "documentId",
    "originalFilename",
    *_FIRST_FIELDS,
    "finalizedAt",
    *(f.name for f in SCALAR_FIELDS if f.name not in _FIRST_FIELDS),
)
CSV_HEADER = tuple(snake(key) for key in CSV_KEYS)
# The line-items CSV: one row per line of each finalized record.
LINE_ITEM_KEYS = ("documentId", "invoiceNumber", "lineNumber", *(f.name for f in LINE_ITEM_FIELDS))
LINE_ITEM_HEADER = tuple(snake(key) for key in LINE_ITEM_KEYS)
_LINE_NUMERIC = frozenset(
    {"lineNumber", *(f.name for f in LINE_ITEM_FIELDS if f.kind in NUMERIC_KINDS)}
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500

SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def export_record(
    document: Document, result: ExtractedResult, finalized_by: AuditEvent | None = None
) -> dict[str, Any]:
    """The JSON export object of one finalized record; ``finalizedBy`` is the actor of its
    FINALIZED audit row (``{kind, id, name}``), null for records finalized before auditing."""
    fields = effective_fields(result)
    return {
        "documentId": str(document.id),
        "originalFilename": document.original_filename,
        **{name: fields[name] for name in FIELD_NAMES},
        "finalizedAt": result.finalized_at.isoformat() if result.finalized_at else None,
        "finalizedBy": audit.actor_json(finalized_by) if finalized_by is not None else None,
    }


def neutralise(cell: str) -> str:
    """Defuse spreadsheet formula injection in a text cell (OWASP's recommendation)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _cells(values: dict[str, Any], keys: tuple[str, ...], numeric: frozenset[str]) -> list[str]:
    row: list[str] = []
    for key in keys:
        value = values.get(key)
        if value is None:
            row.append("")
        elif key in numeric:
            row.append(str(value))  # validated decimal strings: numbers, never formulas
        else:
            row.append(neutralise(str(value)))
    return row


def csv_row(record: dict[str, Any]) -> list[str]:
    return _cells(record, CSV_KEYS, NUMERIC_FIELDS)


def line_item_rows(record: dict[str, Any]) -> list[list[str]]:
    """The line-items CSV rows of one record (1-based ``line_number``)."""
    return [
        _cells(
            {
                **line,
                "documentId": record["documentId"],
                "invoiceNumber": record["invoiceNumber"],
                "lineNumber": number,
            },
            LINE_ITEM_KEYS,
            _LINE_NUMERIC,
        )
        for number, line in enumerate(record.get("lineItems") or [], start=1)
    ]


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

    async def record(self, document_id: uuid.UUID, actor: Actor | None = None) -> dict[str, Any]:
        """The export of one finalized record, audited as EXPORTED (the caller commits)."""
        if actor is not None:
            authorize(actor, Permission.EXPORT)
        document = await self.documents.get(document_id)
        if document is None:
            raise NotFound(f"document {document_id} does not exist", field="id")
        result = await self.results.for_document(document_id)
        if result is None or not result.is_finalized:
            raise InvalidState(
                f"only finalized documents can be exported; this one is {document.current_status}",
                code="DOCUMENT_NOT_FINALIZED",
            )
        audit.record(self.session, actor, audit.EXPORTED, document_id=document_id)
        finalizers = await audit.finalizers(self.session, [document_id])
        return export_record(document, result, finalizers.get(document_id))


async def finalized_records(
    sessions: SessionFactory, criteria: DocumentCriteria, batch: int = BATCH
) -> AsyncIterator[dict[str, Any]]:
    """Every finalized record matching ``criteria``, oldest upload first, batch by batch."""
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        async with sessions() as session:
            rows = await DocumentRepository(session).finalized_page(criteria, after, batch)
            finalizers = await audit.finalizers(session, [d.id for d, _ in rows])
        for document, result in rows:
            yield export_record(document, result, finalizers.get(document.id))
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


async def _stream_rows(
    header: tuple[str, ...],
    records: AsyncIterator[dict[str, Any]],
    rows_of: Callable[[dict[str, Any]], list[list[str]]],
) -> AsyncIterator[bytes]:
    yield _csv_lines([list(header)]).encode()
    chunk: list[list[str]] = []
    async for record in records:
        chunk.extend(rows_of(record))
        if len(chunk) >= 200:
            yield _csv_lines(chunk).encode()
            chunk = []
    if chunk:
        yield _csv_lines(chunk).encode()


def stream_csv(records: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    return _stream_rows(CSV_HEADER, records, lambda record: [csv_row(record)])


def stream_line_items_csv(records: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    """One row per line item of each record (records without lines contribute none)."""
    return _stream_rows(LINE_ITEM_HEADER, records, line_item_rows)
