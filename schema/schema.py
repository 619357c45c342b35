from __future__ import annotations

from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig

from schema.cost import CostLimit
from schema.errors import HANDLERS
from schema.extensions import PaperlaneMaskErrors, PaperlaneSchema
from schema.introspection import IntrospectionGate
from schema.mutations import Mutation
from schema.queries import Query
from schema.scalars import SCALARS
from schema.shared import SharedEventExecutor
from schema.subscriptions import Subscription

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 30

schema = PaperlaneSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(scalar_map=SCALARS),
    # subscription events are executed once per (document, variables, event): schema.shared
    execution_context_class=SharedEventExecutor,
    # domain errors → UserError union members, declared once (schema.errors)
    exception_handlers=HANDLERS,
    extensions=[
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: AddValidationRules([CostLimit]),
        IntrospectionGate,
        lambda: ParserCache(maxsize=256),
        PaperlaneMaskErrors,
    ],
)
