"""Throughput: N one-page invoices through REST upload → queue → worker(s) → COMPLETED, against
the raw rate of the same pipeline called in-process (parse_pdf + extract_fields, no queue, no DB).

The system figure is wall time from the first upload request to the moment the last job is
COMPLETED (uploads overlap processing, as they would in real use). The raw figure runs in this
process, on one core, over the same files.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

import httpx

from tests.bench.common import Result, Stack, log, scalar
from tests.pdfs import invoice_pdf

VENDORS = [
    "Acme Supplies GmbH", "Nordwind Logistik AG", "Blue Harbor Trading Ltd",
    "Société Générale des Fournitures", "Van der Berg Kantoor BV", "Iberia Papel S.L.",
    "Fratelli Rossi S.p.A.", "Kowalski i Syn Sp. z o.o.", "Helvetia Druck AG", "Pine & Co LLC",
]
BATCH = 50


def make_invoices(n: int, seed: int = 7) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    files = []
    for i in range(n):
        total = f"{rng.randint(10, 99_999):,}.{rng.randint(0, 99):02d}"
        number = f"INV-{2024_00000 + i}"
        files.append((f"bench-{i:05d}.pdf", invoice_pdf(rng.choice(VENDORS), number, total)))
    return files


def raw_rate(files: list[tuple[str, bytes]]) -> float:
    """Documents per second of parse_pdf + extract_fields in this process (one core)."""
    from worker.extraction import extract_fields, parse_pdf

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in files:
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(path)
        extract_fields(parse_pdf(paths[0]))  # warm-up: imports, font caches
        started = time.perf_counter()
        for path in paths:
            extract_fields(parse_pdf(path))
        return len(paths) / (time.perf_counter() - started)


async def _upload_all(base_url: str, files: list[tuple[str, bytes]]) -> float:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        started = time.perf_counter()
        for i in range(0, len(files), BATCH):
            batch = files[i : i + BATCH]
            response = await client.post(
                "/api/documents/upload",
                files=[("files", (name, data, "application/pdf")) for name, data in batch],
            )
            if response.status_code != 201 or response.json().get("rejected"):
                raise RuntimeError(f"upload failed: {response.status_code} {response.text[:300]}")
        return time.perf_counter() - started


async def _system_run(stack: Stack, api_url: str, files: list[tuple[str, bytes]],
                      timeout: float) -> tuple[float, float, int]:
    """(seconds until all COMPLETED, seconds spent uploading, jobs not completed)."""
    engine = stack.engine()
    try:
        started = time.perf_counter()
        upload_seconds = await _upload_all(api_url, files)
        deadline = started + timeout
        while True:
            done = await scalar(engine, "SELECT count(*) FROM processing_jobs "
                                        "WHERE status IN ('COMPLETED','FAILED','CANCELLED')")
            if done >= len(files) or time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        completed = await scalar(
            engine, "SELECT count(*) FROM processing_jobs WHERE status = 'COMPLETED'"
        )
        return elapsed, upload_seconds, len(files) - int(completed)
    finally:
        await engine.dispose()


def run(stack: Stack, quick: bool) -> list[Result]:
    n = 100 if quick else 1000
    log(f"throughput: generating {n} invoices")
    files = make_invoices(n)
    results: list[Result] = []
    raw = raw_rate(files)
    log(f"throughput: raw pipeline {raw:.1f} docs/s")
    results.append(Result("throughput", "raw pipeline in-process (1 core)", raw, "docs/s",
                          note=f"{n} one-page invoices"))
    api = stack.api()
    try:
        for concurrency in (1, 2):
            asyncio.run(stack.truncate())
            worker = stack.worker(concurrency)
            try:
                elapsed, uploading, missing = asyncio.run(
                    _system_run(stack, api.url, files, timeout=60 + n)
                )
            finally:
                stack.stop_process(worker)
            rate = (n - missing) / elapsed
            log(f"throughput: {concurrency} worker process(es): {rate:.1f} docs/s "
                f"({elapsed:.1f} s, upload {uploading:.1f} s, {missing} not completed)")
            note = f"{n} docs in {elapsed:.1f} s (upload {uploading:.1f} s)"
            if missing:
                note += f"; {missing} NOT COMPLETED"
            results.append(Result("throughput", f"system, {concurrency} worker proc", rate,
                                  "docs/s", ok=False if missing else None, note=note))
            ratio = 100 * rate / raw
            if concurrency == 2:
                results.append(Result("throughput", "system/raw, 2 worker procs", ratio, "%",
                                      "≥ 50 %", ratio >= 50 and missing == 0))
            else:
                results.append(Result("throughput", "system/raw, 1 worker proc", ratio, "%"))
    finally:
        stack.stop_process(api)
    return results
