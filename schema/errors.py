"""Expected failures as typed union members (``UserError``); domain errors map onto them.

The mapping is declared once, as ``strawberry.ExceptionHandler``s registered on the schema
(``HANDLERS``): a resolver raises the domain error (``NotFound``, ``InvalidState``, …) and
Strawberry returns the matching member when the field's result union has it. Where it does not
(a query, or a union without that member), the error stays a GraphQL error with its ``code``
(``schema.extensions``).
"""

from __future__ import annotations

from typing import Any

import strawberry

from api.errors import (
    DuplicateSuspected,
    InvalidState,
    NotFound,
    PaperlaneError,
    ValidationFailed,
    VersionConflict,
)


@strawberry.interface(description="An expected failure the client can act on.")
class UserError:
    code: str = strawberry.field(
        description='Stable SCREAMING_SNAKE reason, e.g. "NOT_FOUND", "DOCUMENT_FINALIZED".'
    )
    message: str = strawberry.field(description="Human-readable explanation.")
    field: str | None = strawberry.field(description="The input field at fault, if one is.")


@strawberry.type(description="The object does not exist (or its id is malformed).")
class NotFoundError(UserError):
    pass


@strawberry.type(description="The object exists but its state does not allow the operation.")
class InvalidStateError(UserError):
    pass


@strawberry.type(description="Someone saved since the version you edited; reload and re-apply.")
class VersionConflictError(UserError):
    current_version: int = strawberry.field(description="The version now stored.")


@strawberry.type(
    description="The document looks like another one (same invoice number, total and vendor "
    "or VAT id): finalize again with confirmDuplicate: true to finalize it anyway."
)
class DuplicateSuspectedError(UserError):
    duplicate_ids: list[strawberry.ID] = strawberry.field(
        description="The lookalike documents (see Document.possibleDuplicates)."
    )


@strawberry.type(description="The input is invalid; `field` names the offending field.")
class ValidationError(UserError):
    pass


def _fields(error: PaperlaneError) -> dict[str, Any]:
    return {"code": error.code, "message": error.message, "field": error.field}


class NotFoundHandler(strawberry.ExceptionHandler[NotFound, NotFoundError]):
    def handle(self, exception: NotFound, **_: Any) -> NotFoundError:
        return NotFoundError(**_fields(exception))


class InvalidStateHandler(strawberry.ExceptionHandler[InvalidState, InvalidStateError]):
    def handle(self, exception: InvalidState, **_: Any) -> InvalidStateError:
        return InvalidStateError(**_fields(exception))


class VersionConflictHandler(strawberry.ExceptionHandler[VersionConflict, VersionConflictError]):
    def handle(self, exception: VersionConflict, **_: Any) -> VersionConflictError:
        return VersionConflictError(**_fields(exception), current_version=exception.current_version)


class DuplicateSuspectedHandler(
    strawberry.ExceptionHandler[DuplicateSuspected, DuplicateSuspectedError]
):
    def handle(self, exception: DuplicateSuspected, **_: Any) -> DuplicateSuspectedError:
        return DuplicateSuspectedError(
            **_fields(exception),
            duplicate_ids=[strawberry.ID(i) for i in exception.duplicate_ids],
        )


class ValidationHandler(strawberry.ExceptionHandler[ValidationFailed, ValidationError]):
    def handle(self, exception: ValidationFailed, **_: Any) -> ValidationError:
        return ValidationError(**_fields(exception))


# First match wins: the subclass (DuplicateSuspected) before InvalidState.
HANDLERS = (
    NotFoundHandler(),
    DuplicateSuspectedHandler(),
    InvalidStateHandler(),
    VersionConflictHandler(),
    ValidationHandler(),
)
