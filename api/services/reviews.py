"""Review and finalization: the reviewer's edits to the extracted fields, with optimistic
concurrency, and the one-way step to FINALIZED. Shared by GraphQL and REST; never commits.

- ``review``: only COMPLETED documents (``DOCUMENT_NOT_COMPLETED``), never FINALIZED ones
  (``DOCUMENT_FINALIZED``). The patch is partial: a key present changes that field (``None``
  clears it), a key absent leaves it. The save is a conditional UPDATE on ``version``: a stale
  ``expected_version`` is a ``VersionConflict`` carrying the current version, so nobody's edit
  is silently overwritten. The document's denormalised fields follow the reviewed values.
- ``finalize``: only from COMPLETED; finalizing a FINALIZED document again is a success that
  changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import Actor
from api.auth.policy import Permission, authorize
from api.errors import DuplicateSuspected, InvalidState, NotFound, VersionConflict
from api.services import audit
from api.services.duplicates import possible_duplicates
from api.services.fields import effective_fields, validate_patch
from api.settings import get_settings
from db.models import Document, DocumentStatus, ExtractedResult
from db.repositories import DocumentRepository, ResultRepository


class ReviewService:
    def __init__(self, session: AsyncSession):
        self.session = session
        self.documents = DocumentRepository(session)
        self.results = ResultRepository(session)

    async def _document(self, document_id: uuid.UUID, *, for_update: bool = False) -> Document:
        document = await self.documents.get(document_id, for_update=for_update)
        if document is None:
            raise NotFound(f"document {document_id} does not exist", field="id")
        return document

    @staticmethod
    def _finalized() -> InvalidState:
        return InvalidState("the document is finalized and read-only", code="DOCUMENT_FINALIZED")

    @staticmethod
    def _not_completed(status: str) -> InvalidState:
        return InvalidState(
            f"only COMPLETED documents can be reviewed or finalized; this one is {status}",
            code="DOCUMENT_NOT_COMPLETED",
        )

    async def review(
        self,
        document_id: uuid.UUID,
        patch: Mapping[str, Any],
        expected_version: int,
        actor: Actor | None = None,
    ) -> tuple[Document, ExtractedResult]:
        """``actor`` None: the system (tests, automatic rules); audited as such."""
        if actor is not None:
            authorize(actor, Permission.REVIEW)
        document = await self._document(document_id)
        if document.current_status == DocumentStatus.FINALIZED.value:
            raise self._finalized()
        if document.current_status != DocumentStatus.COMPLETED.value:
            raise self._not_completed(document.current_status)
        result = await self.results.for_document(document_id)
        if result is None:
            raise self._not_completed(document.current_status)
        changes = validate_patch(patch)
        before = effective_fields(result)
        merged = {**before, **changes}
        saved = await self.results.save_review(document_id, expected_version, merged)
        if saved is None:
            current = await self.results.for_document(document_id)
            if current is None:
                raise self._not_completed(document.current_status)
            if current.is_finalized:
                raise self._finalized()
            raise VersionConflict(
                f"the extraction was saved by someone else (version {current.version}, "
                f"you edited version {expected_version}); reload and apply your changes again",
                current_version=current.version,
            )
        await self.documents.index_fields(
            document_id,
            merged,
            saved.raw_text,
            max_text_chars=get_settings().max_indexed_text_chars,
        )
        audit.record(
            self.session,
            actor,
            audit.REVIEWED,
            document_id=document_id,
            changes=audit.field_changes(before, merged, sorted(changes)),
        )
        await self.session.refresh(document)
        return document, saved

    async def finalize(
        self,
        document_id: uuid.UUID,
        actor: Actor | None = None,
        *,
        confirm_duplicate: bool = False,
    ) -> tuple[Document, bool]:
        """Returns the document and whether this call finalized it (False: it already was).

        A document with possible duplicates (``api.services.duplicates``) is finalized only
        with ``confirm_duplicate``, else ``DuplicateSuspected``; the confirmation is audited
        (``DUPLICATE_CONFIRMED``, naming the lookalikes) before the FINALIZED entry.
        """
        if actor is not None:
            authorize(actor, Permission.REVIEW)
        # The row lock orders us against a concurrent retry's status change of the document.
        document = await self._document(document_id, for_update=True)
        if document.current_status == DocumentStatus.FINALIZED.value:
            return document, False
        if document.current_status != DocumentStatus.COMPLETED.value:
            raise self._not_completed(document.current_status)
        lookalikes = (await possible_duplicates(self.session, [document_id]))[document_id]
        if lookalikes and not confirm_duplicate:
            names = ", ".join(d.original_filename for d in lookalikes[:3])
            raise DuplicateSuspected(
                f"This invoice looks like {len(lookalikes)} other document(s) ({names}): same "
                "invoice number, total and vendor or VAT id; confirm to finalize it anyway",
                duplicate_ids=[str(d.id) for d in lookalikes],
            )
        finalized = await self.results.finalize(document_id)
        if finalized is None:
            current = await self.results.for_document(document_id)
            if current is None:
                raise self._not_completed(document.current_status)
            # A concurrent finalize won; the outcome is the same.
        await self.documents.mark_finalized(document_id)
        if finalized is not None:
            if lookalikes:
                audit.record(
                    self.session,
                    actor,
                    audit.DUPLICATE_CONFIRMED,
                    document_id=document_id,
                    changes=[
                        {
                            "field": "possibleDuplicates",
                            "before": None,
                            "after": ", ".join(str(d.id) for d in lookalikes),
                        }
                    ],
                )
            audit.record(self.session, actor, audit.FINALIZED, document_id=document_id)
        await self.session.refresh(document)
        return document, finalized is not None
