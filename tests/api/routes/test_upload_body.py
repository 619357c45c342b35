"""The REST upload reads its body only for a caller who may upload and is within the rate limit
(a ``File`` parameter would make FastAPI read and spool every byte first, for anyone), and a
broken or oversized multipart body gets a clear code."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.context import AppContext
from db.models import Role
from tests.api.helpers import MINI_PDF
from tests.auth import make_identity

BOUNDARY = "paperlane-test"
CHUNKS = 40


class CountingBody:
    """A multipart body of one 2.5 MB file, counting the chunks the server pulled."""

    def __init__(self) -> None:
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
            'filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode() + MINI_PDF
        for _ in range(CHUNKS):
            self.pulled += 1
            yield b" " * 65536
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def send(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[int, str, int]:
    body = CountingBody()
    response = await client.post(
        "/api/documents/upload",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **headers},
    )
    return response.status_code, response.json()["error"]["code"], body.pulled


@pytest.mark.parametrize("role", [None, Role.VIEWER])
async def test_a_caller_who_may_not_upload_is_refused_unread(
    app: Any, ctx: AppContext, anonymous: httpx.AsyncClient, role: Role | None
) -> None:
    headers = (await make_identity(ctx, role)).headers if role else {}
    status, code, pulled = await send(anonymous, headers)
    assert (status, code) == ((401, "UNAUTHENTICATED") if role is None else (403, "FORBIDDEN"))
    assert pulled == 0


async def test_a_rate_limited_caller_is_refused_unread(
    app: Any, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.ctx.settings, "upload_rate_limit_per_actor", 1)
    ok = await client.post(
        "/api/documents/upload", files={"files": ("a.pdf", MINI_PDF, "application/pdf")}
    )
    assert ok.status_code == 201
    status, code, pulled = await send(client, {})
    assert (status, code, pulled) == (429, "RATE_LIMITED", 0)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"--nope\r\nnot a part at all", 400, "INVALID_MULTIPART"),
        (f"--{BOUNDARY}--\r\n".encode(), 422, "VALIDATION_ERROR"),  # no files at all
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n'
            f"--{BOUNDARY}--\r\n".encode(),
            422,
            "VALIDATION_ERROR",
        ),
    ],
)
async def test_broken_multipart_bodies(
    app: Any, client: httpx.AsyncClient, body: bytes, status: int, code: str
) -> None:
    response = await client.post(
        "/api/documents/upload",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


async def test_more_files_than_allowed_are_refused(
    app: Any, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    most = 3
    monkeypatch.setattr(app.state.ctx.settings, "max_files_per_upload", most)
    files = [("files", (f"{i}.pdf", MINI_PDF, "application/pdf")) for i in range(most + 1)]
    response = await client.post("/api/documents/upload", files=files)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "TOO_MANY_FILES")
    assert (await client.get("/api/documents")).json()["totalCount"] == 0  # nothing kept
