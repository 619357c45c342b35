"""Produce ``samples/exports/`` by running Paperlane on the sample invoices.

    python samples/make_exports.py

Starts a private stack (embedded PostgreSQL + Redis under a temporary folder, the API under
uvicorn, a worker, the sweeper), uploads every PDF of ``samples/invoices/`` through
``POST /api/documents/upload``, waits for the jobs, then plays the reviewer: wherever the machine
output differs from ``samples/invoices/expected.json`` it saves the expected values with
``PUT /api/documents/{id}/review`` (with the extraction's version), finalizes each completed
document (``POST /api/documents/{id}/finalize``) and downloads the bulk exports
``/api/exports/documents.json`` and ``.csv``. The broken sample fails (PDF_CORRUPT) and is not
exported.

Writes ``samples/exports/documents.json``, ``documents.csv`` and ``review-log.json`` (per file:
job status, which fields the reviewer corrected, from what to what).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from api.services.fields import AMOUNT_FIELDS, FIELD_NAMES
from tests.auth import ADMIN_HEADERS
from tests.bench.common import Stack, log

HERE = Path(__file__).resolve().parent
INVOICES = HERE / "invoices"
EXPORTS = HERE / "exports"


def _same(field: str, got: Any, want: Any) -> bool:
    if field in AMOUNT_FIELDS and got is not None and want is not None:
        return float(got) == float(want)
    return bool(got == want)


def wait_terminal(client: httpx.Client, ids: list[str], timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    details: dict[str, Any] = {}
    while time.monotonic() < deadline:
        details = {i: client.get(f"/api/documents/{i}").json() for i in ids}
        statuses = [(d.get("latestJob") or {}).get("status") for d in details.values()]
        if all(s in ("COMPLETED", "FAILED", "CANCELLED") for s in statuses):
            return details
        time.sleep(0.5)
    raise RuntimeError(f"jobs did not finish: {[(i, d.get('status')) for i, d in details.items()]}")


def main() -> int:
    expected = json.loads((INVOICES / "expected.json").read_text(encoding="utf-8"))
    pdfs = sorted(INVOICES.glob("*.pdf"))
    stack = Stack.start(embedded_only=True)
    review_log: dict[str, Any] = {}
    try:
        api = stack.api()
        stack.worker(2)
        stack.sweeper()
        with httpx.Client(base_url=api.url, timeout=60, headers=ADMIN_HEADERS) as client:
            response = client.post(
                "/api/documents/upload",
                files=[("files", (p.name, p.read_bytes(), "application/pdf")) for p in pdfs],
            )
            response.raise_for_status()
            body = response.json()
            for rejected in body["rejected"]:
                review_log[rejected["filename"]] = {"rejected": rejected["code"]}
            ids = {d["id"]: d["originalFilename"] for d in body["documents"]}
            log(f"uploaded {len(ids)} documents, {len(body['rejected'])} rejected")
            details = wait_terminal(client, list(ids))
            for document_id, detail in details.items():
                name = ids[document_id]
                job = detail["latestJob"]
                entry: dict[str, Any] = {"job": job["status"], "errorCode": job["errorCode"]}
                review_log[name] = entry
                if job["status"] != "COMPLETED":
                    continue
                want = expected.get(name, {})
                extraction = detail["extraction"]
                got = extraction["fields"]
                changes = {
                    f: want.get(f)
                    for f in FIELD_NAMES
                    if f in want and not _same(f, got.get(f), want.get(f))
                }
                entry["corrected"] = {
                    f: {"extracted": got.get(f), "reviewed": v} for f, v in changes.items()
                }
                if changes:
                    saved = client.put(
                        f"/api/documents/{document_id}/review",
                        json={"fields": changes, "expectedVersion": extraction["version"]},
                    )
                    if saved.status_code != 200:
                        raise RuntimeError(f"review of {name}: {saved.status_code} {saved.text}")
                done = client.post(f"/api/documents/{document_id}/finalize")
                if done.status_code != 200:
                    raise RuntimeError(f"finalize {name}: {done.status_code} {done.text}")
            EXPORTS.mkdir(exist_ok=True)
            for fmt in ("json", "csv"):
                export = client.get(f"/api/exports/documents.{fmt}")
                export.raise_for_status()
                (EXPORTS / f"documents.{fmt}").write_bytes(export.content)
                log(f"wrote samples/exports/documents.{fmt} ({len(export.content)} bytes)")
        (EXPORTS / "review-log.json").write_text(
            json.dumps(dict(sorted(review_log.items())), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
