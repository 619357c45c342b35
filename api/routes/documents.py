"""REST: the document list, one document, its file, review, finalize and single exports."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import Field

from api.auth.http import Exporter, Reader, Reviewer
from api.deps import Context, Session
from api.effects import commit
from api.errors import NotFound
from api.ids import parse_id
from api.routes.ranges import RangeNotSatisfiable, byte_range
from api.routes.serializers import (
    DocumentDetail,
    DocumentListItem,
    DocumentPageOut,
    ReviewIn,
)
from api.services.documents import MAX_PAGE_SIZE, DocumentService, ListQuery
from api.services.exports import ExportService, to_csv
from api.services.reviews import ReviewService
from api.services.sniff import PDF_MIME

router = APIRouter(prefix="/api/documents", tags=["documents"])


def ascii_filename(name: str) -> str:
    """A quoted-string-safe ASCII fallback for Content-Disposition's ``filename=``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._ -]+", "_", folded).strip(" .") or "document.pdf"
    return safe[:150]


def content_disposition(kind: str, name: str) -> str:
    quoted = urllib.parse.quote(name, safe="")
    return f"{kind}; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quoted}"


class ListParams(ListQuery):
    """The list's query string: the filter and order (``ListQuery``, shared with GraphQL and the
    bulk export) and the page."""

    limit: int = Field(20, ge=0, le=MAX_PAGE_SIZE, description=f"Page size, 0..{MAX_PAGE_SIZE}.")
    cursor: str | None = Field(
        None, max_length=1000, description="`nextCursor` of the previous page."
    )


@router.get(
    "",
    response_model=DocumentPageOut,
    summary="List documents",
    description="Search, filter, sort and keyset-page the documents. Pass `nextCursor` as "
    "`cursor` for the next page (with the same search, filters and sort).",
)
async def list_documents(
    _: Reader,
    session: Session,
    query: Annotated[ListParams, Query()],
) -> DocumentPageOut:
    page = await DocumentService(session).page(query, first=query.limit, after=query.cursor)
    return DocumentPageOut(
        items=[DocumentListItem.of(d) for d in page.documents],
        next_cursor=page.end_cursor if page.has_next_page else None,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
        total_count_is_estimate=page.total_count_is_estimate,
    )


async def _detail(session: Session, document_id: str) -> DocumentDetail:
    service = DocumentService(session)
    document = await service.get(parse_id(document_id, "document"))
    [job] = await service.latest_jobs([document.id])
    [result] = await service.results_of([document.id])
    return DocumentDetail.build(document, job, result)


@router.get(
    "/{document_id}",
    response_model=DocumentDetail,
    summary="One document",
    description="The document with its latest job and its extraction (null until completed).",
)
async def get_document(_: Reader, session: Session, document_id: str) -> DocumentDetail:
    return await _detail(session, document_id)


@router.get(
    "/{document_id}/file",
    summary="The original file",
    description="The uploaded bytes, streamed, with their MIME type: a PDF inline, an XML "
    "invoice as an attachment (never rendered by the browser). Honours one byte `Range` "
    "(206 with Content-Range; 416 past the end; several ranges: the whole file).",
    response_class=StreamingResponse,
    responses={
        206: {"description": "The requested byte range, with Content-Range."},
        416: {"description": "The range starts past the end (Content-Range: bytes */size)."},
    },
)
async def get_file(
    _: Reader,
    ctx: Context,
    session: Session,
    document_id: str,
    range_header: Annotated[
        str | None, Header(alias="Range", description="One byte range, e.g. bytes=0-65535.")
    ] = None,
) -> Response:
    document = await DocumentService(session).get(parse_id(document_id, "document"))
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
        "Accept-Ranges": "bytes",
        "X-Content-Type-Options": "nosniff",
    }
    if not inline:
        headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    try:
        wanted = byte_range(range_header, size)
    except RangeNotSatisfiable:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    if wanted is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(ctx.storage.open(key), media_type=mime, headers=headers)
    offset, length = wanted
    headers["Content-Length"] = str(length)
    headers["Content-Range"] = f"bytes {offset}-{offset + length - 1}/{size}"
    body = ctx.storage.open(key, offset=offset, length=length)
    return StreamingResponse(body, status_code=206, media_type=mime, headers=headers)


@router.put(
    "/{document_id}/review",
    response_model=DocumentDetail,
    summary="Save a review",
    description="Body `{fields, expectedVersion}`: the fields to change (camelCase; omitted "
    "stay, null clears; `taxBreakdown` and `lineItems` are replaced whole) and the extraction "
    "version they are based on. The answer's `extraction.checks` are recomputed from the saved "
    "values. 409 VERSION_CONFLICT "
    "(with currentVersion) on a stale version, 409 DOCUMENT_FINALIZED on a finalized document, "
    "409 DOCUMENT_NOT_COMPLETED before extraction has completed, 422 on invalid values.",
)
async def review_document(
    actor: Reviewer, session: Session, document_id: str, body: ReviewIn
) -> DocumentDetail:
    doc_id = parse_id(document_id, "document")
    await ReviewService(session).review(doc_id, body.fields, body.expected_version, actor)
    await commit(session)
    return await _detail(session, document_id)


@router.post(
    "/{document_id}/finalize",
    response_model=DocumentDetail,
    summary="Finalize a document",
    description="Only from COMPLETED (409 DOCUMENT_NOT_COMPLETED otherwise); an already "
    "FINALIZED document answers 200 and nothing changes. A possible duplicate (same invoice "
    "number, total and vendor or VAT id as another document) answers 409 DUPLICATE_SUSPECTED "
    "unless `confirmDuplicate=true`.",
)
async def finalize_document(
    actor: Reviewer,
    session: Session,
    document_id: str,
    confirm_duplicate: Annotated[
        bool,
        Query(alias="confirmDuplicate", description="Finalize a possible duplicate anyway."),
    ] = False,
) -> DocumentDetail:
    await ReviewService(session).finalize(
        parse_id(document_id, "document"), actor, confirm_duplicate=confirm_duplicate
    )
    await commit(session)
    return await _detail(session, document_id)


@router.get(
    "/{document_id}/export/json",
    summary="Export a finalized record as JSON",
    description="409 DOCUMENT_NOT_FINALIZED unless the document is finalized.",
)
async def export_json(actor: Exporter, session: Session, document_id: str) -> JSONResponse:
    record = await ExportService(session).record(parse_id(document_id, "document"), actor)
    await commit(session)
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
async def export_csv(actor: Exporter, session: Session, document_id: str) -> Response:
    record = await ExportService(session).record(parse_id(document_id, "document"), actor)
    await commit(session)
    name = f"paperlane-{record['documentId']}.csv"
    return Response(
        to_csv([record]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition("attachment", name)},
    )
