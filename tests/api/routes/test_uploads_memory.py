"""A 100 MB upload streams through the API: its peak memory grows by at most 32 MB."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.auth import ADMIN_HEADERS
from tests.services import ApiProcess

MB = 1024 * 1024
SIZE = 100 * MB
BOUNDARY = "paperlane-test-boundary"


def peak_rss(pid: int) -> int:
    """VmHWM: the process's peak resident set size, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def multipart_body(size: int) -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    yield b"%PDF-1.7\n"
    chunk = os.urandom(MB)
    sent = 9
    while sent < size:
        piece = chunk[: min(MB, size - sent)]
        sent += len(piece)
        yield piece
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def test_100mb_upload_memory(settings_env: dict[str, str], clean: None, data_dir: Path) -> None:
    env = {**os.environ, **settings_env, "PAPERLANE_MAX_UPLOAD_BYTES": str(200 * MB)}
    api = ApiProcess(env, log_path=data_dir / "api-memory.log").start()
    try:
        assert api.proc is not None
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        with httpx.Client(base_url=api.url, timeout=120, headers=ADMIN_HEADERS) as http:
            warm = http.post("/api/documents/upload", content=multipart_body(MB), headers=headers)
            assert warm.status_code == 201, warm.text
            baseline = peak_rss(api.proc.pid)
            response = http.post(
                "/api/documents/upload", content=multipart_body(SIZE), headers=headers
            )
        assert response.status_code == 201, response.text
        assert response.json()["documents"][0]["fileSize"] == SIZE
        growth = peak_rss(api.proc.pid) - baseline
        assert growth <= 32 * MB, f"peak RSS grew by {growth / MB:.1f} MB"
    finally:
        api.stop()
