"""The review queue: COMPLETED documents (extracted, not yet finalized), oldest upload first.

``next``/``previous`` walk it from a document (which may have left the queue meanwhile, e.g.
just finalized): the neighbour in upload order, wrapping around at the ends so documents skipped
earlier come back. Both use ``ix_documents_status_uploaded``.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Document, DocumentStatus
from db.repositories import DocumentRepository
from db.repositories.documents import DocumentCriteria

QUEUED_FOR_REVIEW = DocumentStatus.COMPLETED.value


class ReviewQueue:
    def __init__(self, session: AsyncSession):
        self.documents = DocumentRepository(session)

    async def _step(self, start: uuid.UUID | None, *, forward: bool) -> Document | None:
        position = None
        if start is not None:
            current = await self.documents.get(start)
            if current is not None:
                position = (current.uploaded_at, current.id)
        found = await self.documents.next_in_status(QUEUED_FOR_REVIEW, position, forward=forward)
        if found is None and position is not None:
            # Past the end: wrap around, but never back to where we stand.
            found = await self.documents.next_in_status(
                QUEUED_FOR_REVIEW, None, forward=forward, exclude=start
            )
        return found

    async def next(self, after: uuid.UUID | None = None) -> Document | None:
        """The oldest document to review after ``after`` (without it: the oldest of all)."""
        return await self._step(after, forward=True)

    async def previous(self, before: uuid.UUID | None = None) -> Document | None:
        """The document to review before ``before`` (without it: the newest)."""
        return await self._step(before, forward=False)

    async def length(self) -> int:
        return await self.documents.count(DocumentCriteria(statuses=(QUEUED_FOR_REVIEW,)))
