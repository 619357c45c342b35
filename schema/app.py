"""The Strawberry router mounted at /graphql."""

from __future__ import annotations

from strawberry.fastapi import GraphQLRouter

from schema.context import get_context
from schema.schema import schema


def graphql_router() -> GraphQLRouter:  # type: ignore[type-arg]
    return GraphQLRouter(schema, context_getter=get_context, graphql_ide="graphiql")
