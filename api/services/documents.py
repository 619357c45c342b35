"""Reading documents: the searchable, filterable, keyset-paged list, single documents, counts,
and the batch loads behind the GraphQL DataLoaders. Shared by GraphQL and REST.

Cursors are opaque to clients: URL-safe base64 of a small JSON object naming the sort they belong
to, the sort value of the last row and its id. Keyset paging (``WHERE (value, id) > cursor``) stays
correct while new documents arrive, unlike OFFSET paging.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import NotFound, ValidationFailed
from db.models import Document, DocumentStatus, ExtractedResult, JobEvent, ProcessingJob
from db.repositories import DocumentRepository, EventRepository, JobRepository, ResultRepository
from db.repositories.documents import SORT_COLUMNS, DocumentCriteria, SortKey

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_SEARCH_TERMS = 16
MAX_SEARCH_CHARS = 200
_WORD = re.compile(r"\S+")
_HAS_ALNUM = re.compile(r"[^\W_]")

SORT_FIELDS = tuple(SORT_COLUMNS)
_DATETIME_SORTS = {"UPLOADED_AT"}
_DATE_SORTS = {"INVOICE_DATE"}
_DECIMAL_SORTS = {"TOTAL_AMOUNT"}
_INT_SORTS = {"FILE_SIZE"}


def parse_uuid(value: str, what: str = "id", field: str = "id") -> uuid.UUID:
    """A UUID from client input, or NotFound (a malformed id names nothing that exists)."""
    try:
        return uuid.UUID(str(value).strip())
    except (ValueError, AttributeError, TypeError):
        raise NotFound(f"{what} {value!r} does not exist (not a valid id)", field=field) from None


def build_tsquery(search: str | None) -> str | None:
    """A safe ``to_tsquery('simple', …)`` text from free user input: every word is quoted as a
    lexeme (quotes and backslashes escaped, so no tsquery operator can be injected), matched as a
    prefix (``:*``) so results appear while the user types, and all words must match (``&``).
    Words without a letter or digit are dropped; an input with none gives ``None``.
    """
    if not search:
        return None
    terms: list[str] = []
    for word in _WORD.findall(search[:MAX_SEARCH_CHARS]):
        if not _HAS_ALNUM.search(word):
            continue
        escaped = word.lower().replace("\\", "\\\\").replace("'", "''")
        terms.append(f"'{escaped}':*")
        if len(terms) >= MAX_SEARCH_TERMS:
            break
    return " & ".join(terms) or None


@dataclass(frozen=True)
class ListQuery:
    search: str | None = None
    statuses: tuple[str, ...] = ()
    uploaded_from: datetime | None = None
    uploaded_to: datetime | None = None
    vendor_name: str | None = None
    currency: str | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    sort: SortKey = field(default_factory=SortKey)

    def criteria(self) -> DocumentCriteria:
        for status in self.statuses:
            if status not in DocumentStatus.__members__:
                raise ValidationFailed(f"unknown status {status!r}", field="status")
        search = (self.search or "").strip()[:MAX_SEARCH_CHARS] or None
        return DocumentCriteria(
            tsquery=build_tsquery(search),
            search_text=search,
            statuses=tuple(self.statuses),
            uploaded_from=self.uploaded_from,
            uploaded_to=self.uploaded_to,
            vendor_name=(self.vendor_name or "").strip() or None,
            currency=(self.currency or "").strip().upper() or None,
            min_total=self.min_total,
            max_total=self.max_total,
        )


@dataclass
class DocumentPage:
    documents: list[Document]
    cursors: list[str]
    has_next_page: bool
    total_count: int

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


# -- cursors ------------------------------------------------------------------------------------


def _sort_value(document: Document, sort: SortKey) -> Any:
    value = getattr(document, SORT_COLUMNS[sort.field].key)
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(document: Document, sort: SortKey) -> str:
    payload = {
        "s": f"{sort.field}:{'D' if sort.descending else 'A'}",
        "v": _sort_value(document, sort),
        "i": str(document.id),
    }
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: SortKey) -> tuple[Any, uuid.UUID]:
    """The (sort value, id) keyset of ``cursor``; ValidationFailed if malformed or from another
    sort order (a cursor only means something in the order it was made in)."""
    invalid = ValidationFailed("the cursor is malformed; start again without one", field="after")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(payload, dict):
            raise invalid
        sort_tag, value, row_id = payload["s"], payload["v"], uuid.UUID(payload["i"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise invalid from None
    if sort_tag != f"{sort.field}:{'D' if sort.descending else 'A'}":
        raise ValidationFailed(
            "the cursor belongs to a different sort order; start again without one",
            field="after",
        )
    if value is None:
        return None, row_id
    try:
        if sort.field in _DATETIME_SORTS:
            parsed: Any = datetime.fromisoformat(value)
        elif sort.field in _DATE_SORTS:
            parsed = date.fromisoformat(value)
        elif sort.field in _DECIMAL_SORTS:
            parsed = Decimal(value)
            if not parsed.is_finite():
                raise invalid
        elif sort.field in _INT_SORTS:
            if not isinstance(value, int) or isinstance(value, bool):
                raise invalid
            parsed = value
        else:
            if not isinstance(value, str):
                raise invalid
            parsed = value
    except (ValueError, TypeError, InvalidOperation):
        raise invalid from None
    return parsed, row_id


def check_page_size(first: int | None, field: str = "first") -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > MAX_PAGE_SIZE:
        raise ValidationFailed(
            f"{field} must be between 0 and {MAX_PAGE_SIZE}; got {first}", field=field
        )
    return first


# -- the service --------------------------------------------------------------------------------


class DocumentService:
    def __init__(self, session: AsyncSession):
        self.session = session
        self.documents = DocumentRepository(session)
        self.jobs = JobRepository(session)
        self.results = ResultRepository(session)
        self.events = EventRepository(session)

    async def page(
        self, query: ListQuery, *, first: int | None = None, after: str | None = None
    ) -> DocumentPage:
        """One page of documents; ``first`` ≤ 100, ``after`` an ``endCursor`` of the same sort."""
        limit = check_page_size(first)
        criteria = query.criteria()
        keyset = decode_cursor(after, query.sort) if after else None
        total = await self.documents.count(criteria)
        if limit == 0:
            return DocumentPage([], [], False, total)
        rows = await self.documents.list_page(criteria, query.sort, keyset, limit + 1)
        page = rows[:limit]
        return DocumentPage(
            documents=page,
            cursors=[encode_cursor(d, query.sort) for d in page],
            has_next_page=len(rows) > limit,
            total_count=total,
        )

    async def get(self, document_id: uuid.UUID) -> Document:
        document = await self.documents.get(document_id)
        if document is None:
            raise NotFound(f"document {document_id} does not exist", field="id")
        return document

    async def find(self, document_id: uuid.UUID) -> Document | None:
        return await self.documents.get(document_id)

    async def counts(self) -> list[tuple[str, int]]:
        """Every status with its count, zeros included, in lifecycle order."""
        counts = await self.documents.status_counts()
        return [(status.value, counts.get(status.value, 0)) for status in DocumentStatus]

    # -- batch loads (the DataLoaders' backends; one statement per batch) -----------------------

    async def documents_by_id(self, ids: Sequence[uuid.UUID]) -> list[Document | None]:
        found = {d.id: d for d in await self.documents.get_many(list(set(ids)))}
        return [found.get(i) for i in ids]

    async def latest_jobs(self, document_ids: Sequence[uuid.UUID]) -> list[ProcessingJob | None]:
        found = {
            j.document_id: j for j in await self.jobs.latest_for_documents(list(set(document_ids)))
        }
        return [found.get(i) for i in document_ids]

    async def jobs_of(self, document_ids: Sequence[uuid.UUID]) -> list[list[ProcessingJob]]:
        grouped: dict[uuid.UUID, list[ProcessingJob]] = {i: [] for i in document_ids}
        for job in await self.jobs.for_documents(list(set(document_ids))):
            grouped[job.document_id].append(job)
        return [grouped[i] for i in document_ids]

    async def jobs_by_id(self, ids: Sequence[uuid.UUID]) -> list[ProcessingJob | None]:
        found = {j.id: j for j in await self.jobs.get_many(list(set(ids)))}
        return [found.get(i) for i in ids]

    async def results_of(self, document_ids: Sequence[uuid.UUID]) -> list[ExtractedResult | None]:
        found = {
            r.document_id: r for r in await self.results.for_documents(list(set(document_ids)))
        }
        return [found.get(i) for i in document_ids]

    async def events_of(self, job_ids: Sequence[uuid.UUID]) -> list[list[JobEvent]]:
        grouped: dict[uuid.UUID, list[JobEvent]] = {i: [] for i in job_ids}
        for event in await self.events.for_jobs(list(set(job_ids))):
            grouped[event.job_id].append(event)
        return [grouped[i] for i in job_ids]
