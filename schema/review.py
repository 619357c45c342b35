"""The reviewer's day in GraphQL: the review queue, the attention settings, bulk actions.

Resolvers are thin: ``api.services.review_queue`` and ``api.services.bulk`` decide; the bulk
services authorize (review permission) and audit per document.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.ids import parse_id
from api.services.bulk import BulkOutcome
from api.services.documents import MAX_SELECTION, ListFilter
from api.services.review_queue import ReviewQueue
from schema.errors import ValidationError
from schema.inputs import DocumentFilter
from schema.types import Document


@strawberry.type(description="Settings the review screen follows.")
class ReviewSettings:
    confidence_threshold: float = strawberry.field(
        description="Fields extracted with less confidence than this need attention (0..1)."
    )
    straight_through: str = strawberry.field(
        description='Straight-through processing: "off", "xml" or "all".'
    )
    max_selection: int = strawberry.field(
        description="The most documents one bulk action or picked export may name."
    )


@strawberry.type(description="What a bulk action did to one selected document.")
class BulkItemResult:
    document_id: strawberry.ID = strawberry.field(description="The document (as selected).")
    ok: bool = strawberry.field(description="Whether the action was done.")
    code: str | None = strawberry.field(
        description="Why not: e.g. CHECKS_FAILED, DUPLICATE_SUSPECTED, DOCUMENT_NOT_COMPLETED, "
        "JOB_NOT_RETRYABLE, NOT_FOUND."
    )
    message: str | None = strawberry.field(description="Why not, readable.")

    @classmethod
    def of(cls, outcome: BulkOutcome) -> BulkItemResult:
        return cls(
            document_id=strawberry.ID(outcome.document_id),
            ok=outcome.ok,
            code=outcome.code,
            message=outcome.message,
        )


@strawberry.type(description="The result of a bulk action, per document.")
class BulkActionSuccess:
    results: list[BulkItemResult] = strawberry.field(
        description="One entry per selected document, in selection order."
    )

    @strawberry.field(description="How many were done.")
    def succeeded(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @strawberry.field(description="How many were refused (see each result's code).")
    def refused(self) -> int:
        return sum(1 for r in self.results if not r.ok)


BulkActionResult = Annotated[
    BulkActionSuccess | ValidationError,
    strawberry.union(
        "BulkActionResult",
        description="Per-document results, or why the selection was refused as a whole "
        "(SELECTION_TOO_LARGE, or neither/both of ids and filter).",
    ),
]

IdsArgument = Annotated[
    list[strawberry.ID] | None,
    strawberry.argument(
        description=f"The documents (at most {MAX_SELECTION}); malformed or unknown ids are "
        "reported as NOT_FOUND results."
    ),
]
FilterArgument = Annotated[
    DocumentFilter | None,
    strawberry.argument(
        description=f"Instead of ids: every document matching (at most {MAX_SELECTION})."
    ),
]
SearchArgument = Annotated[
    str | None, strawberry.argument(description="With filter: the list's search words.")
]


def _selection(filter: DocumentFilter | None, search: str | None) -> ListFilter | None:
    """The filter mapped onto the one list model (validated there), like the list's."""
    from schema.queries import list_query  # schema.queries imports this module

    if filter is None and search is None:
        return None
    query = list_query(search, filter, None)
    return ListFilter.model_validate(query.model_dump())


@strawberry.type
class ReviewQueries:
    @strawberry.field(
        description="The next document to review: the oldest COMPLETED (unfinalized) one after "
        "`after` in upload order, wrapping around; null when the queue is empty."
    )
    async def next_to_review(
        self,
        info: Info,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The document being left (may be finalized)."),
        ] = None,
    ) -> Document | None:
        start = parse_id(after, "document", field="after") if after is not None else None
        async with info.context.use() as session:
            row = await ReviewQueue(session).next(start)
        return Document(row=row) if row is not None else None

    @strawberry.field(
        description="The document to review before `before` in upload order, wrapping around; "
        "null when the queue is empty."
    )
    async def previous_to_review(
        self,
        info: Info,
        before: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The document being left."),
        ] = None,
    ) -> Document | None:
        start = parse_id(before, "document", field="before") if before is not None else None
        async with info.context.use() as session:
            row = await ReviewQueue(session).previous(start)
        return Document(row=row) if row is not None else None

    @strawberry.field(description="How many documents wait for review (COMPLETED).")
    async def review_queue_length(self, info: Info) -> int:
        async with info.context.use() as session:
            return await ReviewQueue(session).length()

    @strawberry.field(description="Settings the review screen follows.")
    def review_settings(self, info: Info) -> ReviewSettings:
        settings = info.context.app.settings
        return ReviewSettings(
            confidence_threshold=settings.review_confidence_threshold,
            straight_through=settings.straight_through,
            max_selection=MAX_SELECTION,
        )


async def _bulk(
    info: Info,
    action: str,
    ids: list[strawberry.ID] | None,
    filter: DocumentFilter | None,
    search: str | None,
) -> BulkActionSuccess:
    selection = _selection(filter, search)
    async with info.context.use() as session:
        service = info.context.app.bulk(session)
        run = getattr(service, action)
        outcomes = await run(
            info.context.actor, [str(i) for i in ids] if ids is not None else None, selection
        )
        await info.context.commit(session)
    return BulkActionSuccess(results=[BulkItemResult.of(o) for o in outcomes])


@strawberry.type
class ReviewMutations:
    @strawberry.mutation(
        description="Finalize a selection: only documents whose checks hold (at least one ran, "
        "all passed) and that are no possible duplicate; the others are refused with the reason "
        "(CHECKS_FAILED, "
        "DUPLICATE_SUSPECTED, DOCUMENT_NOT_COMPLETED, …). Needs the review permission."
    )
    async def bulk_finalize(
        self,
        info: Info,
        ids: IdsArgument = None,
        filter: FilterArgument = None,
        search: SearchArgument = None,
    ) -> BulkActionResult:
        return await _bulk(info, "finalize", ids, filter, search)

    @strawberry.mutation(description="Retry the latest job of each FAILED or CANCELLED document.")
    async def bulk_retry(
        self,
        info: Info,
        ids: IdsArgument = None,
        filter: FilterArgument = None,
        search: SearchArgument = None,
    ) -> BulkActionResult:
        return await _bulk(info, "retry", ids, filter, search)

    @strawberry.mutation(description="Cancel the latest job of each QUEUED or PROCESSING document.")
    async def bulk_cancel(
        self,
        info: Info,
        ids: IdsArgument = None,
        filter: FilterArgument = None,
        search: SearchArgument = None,
    ) -> BulkActionResult:
        return await _bulk(info, "cancel", ids, filter, search)
