"""Domain errors. Each carries a stable SCREAMING_SNAKE ``code`` that clients may rely on.

REST maps them to status codes (``api.routes.errors``), GraphQL to typed union members
(``schema.errors``). Unexpected exceptions are never one of these: they are masked and logged.
"""

from __future__ import annotations


class PaperlaneError(Exception):
    """An expected failure a client can act on."""

    code = "ERROR"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class NotFound(PaperlaneError):
    code = "NOT_FOUND"


class InvalidState(PaperlaneError):
    """The object exists but is not in a state that allows the operation (HTTP 409)."""

    code = "INVALID_STATE"


class VersionConflict(PaperlaneError):
    code = "VERSION_CONFLICT"

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


class ValidationFailed(PaperlaneError):
    code = "VALIDATION_ERROR"


class RejectedUpload(PaperlaneError):
    """One uploaded file refused: UNSUPPORTED_TYPE, EMPTY_FILE, FILE_TOO_LARGE, …"""


class ProcessingError(PaperlaneError):
    """A document the pipeline cannot process: PDF_ENCRYPTED, PDF_CORRUPT, NO_TEXT_LAYER, …

    Raised by the worker's steps; the job fails with this code and message and is not retried
    automatically (bad data does not heal).
    """


class Unauthenticated(PaperlaneError):
    """No valid credentials (HTTP 401): no token or session, or an expired/revoked one."""

    code = "UNAUTHENTICATED"


class Forbidden(PaperlaneError):
    """Signed in, but the role does not allow the operation (HTTP 403)."""

    code = "FORBIDDEN"


class DuplicateSuspected(InvalidState):
    """Finalizing a document that looks like one already there (same invoice number and total,
    same vendor or seller VAT id) needs an explicit confirmation (HTTP 409)."""

    code = "DUPLICATE_SUSPECTED"

    def __init__(self, message: str, *, duplicate_ids: list[str]):
        super().__init__(message)
        self.duplicate_ids = duplicate_ids
