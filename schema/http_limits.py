"""The GraphQL HTTP transport's answers to malformed or oversized traffic (mixed into the router).

- A body that is not UTF-8 JSON (invalid bytes, nested 100,000 levels deep, cut off) is 400
  ``INVALID_JSON``; valid JSON that is not an object (a number, a list: batching is off) is 400
  ``INVALID_REQUEST``. Strawberry would answer a plain-text 400 for some of these and a 500 with
  a traceback for the others (``RecursionError``, ``AttributeError`` on a non-object).
- Strawberry's other transport refusals (wrong method, unsupported content type, missing files)
  keep their status and get the usual error body ``{"error": {"code", "message", "field"}}``.
- A response body above ``graphql_max_response_bytes`` is replaced by a GraphQL error
  ``RESPONSE_TOO_LARGE`` (the last line of defence; ``schema.cost`` keeps results small first).

The byte limit on the request body is checked before any of this, by ``api.limits``.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from fastapi.responses import JSONResponse
from strawberry import UNSET

from api.routes.errors import error_body
from api.settings import get_settings

_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 415: "UNSUPPORTED_MEDIA_TYPE"}


class InvalidBody(HTTPException):
    def __init__(self, code: str, reason: str):
        super().__init__(400, reason)
        self.code = code


class HttpHardening:
    def parse_json(self, data: str | bytes) -> Any:
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            value = json.loads(text)
        except RecursionError as error:
            raise InvalidBody("INVALID_JSON", "the request body is nested too deeply") from error
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
            raise InvalidBody(
                "INVALID_JSON", "the request body is not valid JSON in UTF-8"
            ) from error
        if not isinstance(value, dict):
            raise InvalidBody(
                "INVALID_REQUEST",
                'a GraphQL request is a JSON object: {"query": …, "variables": {…}}',
            )
        return value

    def encode_json(self, data: object) -> str | bytes:
        text: str | bytes = super().encode_json(data)  # type: ignore[misc]
        limit = get_settings().graphql_max_response_bytes
        if len(text) > limit:
            return json.dumps(
                {
                    "data": None,
                    "errors": [
                        {
                            "message": f"the response would be {len(text)} bytes, more than the "
                            f"limit of {limit}; ask for fewer documents or less text at once",
                            "extensions": {"code": "RESPONSE_TOO_LARGE"},
                        }
                    ],
                }
            )
        return text

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)  # type: ignore[misc]
        except HTTPException as error:
            if getattr(request, "scope", {}).get("type") == "websocket":
                raise
            code = getattr(error, "code", None) or _CODES.get(error.status_code, "INVALID_REQUEST")
            return JSONResponse(error_body(code, error.reason), status_code=error.status_code)
