"""Test helpers: documents in any state without a worker (through the real repositories and
JobService transitions), GraphQL over the in-process ASGI client, statement counting."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
from sqlalchemy import event

from api.context import AppContext
from api.effects import commit
from api.events.hub import EventHub
from db.models import Document, JobEventType
from db.repositories import DocumentRepository, JobRepository

MINI_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

FIELDS = {
    "vendorName": "Acme GmbH",
    "invoiceNumber": "INV-2024-001",
    "invoiceDate": "2024-03-01",
    "dueDate": "2024-03-31",
    "totalAmount": "119.00",
    "taxAmount": "19.00",
    "currency": "EUR",
    "status": "DUE",
}


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def make_document(
    ctx: AppContext,
    *,
    filename: str = "invoice.pdf",
    state: str = "COMPLETED",
    fields: dict[str, Any] | None = None,
    raw_text: str = "Invoice from Acme",
    finalize: bool = False,
    content: bytes | None = None,
) -> Document:
    """A document whose job went QUEUED → PROCESSING → ``state`` (COMPLETED with ``fields``)."""
    data = content if content is not None else MINI_PDF + uuid.uuid4().bytes
    key = f"test/{uuid.uuid4().hex}.pdf"
    await ctx.storage.put(key, _chunks(data))
    async with ctx.session() as session:
        documents = DocumentRepository(session)
        document = await documents.create(
            original_filename=filename,
            stored_file_path=key,
            mime_type="application/pdf",
            file_size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        jobs = ctx.jobs(session)
        job = await JobRepository(session).create(document.id)
        await jobs._record(job, JobEventType.JOB_QUEUED)
        if state != "QUEUED":
            claimed = await jobs.claim(job.id)
            assert claimed is not None
            if state == "COMPLETED":
                # A number of its own: equal numbers, totals and vendors make documents
                # possible duplicates of each other (api.services.duplicates).
                unique = {"invoiceNumber": f"{FIELDS['invoiceNumber']}-{document.id.hex[:8]}"}
                output = {
                    "fields": {**FIELDS, **unique, **(fields or {})},
                    "evidence": [
                        {
                            "field": "totalAmount",
                            "confidence": 0.9,
                            "page": 1,
                            "bbox": [1.0, 2.0, 3.0, 4.0],
                            "source": "text",
                        },
                    ],
                }
                await jobs.complete(claimed, raw_text=raw_text, output=output, page_count=1)
            elif state == "FAILED":
                await jobs.fail(claimed, "PDF_CORRUPT", "broken")
        await commit(session)
    if finalize:
        from api.services.reviews import ReviewService

        async with ctx.session() as session:
            await ReviewService(session).finalize(document.id)
            await commit(session)
    async with ctx.session() as session:
        found = await DocumentRepository(session).get(document.id)
        assert found is not None
        return found


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()


async def gql_data(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await gql(client, query, variables)
    assert not body.get("errors"), body
    return body["data"]


@contextlib.contextmanager
def count_statements(ctx_or_engine: Any) -> Iterator[list[str]]:
    engine = getattr(ctx_or_engine, "engine", ctx_or_engine)
    statements: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # The event hub reads PostgreSQL on its own schedule (its poll, its catch-up after a
        # burst of events): a statement of its task is never the measured request's.
        task = asyncio.current_task()
        if task is not None and task.get_name() == EventHub.TASK_NAME:
            return
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before)
