"""The API's error body sent straight from an ASGI middleware (the host guard, the body limits),
where no FastAPI handler runs: the same ``{"error": {code, message, field}}`` as every route."""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.types import Send


async def send_error(
    send: Send,
    status: int,
    code: str,
    message: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer with the error body; only before the app has started a response of its own."""
    body = json.dumps({"error": {"code": code, "message": message, "field": None}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
