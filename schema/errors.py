"""Expected failures as typed union members (``UserError``); domain errors map onto them."""

from __future__ import annotations

import strawberry

from api.errors import InvalidState, NotFound, PaperlaneError, ValidationFailed, VersionConflict


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


@strawberry.type(description="The input is invalid; `field` names the offending field.")
class ValidationError(UserError):
    pass


def user_error(error: PaperlaneError) -> UserError:
    """The union member for a domain error (anything else is unexpected and re-raised)."""
    if isinstance(error, NotFound):
        return NotFoundError(code=error.code, message=error.message, field=error.field)
    if isinstance(error, VersionConflict):
        return VersionConflictError(
            code=error.code,
            message=error.message,
            field=error.field,
            current_version=error.current_version,
        )
    if isinstance(error, InvalidState):
        return InvalidStateError(code=error.code, message=error.message, field=error.field)
    if isinstance(error, ValidationFailed):
        return ValidationError(code=error.code, message=error.message, field=error.field)
    raise error
