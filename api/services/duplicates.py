"""Duplicates beyond identical bytes: a document whose invoice number and total equal another's,
and whose vendor (case-insensitive) or seller VAT id does too, is a possible duplicate of it
(the same invoice scanned twice, or sent again as XML). Identical bytes are ``duplicateOf``.

Matching uses the document's indexed copies of its effective fields (``documents`` columns kept
by ``DocumentRepository.index_fields``), so a reviewer's correction of the number or the total
changes what it matches.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Document
from db.repositories import DocumentRepository

# Enough to act on; a document with more lookalikes than this is a data problem to show, not
# to list in full.
MAX_SHOWN = 10


async def possible_duplicates(
    session: AsyncSession, document_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Document]]:
    """Each document's possible duplicates, oldest upload first (one statement per batch)."""
    if not document_ids:
        return {}
    return await DocumentRepository(session).possible_duplicates(
        list(dict.fromkeys(document_ids)), per_document=MAX_SHOWN
    )
