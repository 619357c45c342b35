from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path


class LocalStorage:
    """Files under one root folder; keys are relative paths made by Paperlane.

    Writes go to a temporary name in the same folder and are renamed into place, so a reader
    never sees half a file and a failed upload leaves nothing behind. Chunks are written with
    plain blocking calls: they are small (64 KiB) and local, which costs less than a thread hop.
    """

    def __init__(self, root: Path):
        self.root = root.resolve()

    def path(self, key: str) -> Path:
        """The file of ``key``, which must name a place under the root. Checked on the key's
        text, not by resolving it: ``Path.resolve`` stats every folder on the way, ~30 µs a
        call, and a worker asked twice per job (issue 16). A link inside the root is the root's
        owner's to make."""
        normal = os.path.normpath(key)
        outside = os.path.isabs(normal) or normal in (".", "..") or normal.startswith("../")
        if outside or "\0" in key:
            raise ValueError(f"storage key escapes the storage root: {key!r}")
        return self.root / normal

    async def put(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
        written = 0
        try:
            with open(tmp, "wb") as out:  # noqa: ASYNC230 (see the class docstring)
                async for chunk in chunks:
                    out.write(chunk)
                    written += len(chunk)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return written

    async def open(
        self, key: str, chunk_size: int = 1 << 16, *, offset: int = 0, length: int | None = None
    ) -> AsyncIterator[bytes]:
        with open(self.path(key), "rb") as src:  # noqa: ASYNC230
            src.seek(offset)
            left = length
            while left is None or left > 0:
                chunk = src.read(chunk_size if left is None else min(chunk_size, left))
                if not chunk:
                    break
                if left is not None:
                    left -= len(chunk)
                yield chunk

    async def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def local_path(self, key: str) -> Path:
        return self.path(key)

    async def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None
