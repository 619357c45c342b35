"""REST: the document list, one document, its file, review, finalize and single exports."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.deps import Context, Session
from api.effects import commit
from api.errors import NotFound, ValidationFailed
from api.routes.serializers import (
    DocumentDetail,
    DocumentListItem,
    DocumentPageOut,
    ReviewIn,
)
from api.services.documents import MAX_PAGE_SIZE, DocumentService, ListQuery, parse_uuid
from api.services.exports import ExportService, to_csv
from api.services.reviews import ReviewService
from api.services.sniff import PDF_MIME
from db.models import DocumentStatus
from db.repositories.documents import SortKey

router = APIRouter(prefix="/api/documents", tags=["documents"])


class SortField(StrEnum):
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


def ascii_filename(name: str) -> str:
    """A quoted-string-safe ASCII fallback for Content-Disposition's ``filename=``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._ -]+", "_", folded).strip(" .") or "document.pdf"
    return safe[:150]


def content_disposition(kind: str, name: str) -> str:
    quoted = urllib.parse.quote(name, safe="")
    return f"{kind}; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quoted}"


def list_query(
    search: str | None,
    status: list[DocumentStatus] | None,
    sort: SortField,
    order: Order,
    vendor_name: str | None = None,
    currency: str | None = None,
    min_total: Decimal | None = None,
    max_total: Decimal | None = None,
    uploaded_from: datetime | None = None,
    uploaded_to: datetime | None = None,
) -> ListQuery:
    for name, amount in (("minTotal", min_total), ("maxTotal", max_total)):
        if amount is not None and not amount.is_finite():
            raise ValidationFailed(f"{name} must be a finite number", field=name)
    return ListQuery(
        search=search,
        statuses=tuple(s.value for s in status or ()),
        vendor_name=vendor_name,
        currency=currency,
        min_total=min_total,
        max_total=max_total,
        uploaded_from=uploaded_from,
        uploaded_to=uploaded_to,
        sort=SortKey(sort.value.upper(), order is Order.desc),
    )


SearchParam = Annotated[
    str | None,
    Query(description="Words matched (as prefixes) in file name, vendor, number and text."),
]
StatusParam = Annotated[
    list[DocumentStatus] | None, Query(description="Only these statuses (repeatable).")
]
VendorParam = Annotated[
    str | None, Query(alias="vendorName", description="Vendor contains (case-insensitive).")
]
CurrencyParam = Annotated[str | None, Query(description="ISO 4217 code.")]
MinParam = Annotated[Decimal | None, Query(alias="minTotal", description="Total at least.")]
MaxParam = Annotated[Decimal | None, Query(alias="maxTotal", description="Total at most.")]
FromParam = Annotated[
    datetime | None, Query(alias="uploadedFrom", description="Uploaded at or after (ISO 8601).")
]
ToParam = Annotated[
    datetime | None, Query(alias="uploadedTo", description="Uploaded at or before (ISO 8601).")
]


