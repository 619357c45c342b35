"""What one GraphQL request may cost: a static cost rule, and a budget for raw text.

- ``CostLimit`` (a validation rule, so nothing executes when it fails): every selected field
  costs 1 and a heavy field its weight (``rawText``: 100); a fragment costs what it selects each
  time it is spread, and every alias is a field of its own. Above ``graphql_max_cost`` the
  operation is refused with ``QUERY_TOO_COSTLY``. Thirty aliases of
  ``document { extraction { rawText } }`` cost 3,060: refused before any row is read.
- ``rawText`` is paged (``offset``, ``limit`` ≤ ``graphql_raw_text_max_chars``) and read from
  PostgreSQL as a slice, never whole; all ``rawText`` fields of one request share a budget of
  ``graphql_raw_text_budget_chars`` (lists multiply what the static rule cannot see). A field
  past the budget is an error ``RESPONSE_TOO_LARGE`` naming the limit; the rest of the answer
  stands.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

from api.errors import PaperlaneError, ValidationFailed
from api.settings import get_settings

HEAVY_FIELDS = {"rawText": 100}
_MAX_NESTING = 64


class CostLimit(ValidationRule):
    def __init__(self, context: ValidationContext):
        super().__init__(context)
        self.max_cost = get_settings().graphql_max_cost

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        cost = self._cost(node.selection_set, (), 0)
        if cost > self.max_cost:
            self.report_error(
                GraphQLError(
                    f"the operation costs at least {cost}, more than the limit of {self.max_cost} "
                    "(1 per field, aliases and fragment uses counted each time, "
                    f"{HEAVY_FIELDS['rawText']} per rawText); ask for less in one request",
                    node,
                    extensions={"code": "QUERY_TOO_COSTLY"},
                )
            )

    def _cost(
        self, selections: SelectionSetNode | None, fragments: tuple[str, ...], depth: int
    ) -> int:
        if selections is None or depth > _MAX_NESTING:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += HEAVY_FIELDS.get(selection.name.value, 1)
                total += self._cost(selection.selection_set, fragments, depth + 1)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, fragments, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in fragments:  # cycles: another rule's
                    total += self._cost(fragment.selection_set, (*fragments, name), depth + 1)
            if total > self.max_cost:
                return total  # enough to refuse; do not walk the rest of a huge document
        return total


class ResponseTooLarge(PaperlaneError):
    code = "RESPONSE_TOO_LARGE"


class RawTextBudget:
    """Characters of raw text one request may still return (kept on the request's context)."""

    def __init__(self, chars: int):
        self.left = chars
        self.total = chars

    def take(self, chars: int) -> None:
        if chars > self.left:
            raise ResponseTooLarge(
                f"this request already returns the most raw text one request may "
                f"({self.total} characters); page with rawText(offset, limit) over several "
                "requests"
            )
        self.left -= chars


def check_slice(offset: int, limit: int | None) -> tuple[int, int]:
    """``rawText``'s arguments: a non-negative offset and a limit within the per-field cap."""
    cap = get_settings().graphql_raw_text_max_chars
    if limit is None:
        limit = cap
    if offset < 0:
        raise ValidationFailed("offset must be 0 or more", field="offset")
    if limit < 1 or limit > cap:
        raise ValidationFailed(f"limit must be between 1 and {cap}", field="limit")
    return offset, limit
