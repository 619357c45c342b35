from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    Numeric,
    String,
    Text,
    and_,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from db.explain import Explain, plan_rows
from db.models import Document, DocumentStatus, ExtractedResult
from db.repositories.bulk import ORM, Columns, rows_params, unnest_rows

# Above this many matching rows (planner's estimate) list totals are estimates; see
# DocumentRepository.count_or_estimate.
EXACT_COUNT_LIMIT = 10_000
# The planner's own estimate of the table's rows (reltuples scaled to the pages the table has
# now; -1 before its first ANALYZE), and the exact count only when that is at most :limit (an
# uncorrelated sub-select in a CASE is an InitPlan, evaluated only when the branch is taken).
_TABLE_TOTAL = text(
    """
    SELECT CASE WHEN e.n > :limit THEN e.n ELSE (SELECT count(*) FROM documents) END,
           e.n > :limit
    FROM (SELECT CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN -1
                      ELSE (c.reltuples / c.relpages * (pg_relation_size(c.oid)
                            / current_setting('block_size')::float8))::bigint END AS n
          FROM pg_class c WHERE c.oid = 'documents'::regclass) e
    """
)
# The API's description of that rule (GraphQL totalCountIsEstimate, REST totalCountIsEstimate).
ESTIMATE_DESCRIPTION = (
    "True when totalCount is the database's estimate: exact when at most "
    f"{EXACT_COUNT_LIMIT:,} documents match (by the planner's estimate), estimated above that, "
    "where an exact count would read every match."
)


def search_document(filename: Any, *parts: Any) -> ColumnElement[Any]:
    """The tsvector of a document: its filename (also split at punctuation) and ``parts``.

    The ``simple`` configuration, because invoices come in many languages and stemming one of
    them would garble the others.
    """
    split_name = func.regexp_replace(filename, r"[^[:alnum:]]+", " ", "g")
    text = func.concat_ws(" ", filename, split_name, *parts)
    return func.to_tsvector("simple", text)


# What ``DocumentRepository.create_many`` takes from each row.
_CREATED_COLUMNS: Columns = (
    ("id", PG_UUID(as_uuid=True)),
    ("original_filename", Text()),
    ("stored_file_path", Text()),
    ("mime_type", Text()),
    ("file_size", BigInteger()),
    ("sha256", Text()),
    ("duplicate_of_id", PG_UUID(as_uuid=True)),
)

_CREATED_NAMES = frozenset(name for name, _ in _CREATED_COLUMNS)


@functools.cache
def _create_documents() -> Any:
    """``create_many``'s INSERT of QUEUED documents, searchable by their file names, from arrays:
    one statement for any number of rows, built once (``db.repositories.bulk``)."""
    rows = unnest_rows(_CREATED_COLUMNS)
    return (
        insert(Document)
        .from_select(
            [name for name, _ in _CREATED_COLUMNS] + ["current_status", "search_vector"],
            select(
                *(rows.c[name] for name, _ in _CREATED_COLUMNS),
                literal(DocumentStatus.QUEUED.value),
                search_document(rows.c.original_filename),
            ),
            include_defaults=False,
        )
        .returning(Document)
    )


def follow_job_cte(moved: Any) -> Any:
    """``DocumentRepository.follow_job_status`` for the job a statement moved (its CTE
    ``moved``): a part of that statement (``events.with_events``)."""
    return (
        update(Document)
        .where(
            Document.id == moved.c.document_id,
            Document.current_status != DocumentStatus.FINALIZED.value,
        )
        .values(current_status=moved.c.status)
        .cte("followed")
    )


def index_cte(moved: Any) -> Any:
    """``DocumentRepository.index_fields`` (with the page count and the job's status) for the job
    a statement moved, as a part of that statement; parameters from ``index_params``."""
    return (
        update(Document)
        .where(Document.id == moved.c.document_id)
        .values(
            page_count=bindparam("index_page_count", type_=Integer),
            current_status=moved.c.status,
            vendor_name=bindparam("index_vendor", type_=Text),
            invoice_number=bindparam("index_number", type_=Text),
            invoice_date=bindparam("index_date", type_=Date),
            total_amount=bindparam("index_total", type_=Numeric(18, 2)),
            currency=bindparam("index_currency", type_=String),
            seller_vat_id=bindparam("index_vat_id", type_=Text),
            search_vector=search_document(
                Document.original_filename,
                func.coalesce(bindparam("index_vendor", type_=Text), ""),
                func.coalesce(bindparam("index_number", type_=Text), ""),
                bindparam("index_text", type_=Text),
            ),
        )
        .cte("indexed")
    )


def index_text(raw_text: str, max_text_chars: int) -> str:
    """What of a document's text is indexed: its first ``max_text_chars`` characters
    (PostgreSQL refuses a tsvector over 1 MB; see ``DocumentRepository.index_fields``)."""
    return raw_text[:max_text_chars]


