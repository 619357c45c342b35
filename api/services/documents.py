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
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import NotFound, ValidationFailed
from db.models import Document, DocumentStatus, ExtractedResult, JobEvent, ProcessingJob
from db.repositories import DocumentRepository, EventRepository, JobRepository, ResultRepository
from db.repositories.documents import SORT_COLUMNS, DocumentCriteria, SortKey

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_SEARCH_TERMS = 16
MAX_SEARCH_CHARS = 200
MAX_FILTER_TEXT = 200
# The most documents one selection (a bulk action, an export of picked rows) may name.
MAX_SELECTION = 500
_WORD = re.compile(r"\S+")
_HAS_ALNUM = re.compile(r"[^\W_]")

SORT_FIELDS = tuple(SORT_COLUMNS)
_DATETIME_SORTS = {"UPLOADED_AT"}
_DATE_SORTS = {"INVOICE_DATE"}
_DECIMAL_SORTS = {"TOTAL_AMOUNT"}
_INT_SORTS = {"FILE_SIZE"}


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


class SortField(StrEnum):
    """What the list is ordered by (REST spells it in lower case, GraphQL in upper case)."""

    uploaded_at = "uploaded_at"
    filename = "filename"
    status = "status"
    file_size = "file_size"
    invoice_date = "invoice_date"
    total_amount = "total_amount"
    vendor_name = "vendor_name"


class Order(StrEnum):
    asc = "asc"
    desc = "desc"


def _storable_text(value: str | None) -> str | None:
    """PostgreSQL text holds neither NUL nor lone surrogates (JSON's ``"\\ud800"``): refused
    here as the client's mistake, instead of failing in the driver or the database."""
    if value is None:
        return None
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


def _in_utc(value: datetime | None) -> datetime | None:
    """An instant PostgreSQL can compare: a naive time is taken as UTC; one whose UTC
    conversion leaves the calendar (``9999-12-31T23:59:59-14:00``) is refused."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


Amount = Annotated[
    Decimal | None,
    # NUMERIC(18,2), as stored: also refuses 1e999999, NaN and Infinity before PostgreSQL does.
    Field(max_digits=18, decimal_places=2, allow_inf_nan=False),
]


class ListFilter(BaseModel):
    """Which documents a list or a bulk export selects: declared once for REST (query
    parameters, camelCase), GraphQL (``DocumentFilter`` maps onto it) and the service.

    Hostile values fail validation (HTTP 422 / ``VALIDATION_ERROR`` naming the field), never
    reach the database: out-of-range amounts and instants, NUL characters, oversized text.
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    search: str | None = Field(
        None,
        description="Words matched (as prefixes) in file name, vendor, number and text "
        f"(the first {MAX_SEARCH_CHARS} characters count).",
    )
    status: list[DocumentStatus] = Field(
        default_factory=list, description="Only these statuses (repeatable)."
    )
    ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_SELECTION,
        description=f"Only these documents (repeatable; at most {MAX_SELECTION}).",
    )
    vendor_name: str | None = Field(
        None,
        alias="vendorName",
        max_length=MAX_FILTER_TEXT,
        description="Vendor contains (case-insensitive).",
    )
    currency: str | None = Field(None, max_length=16, description="ISO 4217 code.")
    min_total: Amount = Field(None, alias="minTotal", description="Total at least.")
    max_total: Amount = Field(None, alias="maxTotal", description="Total at most.")
    uploaded_from: datetime | None = Field(
        None, alias="uploadedFrom", description="Uploaded at or after (ISO 8601)."
    )
    uploaded_to: datetime | None = Field(
        None, alias="uploadedTo", description="Uploaded at or before (ISO 8601)."
    )

    _text = field_validator("search", "vendor_name", "currency")(_storable_text)
    _instants = field_validator("uploaded_from", "uploaded_to")(_in_utc)

    @classmethod
    def parse(cls, **values: Any) -> Self:
        """Validate outside FastAPI (GraphQL): the first problem as ``ValidationFailed``
        naming the field as the API spells it."""
        try:
            return cls.model_validate(values)
        except PydanticValidationError as error:
            raise validation_failed(cls, error) from None

    def criteria(self) -> DocumentCriteria:
        search = (self.search or "").strip()[:MAX_SEARCH_CHARS] or None
        return DocumentCriteria(
            tsquery=build_tsquery(search),
            search_text=search,
            statuses=tuple(s.value for s in self.status),
            ids=tuple(self.ids),
            uploaded_from=self.uploaded_from,
            uploaded_to=self.uploaded_to,
            vendor_name=(self.vendor_name or "").strip() or None,
            currency=(self.currency or "").strip().upper() or None,
            min_total=self.min_total,
            max_total=self.max_total,
        )


