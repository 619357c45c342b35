"""REST: bulk exports of finalized records, streamed in keyset batches (constant memory)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from api.auth.actor import Actor
from api.auth.http import Exporter
from api.deps import Context
from api.effects import commit
from api.routes.documents import content_disposition
from api.services import audit
from api.services.documents import ListFilter
from api.services.exports import (
    finalized_records,
    stream_csv,
    stream_json,
    stream_line_items_csv,
)

router = APIRouter(prefix="/api/exports", tags=["exports"])

# Export file name → (media type, renderer, download name).
FORMATS = {
    "documents.json": ("application/json", stream_json, "paperlane-export.json"),
    "documents.csv": ("text/csv; charset=utf-8", stream_csv, "paperlane-export.csv"),
    "line-items.csv": (
        "text/csv; charset=utf-8",
        stream_line_items_csv,
        "paperlane-line-items.csv",
    ),
}


async def _export(ctx: Context, actor: Actor, fmt: str, query: ListFilter) -> StreamingResponse:
    media_type, render, download = FORMATS[fmt]
    criteria = query.criteria()
    # One audit row per bulk export (its format and filters), committed before it streams.
    async with ctx.session() as session:
        audit.record(
            session,
            actor,
            audit.EXPORTED,
            changes=[
                {"field": "export", "before": None, "after": fmt},
                *(
                    {"field": key, "before": None, "after": str(value)}
                    for key, value in query.model_dump(exclude_defaults=True).items()
                    if value is not None
                ),
            ],
        )
        await commit(session)
    return StreamingResponse(
        render(finalized_records(ctx.session, criteria)),
        media_type=media_type,
        headers={"Content-Disposition": content_disposition("attachment", download)},
    )


def _route(fmt: str, what: str) -> None:
    @router.get(
        f"/{fmt}",
        summary=f"Export every finalized record as {what}",
        description="Every finalized record matching the same filters as the document list "
        "(oldest upload first), streamed. Non-finalized documents are never exported.",
        response_class=StreamingResponse,
        name="export_" + fmt.replace(".", "_").replace("-", "_"),
    )
    async def export(
        actor: Exporter,
        ctx: Context,
        query: Annotated[ListFilter, Query()],
    ) -> StreamingResponse:
        return await _export(
            ctx,
            actor,
            fmt,
            query,
        )


_route("documents.json", "a JSON array")
_route("documents.csv", "CSV")
_route(
    "line-items.csv",
    "CSV of their line items (one row per line: document_id, invoice_number, line_number and "
    "the line's fields)",
)
