from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from db.models import Document, DocumentStatus


def search_document(filename: Any, *parts: Any) -> ColumnElement[Any]:
    """The tsvector of a document: its filename (also split at punctuation) and ``parts``.

    The ``simple`` configuration, because invoices come in many languages and stemming one of
    them would garble the others.
    """
    split_name = func.regexp_replace(filename, r"[^[:alnum:]]+", " ", "g")
    text = func.concat_ws(" ", filename, split_name, *parts)
    return func.to_tsvector("simple", text)


class DocumentRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def create(self, **values: Any) -> Document:
        document = Document(id=uuid.uuid4(), current_status=DocumentStatus.QUEUED.value, **values)
        document.search_vector = search_document(values["original_filename"])
        self.session.add(document)
        await self.session.flush()
        await self.session.refresh(document)
        return document

    async def get(self, document_id: uuid.UUID, *, for_update: bool = False) -> Document | None:
        stmt = select(Document).where(Document.id == document_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_many(self, ids: Sequence[uuid.UUID]) -> list[Document]:
        return list(await self.session.scalars(select(Document).where(Document.id.in_(ids))))

    async def earliest_with_sha256(self, sha256: str) -> Document | None:
        stmt = (
            select(Document)
            .where(Document.sha256 == sha256)
            .order_by(Document.uploaded_at, Document.id)
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

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

    async def set_page_count(self, document_id: uuid.UUID, page_count: int) -> None:
        await self.session.execute(
            update(Document).where(Document.id == document_id).values(page_count=page_count)
        )

    async def index_fields(
        self, document_id: uuid.UUID, fields: Mapping[str, Any], raw_text: str
    ) -> None:
        """Copy the effective invoice fields onto the document for listing, sorting, search."""
        vendor = fields.get("vendorName")
        number = fields.get("invoiceNumber")
        await self.session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(
                vendor_name=vendor,
                invoice_number=number,
                invoice_date=_as_date(fields.get("invoiceDate")),
                total_amount=_as_decimal(fields.get("totalAmount")),
                currency=fields.get("currency"),
                search_vector=search_document(
                    Document.original_filename, vendor or "", number or "", raw_text
                ),
            )
        )


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _as_decimal(value: Any) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None
