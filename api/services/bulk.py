"""Bulk actions on a selection of documents: finalize, retry, cancel.

A selection is either explicit ids or a list filter (the one ``ListFilter``), never both, and at
most ``MAX_SELECTION`` documents: more ids, or a filter matching more, is refused as a whole with
``SELECTION_TOO_LARGE`` before anything changes. The caller needs the review permission once;
each document then goes through the same service call a single action uses (so it is audited
per document, by the same rules), inside its own SAVEPOINT: one refused or failing document
leaves the others' outcome alone. The result lists every selected document with ``ok`` or the
refusal's code and message.

Bulk finalize is stricter than one finalize: only documents whose checks hold (``checks_hold``: at
least one ran, all passed), and never a possible duplicate (that needs a person's explicit
confirmation, one document at a time).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import Actor
from api.auth.policy import Permission, authorize
from api.errors import InvalidState, NotFound, PaperlaneError, ValidationFailed
from api.ids import parse_id
from api.services.documents import MAX_SELECTION, ListFilter
from api.services.fields import checks_hold, checks_of
from api.services.jobs import JobService
from api.services.reviews import ReviewService
from db.repositories import DocumentRepository, JobRepository, ResultRepository


@dataclass(frozen=True)
class BulkOutcome:
    """What happened to one selected document (``document_id`` as given when malformed)."""

    document_id: str
    ok: bool
    code: str | None = None
    message: str | None = None


def _too_large(what: str) -> ValidationFailed:
    return ValidationFailed(
        f"{what} more than {MAX_SELECTION} documents; select fewer or narrow the filter",
        code="SELECTION_TOO_LARGE",
        field="ids" if what.startswith("the ids") else "filter",
    )


class BulkService:
    def __init__(self, session: AsyncSession, jobs: JobService):
        self.session = session
        self.jobs = jobs
        self.documents = DocumentRepository(session)

    async def select(
        self, ids: Sequence[str] | None, filter: ListFilter | None
    ) -> list[tuple[str, uuid.UUID | None]]:
        """The selection as (id as given, parsed id or None when malformed), in order,
        without repeats."""
        if (ids is None) == (filter is None):
            raise ValidationFailed("give either ids or a filter", field="ids")
        if ids is not None:
            if len(ids) > MAX_SELECTION:
                raise _too_large("the ids name")
            chosen: dict[str, uuid.UUID | None] = {}
            for raw in ids:
                try:
                    chosen.setdefault(str(raw), parse_id(raw, "document"))
                except NotFound:
                    chosen.setdefault(str(raw)[:100], None)
            return list(chosen.items())
        assert filter is not None
        found = await self.documents.ids_matching(filter.criteria(), MAX_SELECTION + 1)
        if len(found) > MAX_SELECTION:
            raise _too_large("the filter matches")
        return [(str(i), i) for i in found]

    async def _each(
        self,
        actor: Actor | None,
        ids: Sequence[str] | None,
        filter: ListFilter | None,
        action: Callable[[uuid.UUID], Awaitable[None]],
    ) -> list[BulkOutcome]:
        if actor is not None:
            authorize(actor, Permission.REVIEW)
        outcomes = []
        for raw, document_id in await self.select(ids, filter):
            if document_id is None:
                outcomes.append(
                    BulkOutcome(raw, False, "NOT_FOUND", f"document {raw} does not exist")
                )
                continue
            try:
                async with self.session.begin_nested():
                    await action(document_id)
            except PaperlaneError as error:
                outcomes.append(BulkOutcome(raw, False, error.code, error.message))
            else:
                outcomes.append(BulkOutcome(raw, True))
        return outcomes

    async def finalize(
        self, actor: Actor | None, ids: Sequence[str] | None, filter: ListFilter | None
    ) -> list[BulkOutcome]:
        reviews = ReviewService(self.session)
        results = ResultRepository(self.session)

        async def one(document_id: uuid.UUID) -> None:
            document = await self.documents.get(document_id)
            if document is None:
                raise NotFound(f"document {document_id} does not exist", field="id")
            result = await results.for_document(document_id)
            if result is not None and not result.is_finalized:
                checks = checks_of(result)
                if not checks_hold(checks):
                    failed = [c["name"] for c in checks if not c["passed"]]
                    why = (
                        "its checks fail (" + ", ".join(failed) + ")"
                        if failed
                        else "no check could run on its values"
                    )
                    raise InvalidState(
                        f"not finalized: {why}; review it first", code="CHECKS_FAILED"
                    )
            await reviews.finalize(document_id, actor)

        return await self._each(actor, ids, filter, one)

    async def _latest_job(self, document_id: uuid.UUID) -> uuid.UUID:
        jobs = await JobRepository(self.session).latest_for_documents([document_id])
        if not jobs:
            raise NotFound(f"document {document_id} does not exist", field="id")
        return jobs[0].id

    async def retry(
        self, actor: Actor | None, ids: Sequence[str] | None, filter: ListFilter | None
    ) -> list[BulkOutcome]:
        async def one(document_id: uuid.UUID) -> None:
            await self.jobs.retry(await self._latest_job(document_id), actor)

        return await self._each(actor, ids, filter, one)

    async def cancel(
        self, actor: Actor | None, ids: Sequence[str] | None, filter: ListFilter | None
    ) -> list[BulkOutcome]:
        async def one(document_id: uuid.UUID) -> None:
            await self.jobs.cancel(await self._latest_job(document_id), actor)

        return await self._each(actor, ids, filter, one)
