"""Schema hardening: query cost limits and masking of unexpected errors.

Expected errors (``PaperlaneError``: bad cursor, page size, ids, slow subscriber) and GraphQL's
own validation errors reach the client with an ``extensions.code``. Anything else is logged
with a reference id and replaced by a generic message; a database or Redis outage says so
(``SERVICE_UNAVAILABLE``) without internals.
"""

from __future__ import annotations

import logging
import uuid

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext

from api.errors import PaperlaneError
from api.unavailable import describe, is_data_error, is_dependency_error

log = logging.getLogger("paperlane.graphql")


def _expected(error: GraphQLError) -> PaperlaneError | None:
    original = error.original_error
    return original if isinstance(original, PaperlaneError) else None


MAX_MESSAGE_CHARS = 300


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """At most ``limit`` characters of a message that may echo client input (a 20 MB id)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PaperlaneMaskErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=self._should_mask)

    def _process_result(self, result: object) -> None:
        # Strawberry checks a runtime Protocol here (``isinstance``), which costs ~25 µs per
        # streamed result: per event per subscriber on the dashboard feed. Same test, cheaper.
        errors = getattr(result, "errors", None)
        if errors:
            for error in errors:
                error.message = shorten(error.message)
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    @classmethod
    def is_expected(cls, error: GraphQLError) -> bool:
        """A client's mistake or an expected failure (shown as is, logged without traceback)."""
        return not cls._should_mask(error)

    @staticmethod
    def _should_mask(error: GraphQLError) -> bool:
        expected = _expected(error)
        if expected is not None:
            extensions = dict(error.extensions or {})
            extensions.setdefault("code", expected.code)
            if expected.field:
                extensions.setdefault("field", expected.field)
            error.extensions = extensions
            return False
        original = error.original_error
        # No original error: a syntax/validation error made by graphql-core, safe to show.
        if original is None or isinstance(original, GraphQLError):
            return False
        # A scalar's parse error while coercing a literal or variable (no path: not executing):
        # our scalars' messages, written for clients.
        return not (error.path is None and isinstance(original, (ValueError, TypeError)))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        reference = uuid.uuid4().hex[:16]
        original = error.original_error
        if original is not None and is_dependency_error(original):
            log.warning("dependency unavailable (reference %s): %s", reference, describe(original))
            message, code = "a backing service is unavailable; retry shortly", "SERVICE_UNAVAILABLE"
        elif original is not None and is_data_error(original):
            log.info(
                "value refused by the database (reference %s): %s", reference, describe(original)
            )
            message = (
                "a value in the request cannot be stored or compared (out of range or "
                "invalid characters)"
            )
            code = "VALIDATION_ERROR"
        else:
            log.error("unexpected GraphQL error (reference %s)", reference, exc_info=original)
            message, code = f"unexpected error; reference {reference}", "INTERNAL_ERROR"
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": code, "reference": reference},
        )


class PaperlaneSchema(strawberry.Schema):
    """Strawberry logs every error at ERROR with a traceback, a client's typo included. Here a
    client's mistake (validation, a bad argument, an expected domain error) is logged at INFO,
    shortened, without a traceback; unexpected errors are logged once, with their traceback and
    reference, when they are masked (``PaperlaneMaskErrors.anonymise_error``)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if PaperlaneMaskErrors.is_expected(error):
                code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
                log.info("GraphQL request refused (%s): %s", code, shorten(error.message))