class ListQuery(ListFilter):
    """The filter and the order of the document list."""

    sort: SortField = Field(SortField.uploaded_at, description="Sort field.")
    order: Order = Field(Order.desc, description="Sort direction.")

    @property
    def sort_key(self) -> SortKey:
        return SortKey(self.sort.value.upper(), self.order is Order.desc)


def validation_failed(model: type[BaseModel], error: PydanticValidationError) -> ValidationFailed:
    """Pydantic's first complaint as ``ValidationFailed``; its messages never quote the input."""
    first = error.errors(include_input=False)[0]
    name = str(first["loc"][0]) if first["loc"] else None
    info = model.model_fields.get(name) if name else None
    field = (info.alias or name) if info else name
    message = str(first["msg"]).removeprefix("Value error, ")
    return ValidationFailed(f"{field}: {message}" if field else message, field=field)


@dataclass
class DocumentPage:
    documents: list[Document]
    cursors: list[str]
    has_next_page: bool
    total_count: int
    # True when total_count is the planner's estimate (DocumentRepository.count_or_estimate).
    total_count_is_estimate: bool = False

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
        keyset = decode_cursor(after, query.sort_key) if after else None
        total, estimated = await self.documents.count_or_estimate(criteria)
        if limit == 0:
            return DocumentPage([], [], False, total, estimated)
        rows = await self.documents.list_page(criteria, query.sort_key, keyset, limit + 1)
        page = rows[:limit]
        return DocumentPage(
            documents=page,
            cursors=[encode_cursor(d, query.sort_key) for d in page],
            has_next_page=len(rows) > limit,
            total_count=total,
            total_count_is_estimate=estimated,
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

    async def results_of(
        self, document_ids: Sequence[uuid.UUID], *, with_text: bool = True
    ) -> list[ExtractedResult | None]:
        found = {
            r.document_id: r
            for r in await self.results.for_documents(list(set(document_ids)), with_text=with_text)
        }
        return [found.get(i) for i in document_ids]

    async def raw_text_lengths(self, document_ids: Sequence[uuid.UUID]) -> list[int]:
        found = await self.results.text_lengths(list(set(document_ids)))
        return [found.get(i, 0) for i in document_ids]

    async def raw_text_slices(self, keys: Sequence[tuple[uuid.UUID, int, int]]) -> list[str]:
        """Slices of documents' text, keyed (document id, offset, limit): one statement per
        distinct (offset, limit) in the batch."""
        found: dict[tuple[uuid.UUID, int, int], str] = {}
        for offset, limit in {(k[1], k[2]) for k in keys}:
            ids = list({k[0] for k in keys if (k[1], k[2]) == (offset, limit)})
            for document_id, text in (await self.results.text_slices(ids, offset, limit)).items():
                found[(document_id, offset, limit)] = text
        return [found.get(k, "") for k in keys]

    async def events_of(self, job_ids: Sequence[uuid.UUID]) -> list[list[JobEvent]]:
        grouped: dict[uuid.UUID, list[JobEvent]] = {i: [] for i in job_ids}
        for event in await self.events.for_jobs(list(set(job_ids))):
            grouped[event.job_id].append(event)
        return [grouped[i] for i in job_ids]
