"""A 100 MB upload streams through the API: its peak memory grows by at most 32 MB."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.auth import ADMIN_HEADERS
from tests.services import ApiProcess, S3Server

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


def _upload_100mb(env: dict[str, str], log_path: Path) -> None:
    env = {**os.environ, **env, "PAPERLANE_MAX_UPLOAD_BYTES": str(200 * MB)}
    api = ApiProcess(env, log_path=log_path).start()
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


def test_100mb_upload_memory(settings_env: dict[str, str], clean: None, data_dir: Path) -> None:
    _upload_100mb(settings_env, data_dir / "api-memory.log")


def test_100mb_upload_memory_to_s3(
    settings_env: dict[str, str],
    s3_env: dict[str, str],
    s3_server: S3Server,
    clean: None,
    data_dir: Path,
) -> None:
    """The same upload into the object store: sent as a multipart upload, one part at a time."""
    _upload_100mb({**settings_env, **s3_env}, data_dir / "api-memory-s3.log")
    prefix = s3_env["PAPERLANE_STORAGE_URL"].removeprefix(f"s3://{s3_server.bucket}/")
    sizes = [
        s3_server.client().head_object(Bucket=s3_server.bucket, Key=key)["ContentLength"]  # type: ignore[attr-defined]
        for key in s3_server.keys(prefix)
    ]
    assert sorted(sizes) == [MB, SIZE]