def index_params(
    fields: Mapping[str, Any], raw_text: str, *, max_text_chars: int, page_count: int | None
) -> dict[str, Any]:
    """The parameters of ``index_cte``: the same values as ``DocumentRepository.index_fields``."""
    return {
        "index_page_count": page_count,
        "index_vendor": fields.get("vendorName"),
        "index_number": fields.get("invoiceNumber"),
        "index_date": _as_date(fields.get("invoiceDate")),
        "index_total": _as_decimal(fields.get("totalAmount")),
        "index_currency": fields.get("currency"),
        "index_vat_id": fields.get("sellerVatId") or None,
        "index_text": index_text(raw_text, max_text_chars),
    }


class DocumentRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def create(self, **values: Any) -> Document:
        (document,) = await self.create_many([values])
        return document

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> list[Document]:
        """QUEUED documents, searchable by their file names, in ONE statement (an upload of
        many files, issue 16); in the order of ``rows``. Rows naming only an upload's columns
        (``_CREATED_COLUMNS``, ``duplicate_of_id`` optional) take the statement built once;
        others (tests, fixtures) a VALUES list."""
        values = [{"id": uuid.uuid4(), **row} for row in rows]  # a row may name its own id
        if all(row.keys() <= _CREATED_NAMES for row in values):
            params = rows_params(_CREATED_COLUMNS, values)
            created = await self.session.scalars(_create_documents(), params, execution_options=ORM)
        else:
            for row in values:
                row.setdefault("current_status", DocumentStatus.QUEUED.value)
                row.setdefault("search_vector", search_document(row["original_filename"]))
            created = await self.session.scalars(
                insert(Document).values(values).returning(Document)
            )
        by_id = {document.id: document for document in created}
        return [by_id[value["id"]] for value in values]

    async def get(self, document_id: uuid.UUID, *, for_update: bool = False) -> Document | None:
        stmt = select(Document).where(Document.id == document_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_many(self, ids: Sequence[uuid.UUID]) -> list[Document]:
        return list(await self.session.scalars(select(Document).where(Document.id.in_(ids))))

    async def earliest_with_sha256(self, hashes: Sequence[str]) -> dict[str, uuid.UUID]:
        """For each hash some document has, the id of the earliest such document."""
        stmt = (
            select(Document.sha256, Document.id)
            .where(Document.sha256.in_(list(set(hashes))))
            .ext(distinct_on(Document.sha256))
            .order_by(Document.sha256, Document.uploaded_at, Document.id)
        )
        return {sha256: id for sha256, id in await self.session.execute(stmt)}

    async def possible_duplicates(
        self, ids: Sequence[uuid.UUID], *, per_document: int
    ) -> dict[uuid.UUID, list[Document]]:
        """Other documents with the same invoice number (``invoice_number_key``: case, spaces
        and punctuation aside) and total and the same vendor (case-insensitive) or seller VAT
        id, oldest upload first: one statement per batch, served by
        ``ix_documents_duplicate_key``. At most ``per_document`` each."""
        me = aliased(Document)
        other = aliased(Document)
        stmt = (
            select(me.id, other)
            .join(
                other,
                and_(
                    other.invoice_number_key == me.invoice_number_key,
                    other.total_amount == me.total_amount,
                    other.id != me.id,
                    or_(
                        func.lower(other.vendor_name) == func.lower(me.vendor_name),
                        other.seller_vat_id == me.seller_vat_id,
                    ),
                ),
            )
            .where(me.id.in_(ids), me.invoice_number_key.is_not(None), me.total_amount.is_not(None))
            .order_by(me.id, other.uploaded_at, other.id)
        )
        found: dict[uuid.UUID, list[Document]] = {i: [] for i in ids}
        for document_id, row in await self.session.execute(stmt):
            if len(found[document_id]) < per_document:
                found[document_id].append(row)
        return found

    async def next_in_status(
        self,
        status: str,
        position: tuple[datetime, uuid.UUID] | None,
        *,
        forward: bool = True,
        exclude: uuid.UUID | None = None,
    ) -> Document | None:
        """The first document with ``status`` after (``forward``) or before ``position`` in
        upload order (oldest first); from either end without a position. Served by
        ``ix_documents_status_uploaded``."""
        stmt = select(Document).where(Document.current_status == status)
        key = tuple_(Document.uploaded_at, Document.id)
        if position is not None:
            at = tuple_(
                literal(position[0], Document.uploaded_at.type),
                literal(position[1], Document.id.type),
            )
            stmt = stmt.where(key > at if forward else key < at)
        if exclude is not None:
            stmt = stmt.where(Document.id != exclude)
        if forward:
            stmt = stmt.order_by(Document.uploaded_at.asc(), Document.id.asc())
        else:
            stmt = stmt.order_by(Document.uploaded_at.desc(), Document.id.desc())
        return (await self.session.execute(stmt.limit(1))).scalar_one_or_none()

    async def ids_matching(self, criteria: DocumentCriteria, limit: int) -> list[uuid.UUID]:
        """Up to ``limit`` ids of documents matching ``criteria``, oldest upload first."""
        stmt = (
            select(Document.id)
            .where(*criteria_clauses(criteria))
            .order_by(Document.uploaded_at, Document.id)
            .limit(limit)
        )
        return list(await self.session.scalars(stmt))

    async def follow_job_status(self, document_id: uuid.UUID, job_status: str) -> None:
        """The document's status follows its job, except once finalized (final is final)."""
        await self.session.execute(
            update(Document)
            .where(
                Document.id == document_id,
                Document.current_status != DocumentStatus.FINALIZED.value,
            )
            .values(current_status=job_status)
        )

    async def mark_finalized(self, document_id: uuid.UUID) -> None:
        await self.session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(current_status=DocumentStatus.FINALIZED.value)
        )

    async def index_fields(
        self,
        document_id: uuid.UUID,
        fields: Mapping[str, Any],
        raw_text: str,
        *,
        max_text_chars: int,
        **also: Any,
    ) -> None:
        """Copy the effective invoice fields onto the document for listing, sorting, search.

        Only the first ``max_text_chars`` characters of ``raw_text`` are indexed: PostgreSQL
        refuses a tsvector over 1 MB ("string is too long for tsvector"), so a document with a
        megabyte of text would otherwise never complete. Its first pages stay searchable; the
        full text is still stored with the result.

        ``also``: more columns to set in the same statement (the page count, the status).
        """
        vendor = fields.get("vendorName")
        number = fields.get("invoiceNumber")
        await self.session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(
                **also,
                vendor_name=vendor,
                invoice_number=number,
                invoice_date=_as_date(fields.get("invoiceDate")),
                total_amount=_as_decimal(fields.get("totalAmount")),
                currency=fields.get("currency"),
                seller_vat_id=fields.get("sellerVatId") or None,
                search_vector=search_document(
                    Document.original_filename,
                    vendor or "",
                    number or "",
                    index_text(raw_text, max_text_chars),
                ),
            )
        )

    # -- listing, searching, paging (API document list, counts, exports) ---------------------

    async def list_page(
        self,
        criteria: DocumentCriteria,
        sort: SortKey,
        after: tuple[Any, uuid.UUID] | None,
        limit: int,
    ) -> list[Document]:
        """Up to ``limit`` documents matching ``criteria`` after the keyset ``after``."""
        stmt = select(Document).where(*criteria_clauses(criteria))
        if after is not None:
            stmt = stmt.where(keyset_after(sort, after[0], after[1]))
        stmt = stmt.order_by(*order_by(sort)).limit(limit)
        return list(await self.session.scalars(stmt))

    async def count(self, criteria: DocumentCriteria) -> int:
        stmt = select(func.count()).select_from(Document).where(*criteria_clauses(criteria))
        return int(await self.session.scalar(stmt) or 0)

    async def count_or_estimate(
        self, criteria: DocumentCriteria, exact_limit: int | None = None
    ) -> tuple[int, bool]:
        """(how many documents match, whether that is an estimate).

        The rule: ask the planner first (``EXPLAIN`` of the list's WHERE, one cheap round trip;
        unfiltered, ``pg_class.reltuples`` scaled to the table's current size, in the same
        statement as the count, ``_TABLE_TOTAL``). When it
        expects at most ``exact_limit`` (default ``EXACT_COUNT_LIMIT``) rows the filter is
        selective (or the table small) and the exact ``count(*)`` is cheap: that is returned.
        Above it an exact count would read every
        matching index entry (~10 ms per 100,000 rows, growing with the table), so the estimate
        is returned and flagged. Estimates track ANALYZE statistics, typically within a few %.
        """
        limit = EXACT_COUNT_LIMIT if exact_limit is None else exact_limit
        clauses = criteria_clauses(criteria)
        if not clauses:
            # Unfiltered (the dashboard's default): one statement, the count runs only if needed.
            row = (await self.session.execute(_TABLE_TOTAL, {"limit": limit})).one()
            return int(row[0]), bool(row[1])
        conn = await self.session.connection()
        matching = select(literal(1)).select_from(Document).where(*clauses)
        estimate = plan_rows((await conn.execute(Explain(matching))).scalar())
        if estimate > limit:
            return estimate, True
        return await self.count(criteria), False

    async def status_counts(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(Document.current_status, func.count()).group_by(Document.current_status)
        )
        return {status: int(count) for status, count in rows}

    async def finalized_page(
        self,
        criteria: DocumentCriteria,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[tuple[Document, ExtractedResult]]:
        """Finalized documents with their results, oldest upload first, keyset-paged."""
        stmt = (
            select(Document, ExtractedResult)
            .join(ExtractedResult, ExtractedResult.document_id == Document.id)
            .where(ExtractedResult.is_finalized.is_(True), *criteria_clauses(criteria))
        )
        if after is not None:
            stmt = stmt.where(
                tuple_(Document.uploaded_at, Document.id)
                > tuple_(
                    literal(after[0], Document.uploaded_at.type),
                    literal(after[1], Document.id.type),
                )
            )
        stmt = stmt.order_by(Document.uploaded_at, Document.id).limit(limit)
        return [(d, r) for d, r in await self.session.execute(stmt)]


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _as_decimal(value: Any) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


# -- listing, searching, paging (added for the API's document list and exports) ---------------

SORT_COLUMNS: dict[str, Any] = {
    "UPLOADED_AT": Document.uploaded_at,
    "FILENAME": Document.original_filename,
    "STATUS": Document.current_status,
    "FILE_SIZE": Document.file_size,
    "INVOICE_DATE": Document.invoice_date,
    "TOTAL_AMOUNT": Document.total_amount,
    "VENDOR_NAME": Document.vendor_name,
}
NULLABLE_SORTS = frozenset({"INVOICE_DATE", "TOTAL_AMOUNT", "VENDOR_NAME"})


@dataclass(frozen=True)
class DocumentCriteria:
    """What a list or export selects. ``tsquery`` is a ready ``to_tsquery('simple', …)`` text
    built from the user's words by the caller (``api.services.documents.build_tsquery``);
    ``search_text`` is the raw search string, also matched as a substring of the invoice number."""

    tsquery: str | None = None
    search_text: str | None = None
    statuses: tuple[str, ...] = ()
    uploaded_from: datetime | None = None
    uploaded_to: datetime | None = None
    vendor_name: str | None = None
    currency: str | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class SortKey:
    field: str = "UPLOADED_AT"
    descending: bool = True


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def criteria_clauses(criteria: DocumentCriteria) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if criteria.tsquery:
        matches: ColumnElement[bool] = Document.search_vector.op("@@")(
            func.to_tsquery("simple", criteria.tsquery)
        )
        # Below three characters trigrams cannot use the index; full-text prefixes still match.
        if criteria.search_text and len(criteria.search_text) >= 3:
            pattern = f"%{_escape_like(criteria.search_text)}%"
            matches = or_(matches, Document.invoice_number.ilike(pattern, escape="\\"))
        clauses.append(matches)
    if criteria.ids:
        clauses.append(Document.id.in_(criteria.ids))
    if criteria.statuses:
        clauses.append(Document.current_status.in_(criteria.statuses))
    if criteria.uploaded_from is not None:
        clauses.append(Document.uploaded_at >= criteria.uploaded_from)
    if criteria.uploaded_to is not None:
        clauses.append(Document.uploaded_at <= criteria.uploaded_to)
    if criteria.vendor_name:
        pattern = f"%{_escape_like(criteria.vendor_name)}%"
        clauses.append(Document.vendor_name.ilike(pattern, escape="\\"))
    if criteria.currency:
        clauses.append(Document.currency == criteria.currency.upper())
    if criteria.min_total is not None:
        clauses.append(Document.total_amount >= criteria.min_total)
    if criteria.max_total is not None:
        clauses.append(Document.total_amount <= criteria.max_total)
    return clauses


def keyset_after(sort: SortKey, value: Any, after_id: uuid.UUID) -> ColumnElement[bool]:
    """Rows strictly after (value, id) in the order of ``sort``.

    PostgreSQL's default NULL placement is used (ASC: NULLs last, DESC: NULLs first), which is
    what a plain b-tree index on (column, id) serves in both directions.
    """
    column = SORT_COLUMNS[sort.field]
    if sort.descending:
        if value is None:
            return or_(column.is_not(None), and_(column.is_(None), Document.id < after_id))
        return tuple_(column, Document.id) < tuple_(
            literal(value, column.type), literal(after_id, Document.id.type)
        )
    if value is None:
        return and_(column.is_(None), Document.id > after_id)
    after = tuple_(column, Document.id) > tuple_(
        literal(value, column.type), literal(after_id, Document.id.type)
    )
    if sort.field in NULLABLE_SORTS:
        return or_(after, column.is_(None))
    return after


def order_by(sort: SortKey) -> list[Any]:
    column = SORT_COLUMNS[sort.field]
    if sort.descending:
        return [column.desc(), Document.id.desc()]
    return [column.asc(), Document.id.asc()]
