"""Query resolvers: thin adapters from GraphQL arguments to ``api.services``."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.ids import parse_id
from api.services.documents import DocumentService, ListQuery, Order, SortField
from schema.accounts import AccountQueries
from schema.health import Health, health
from schema.inputs import DocumentFilter, DocumentSort, SortDirection
from schema.review import ReviewQueries
from schema.types import (
    Document,
    DocumentConnection,
    DocumentEdge,
    DocumentStatus,
    Job,
    PageInfo,
    StatusCount,
)


def list_query(
    search: str | None, filter: DocumentFilter | None, sort: DocumentSort | None
) -> ListQuery:
    """GraphQL's arguments mapped onto the one list model (``ListQuery``): validated there."""
    f = filter or DocumentFilter()
    return ListQuery.parse(
        search=search,
        status=[s.value for s in f.status or ()],
        uploaded_from=f.uploaded_from,
        uploaded_to=f.uploaded_to,
        vendor_name=f.vendor_name,
        currency=f.currency,
        min_total=f.min_total,
        max_total=f.max_total,
        ids=list(f.ids or ()),
        sort=str(sort.field.value).lower() if sort is not None else SortField.uploaded_at,
        order=Order.desc if sort is None or sort.direction is SortDirection.DESC else Order.asc,
    )


@strawberry.type(description="Read-only entry points.")
class Query(AccountQueries, ReviewQueries):
    health: Health = strawberry.field(
        resolver=health, description="Whether the API's dependencies answer."
    )

    @strawberry.field(
        description="Documents, newest upload first unless sorted otherwise. `search` matches "
        "file name, vendor, invoice number and document text (word prefixes, all words). "
        "Keyset-paged: pass pageInfo.endCursor as `after`; `first` is at most 100."
    )
    async def documents(
        self,
        info: Info,
        search: Annotated[
            str | None, strawberry.argument(description="Words to find; each matches as a prefix.")
        ] = None,
        filter: Annotated[
            DocumentFilter | None,
            strawberry.argument(description="Conditions every document must meet."),
        ] = None,
        sort: Annotated[
            DocumentSort | None, strawberry.argument(description="Order; default UPLOADED_AT DESC.")
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 0..100 (default 20).")
        ] = 20,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="endCursor of the previous page (same search and sort)."
            ),
        ] = None,
    ) -> DocumentConnection:
        query = list_query(search, filter, sort)
        async with info.context.use() as session:
            page = await DocumentService(session).page(query, first=first, after=after)
        loaders = info.context.loaders
        for row in page.documents:
            loaders.prime_document(row)
        return DocumentConnection(
            edges=[
                DocumentEdge(cursor=c, node=Document(row=d))
                for d, c in zip(page.documents, page.cursors, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            total_count=page.total_count,
            total_count_is_estimate=page.total_count_is_estimate,
        )

    @strawberry.field(description="One document by id; null if it does not exist.")
    async def document(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Document id.")],
    ) -> Document | None:
        row = await info.context.loaders.document.load(parse_id(id, "document"))
        return Document(row=row) if row is not None else None

    @strawberry.field(description="One job by id; null if it does not exist.")
    async def job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Job id.")],
    ) -> Job | None:
        row = await info.context.loaders.job.load(parse_id(id, "job"))
        return Job(row=row) if row is not None else None

    @strawberry.field(description="How many documents have each status (all six, zeros included).")
    async def document_counts(self, info: Info) -> list[StatusCount]:
        async with info.context.use() as session:
            counts = await DocumentService(session).counts()
        return [StatusCount(status=DocumentStatus[s], count=n) for s, n in counts]
