"""Upload: a 100 MB PDF streamed through ``POST /api/documents/upload``: MB/s and how much the
API's peak resident memory (VmHWM) grows. The body is "%PDF-1.7" + random bytes, like
tests/api/routes/test_uploads_memory.py; no worker runs, only the upload path is measured."""

from __future__ import annotations

import time

import httpx

from tests.api.routes.test_uploads_memory import BOUNDARY, multipart_body, peak_rss
from tests.auth import ADMIN_HEADERS
from tests.bench.common import MB, Result, Stack, log


def run(stack: Stack, quick: bool) -> list[Result]:
    size = 100 * MB
    api = stack.api(PAPERLANE_MAX_UPLOAD_BYTES=str(200 * MB))
    try:
        assert api.proc is not None
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        with httpx.Client(base_url=api.url, timeout=300, headers=ADMIN_HEADERS) as http:
            warm = http.post("/api/documents/upload", content=multipart_body(MB), headers=headers)
            if warm.status_code != 201:
                raise RuntimeError(f"warm-up upload: {warm.status_code} {warm.text[:300]}")
            baseline = peak_rss(api.proc.pid)
            started = time.perf_counter()
            response = http.post(
                "/api/documents/upload", content=multipart_body(size), headers=headers
            )
            elapsed = time.perf_counter() - started
        if response.status_code != 201:
            raise RuntimeError(f"100 MB upload: {response.status_code} {response.text[:300]}")
        stored = response.json()["documents"][0]["fileSize"]
        growth = (peak_rss(api.proc.pid) - baseline) / MB
    finally:
        stack.stop_process(api)
    log(f"upload: 100 MB in {elapsed:.2f} s, peak RSS +{growth:.1f} MB")
    return [
        Result(
            "upload",
            "100 MB upload rate",
            size / MB / elapsed,
            "MB/s",
            note=f"stored {stored / MB:.0f} MB in {elapsed:.2f} s",
        ),
        Result("upload", "API peak RSS growth", growth, "MB", "≤ 32 MB", growth <= 32),
    ]
