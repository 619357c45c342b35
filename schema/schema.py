from __future__ import annotations

from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
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

# Strawberry's QueryDepthLimiter and MaxAliasesLimiter build a new rule class for every
# operation (their __init__ runs per operation): CPU on every request, and ~4.5 KiB that a
# live subscription keeps for its whole life. The same rules, built once:
DEPTH_RULE = depth_rule(MAX_DEPTH, None, None)
ALIASES_RULE = aliases_rule(MAX_ALIASES)

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
        lambda: AddValidationRules([DEPTH_RULE]),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules([ALIASES_RULE]),
        lambda: AddValidationRules([CostLimit]),
        IntrospectionGate,
        lambda: ParserCache(maxsize=256),
        PaperlaneMaskErrors,
    ],
)
