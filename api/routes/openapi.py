"""The error answers every REST operation may give, written into the OpenAPI document.

Routes declare their success answer and the errors particular to them; the ones below come from
the layers around every route (authentication and the security guard, the body limits and read
timeout of ``api.limits``, validation, rate limits, a dependency outage), always with the same
body ``{"error": {"code", "message", "field"}}``. Declaring them once here keeps the document
true for integrators and for Schemathesis (``tests/api/test_openapi_fuzz.py``), which fails on
any status code a response has and the document does not.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

COMMON_ERRORS: dict[str, str] = {
    "400": "Malformed request (bad Host, JSON or content type).",
    "401": "No valid credentials (UNAUTHENTICATED).",
    "403": "The caller's role may not do this (FORBIDDEN), or a cross-site request.",
    "404": "Not found (also a malformed id).",
    "408": "The request body arrived too slowly (REQUEST_TIMEOUT).",
    "409": "The object is not in a state that allows this (a conflict).",
    "413": "The request body is too large (REQUEST_TOO_LARGE).",
    "415": "Unsupported content type.",
    "422": "Invalid input (VALIDATION_ERROR and others), naming the field.",
    "429": "Too many requests (RATE_LIMITED, TOO_MANY_ATTEMPTS); see Retry-After.",
    "503": "PostgreSQL or Redis is unavailable (SERVICE_UNAVAILABLE); see Retry-After.",
}

ERROR_SCHEMA: dict[str, Any] = {
    "title": "ErrorResponse",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
        }
    },
}


def install(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = original()
        document.setdefault("components", {}).setdefault("schemas", {})["ErrorResponse"] = (
            ERROR_SCHEMA
        )
        reference = {"$ref": "#/components/schemas/ErrorResponse"}
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in COMMON_ERRORS.items():
                    answer = responses.setdefault(status, {"description": description})
                    # FastAPI documents 422 with its own validation model; ours is the error body.
                    answer["content"] = {"application/json": {"schema": reference}}
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
