"""Adapting framework upload objects (Starlette's UploadFile) to the upload service's streams."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

CHUNK = 1 << 16


class AsyncReadable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


async def chunks_of(upload: AsyncReadable, chunk_size: int = CHUNK) -> AsyncIterator[bytes]:
    while chunk := await upload.read(chunk_size):
        yield chunk
