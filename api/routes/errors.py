"""REST error bodies: ``{"error": {"code", "message", "field"}}`` with a fitting status code."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.errors import (
    Forbidden,
    InvalidState,
    NotFound,
    PaperlaneError,
    RejectedUpload,
    Unauthenticated,
    ValidationFailed,
    VersionConflict,
)
from api.rate_limit import RateLimited
from api.unavailable import DEPENDENCY_ERRORS, describe, is_data_error, is_dependency_error

log = logging.getLogger(__name__)

STATUS: list[tuple[type[PaperlaneError], int]] = [
    (NotFound, 404),
    (VersionConflict, 409),
    (InvalidState, 409),
    (ValidationFailed, 422),
    (RejectedUpload, 400),
    (RateLimited, 429),
    (Unauthenticated, 401),
    (Forbidden, 403),
]
CLOSE_CONNECTION = {"REQUEST_TIMEOUT", "REQUEST_TOO_LARGE"}
UPLOAD_STATUS = {
    "FILE_TOO_LARGE": 413,
    "UNSUPPORTED_TYPE": 415,
    "REQUEST_TOO_LARGE": 413,
    "REQUEST_TIMEOUT": 408,
}


def error_body(code: str, message: str, field: str | None = None, **extra: object) -> dict:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def status_for(error: PaperlaneError) -> int:
    if error.code in UPLOAD_STATUS:
        return UPLOAD_STATUS[error.code]
    return next((status for kind, status in STATUS if isinstance(error, kind)), 400)


def install(app: FastAPI) -> None:
    @app.exception_handler(PaperlaneError)
    async def domain_error(_: Request, error: PaperlaneError) -> JSONResponse:
        extra = (
            {"currentVersion": error.current_version} if isinstance(error, VersionConflict) else {}
        )
        headers = (
            {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
        )
        if error.code in CLOSE_CONNECTION:
            # The rest of the body is never read: the connection cannot serve another request.
            headers = {"Connection": "close"}
        return JSONResponse(
            error_body(error.code, error.message, error.field, **extra),
            status_for(error),
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        field = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return JSONResponse(
            error_body("VALIDATION_ERROR", first.get("msg", "invalid request"), field), 422
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        if isinstance(error.__cause__, PaperlaneError):
            # FastAPI turns anything raised while it reads the body into "400 There was an error
            # parsing the body"; a body limit (api.limits) keeps its own code and status.
            return await domain_error(request, error.__cause__)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(error.status_code, "HTTP_ERROR")
        return JSONResponse(error_body(code, str(error.detail)), error.status_code)

    async def unavailable(request: Request, error: Exception) -> JSONResponse:
        """PostgreSQL or Redis is away: 503, so clients and load balancers retry. The same
        exception classes also carry bad data (a value PostgreSQL refuses): that is the
        client's 422, never an outage (``api.unavailable.is_dependency_error``)."""
        if is_dependency_error(error):
            log.warning("dependency unavailable: %s", describe(error))
            return JSONResponse(
                error_body(
                    "SERVICE_UNAVAILABLE", "a backing service is unavailable; retry shortly"
                ),
                503,
                headers={"Retry-After": "2"},
            )
        if is_data_error(error):
            log.info("value refused by the database: %s", describe(error))
            return JSONResponse(
                error_body(
                    "VALIDATION_ERROR",
                    "a value in the request cannot be stored or "
                    "compared (out of range or invalid characters)",
                ),
                422,
            )
        return await unexpected(request, error)

    for kind in DEPENDENCY_ERRORS:
        app.add_exception_handler(kind, unavailable)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        request_id = uuid.uuid4().hex
        log.exception("unexpected error (request %s)", request_id, exc_info=error)
        return JSONResponse(
            error_body("INTERNAL_ERROR", f"unexpected error; reference {request_id}"), 500
        )