@router.get(
    "",
    response_model=DocumentPageOut,
    summary="List documents",
    description="Search, filter, sort and keyset-page the documents. Pass `nextCursor` as "
    "`cursor` for the next page (with the same search, filters and sort).",
)
async def list_documents(
    session: Session,
    search: SearchParam = None,
    status: StatusParam = None,
    sort: Annotated[SortField, Query(description="Sort field.")] = SortField.uploaded_at,
    order: Annotated[Order, Query(description="Sort direction.")] = Order.desc,
    limit: Annotated[
        int, Query(ge=0, le=MAX_PAGE_SIZE, description=f"Page size, 0..{MAX_PAGE_SIZE}.")
    ] = 20,
    cursor: Annotated[str | None, Query(description="`nextCursor` of the previous page.")] = None,
    vendor_name: VendorParam = None,
    currency: CurrencyParam = None,
    min_total: MinParam = None,
    max_total: MaxParam = None,
    uploaded_from: FromParam = None,
    uploaded_to: ToParam = None,
) -> DocumentPageOut:
    query = list_query(
        search,
        status,
        sort,
        order,
        vendor_name,
        currency,
        min_total,
        max_total,
        uploaded_from,
        uploaded_to,
    )
    page = await DocumentService(session).page(query, first=limit, after=cursor)
    return DocumentPageOut(
        items=[DocumentListItem.of(d) for d in page.documents],
        next_cursor=page.end_cursor if page.has_next_page else None,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


async def _detail(session: Session, document_id: str) -> DocumentDetail:
    service = DocumentService(session)
    document = await service.get(parse_uuid(document_id, "document"))
    [job] = await service.latest_jobs([document.id])
    [result] = await service.results_of([document.id])
    return DocumentDetail.build(document, job, result)


@router.get(
    "/{document_id}",
    response_model=DocumentDetail,
    summary="One document",
    description="The document with its latest job and its extraction (null until completed).",
)
async def get_document(session: Session, document_id: str) -> DocumentDetail:
    return await _detail(session, document_id)


@router.get(
    "/{document_id}/file",
    summary="The original file",
    description="The uploaded bytes, streamed, with their MIME type: a PDF inline, an XML "
    "invoice as an attachment (never rendered by the browser).",
    response_class=StreamingResponse,
)
async def get_file(ctx: Context, session: Session, document_id: str) -> StreamingResponse:
    document = await DocumentService(session).get(parse_uuid(document_id, "document"))
    key, mime, name, size = (
        document.stored_file_path,
        document.mime_type,
        document.original_filename,
        document.file_size,
    )
    await session.rollback()  # nothing to keep open while the file streams
    if await ctx.storage.size(key) is None:
        raise NotFound(f"the file of document {document_id} is missing from storage")
    # Only a PDF is shown inline (the review screen's viewer). XML is always a download: a
    # browser rendering uploaded markup would run whatever script it carries (XSS).
    inline = mime == PDF_MIME
    headers = {
        "Content-Disposition": content_disposition("inline" if inline else "attachment", name),
        "Content-Length": str(size),
        "X-Content-Type-Options": "nosniff",
    }
    if not inline:
        headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return StreamingResponse(ctx.storage.open(key), media_type=mime, headers=headers)


@router.put(
    "/{document_id}/review",
    response_model=DocumentDetail,
    summary="Save a review",
    description="Body `{fields, expectedVersion}`: the fields to change (camelCase; omitted "
    "stay, null clears) and the extraction version they are based on. 409 VERSION_CONFLICT "
    "(with currentVersion) on a stale version, 409 DOCUMENT_FINALIZED on a finalized document, "
    "409 DOCUMENT_NOT_COMPLETED before extraction has completed, 422 on invalid values.",
)
async def review_document(session: Session, document_id: str, body: ReviewIn) -> DocumentDetail:
    doc_id = parse_uuid(document_id, "document")
    await ReviewService(session).review(doc_id, body.fields, body.expected_version)
    await commit(session)
    return await _detail(session, document_id)


@router.post(
    "/{document_id}/finalize",
    response_model=DocumentDetail,
    summary="Finalize a document",
    description="Only from COMPLETED (409 DOCUMENT_NOT_COMPLETED otherwise); an already "
    "FINALIZED document answers 200 and nothing changes.",
)
async def finalize_document(session: Session, document_id: str) -> DocumentDetail:
    await ReviewService(session).finalize(parse_uuid(document_id, "document"))
    await commit(session)
    return await _detail(session, document_id)


@router.get(
    "/{document_id}/export/json",
    summary="Export a finalized record as JSON",
    description="409 DOCUMENT_NOT_FINALIZED unless the document is finalized.",
)
async def export_json(session: Session, document_id: str) -> JSONResponse:
    record = await ExportService(session).record(parse_uuid(document_id, "document"))
    name = f"paperlane-{record['documentId']}.json"
    return JSONResponse(
        record, headers={"Content-Disposition": content_disposition("attachment", name)}
    )


@router.get(
    "/{document_id}/export/csv",
    summary="Export a finalized record as CSV",
    description="UTF-8 CSV with a header row; formula-like text cells are neutralised. 409 "
    "DOCUMENT_NOT_FINALIZED unless the document is finalized.",
    response_class=Response,
)
async def export_csv(session: Session, document_id: str) -> Response:
    record = await ExportService(session).record(parse_uuid(document_id, "document"))
    name = f"paperlane-{record['documentId']}.csv"
    return Response(
        to_csv([record]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition("attachment", name)},
    )
