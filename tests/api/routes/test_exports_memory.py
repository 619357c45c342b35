"""Bulk export of 10,000 finalized records streams in keyset batches: constant memory."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import httpx
from sqlalchemy import text

from api.context import AppContext
from tests.api.routes.test_uploads_memory import peak_rss
from tests.auth import ADMIN_HEADERS
from tests.services import ApiProcess

RECORDS = 10_000
MB = 1024 * 1024

FIELDS = {
    "vendorName": "Acme Supplies GmbH",
    "invoiceNumber": "INV-0001",
    "invoiceDate": "2024-03-15",
    "dueDate": "2024-04-14",
    "totalAmount": "1234.50",
    "taxAmount": "197.10",
    "currency": "EUR",
    "status": "PAID",
}


async def insert_finalized(ctx: AppContext, count: int) -> None:
    output = json.dumps({"fields": FIELDS, "evidence": []})
    async with ctx.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO documents (id, original_filename, stored_file_path, mime_type, "
                "file_size, sha256, current_status, uploaded_at, vendor_name, currency) "
                "SELECT gen_random_uuid(), 'invoice-' || g || '.pdf', 'x', 'application/pdf', "
                "1000, md5(g::text) || md5(g::text), 'FINALIZED', "
                "now() - make_interval(secs => g), 'Acme Supplies GmbH', 'EUR' "
                "FROM generate_series(1, :n) g"
            ),
            {"n": count},
        )
        await conn.execute(
            text(
                "INSERT INTO processing_jobs (id, document_id, status, progress_percentage, "
                "retry_count, attempt, cancel_requested) "
                "SELECT gen_random_uuid(), id, 'COMPLETED', 100, 0, 1, false FROM documents"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO extracted_results (id, document_id, job_id, raw_text, "
                "structured_output_json, is_finalized, finalized_at, version) "
                "SELECT gen_random_uuid(), document_id, id, 'text', CAST(:out AS jsonb), true, "
                "now(), 1 FROM processing_jobs"
            ),
            {"out": output},
        )


async def test_bulk_export_of_10000_records_in_constant_memory(
    ctx: AppContext, settings_env: dict[str, str], data_dir: Path
) -> None:
    await insert_finalized(ctx, RECORDS)
    api = ApiProcess({**os.environ, **settings_env}, log_path=data_dir / "api-export.log")
    api.start()
    try:
        assert api.proc is not None
        async with httpx.AsyncClient(base_url=api.url, timeout=120, headers=ADMIN_HEADERS) as http:
            warm = await http.get("/api/exports/documents.csv", params={"search": "invoice-1"})
            assert warm.status_code == 200
            baseline = peak_rss(api.proc.pid)
            async with http.stream("GET", "/api/exports/documents.csv") as response:
                assert response.status_code == 200
                buffer = io.StringIO()
                async for chunk in response.aiter_text():
                    buffer.write(chunk)
            growth = peak_rss(api.proc.pid) - baseline
        table = list(csv.DictReader(io.StringIO(buffer.getvalue())))
        assert len(table) == RECORDS
        assert {r["total_amount"] for r in table} == {"1234.50"}
        assert len({r["document_id"] for r in table}) == RECORDS
        # 10,000 records of ~200 bytes are ~2 MB of CSV; a non-streaming export would hold the
        # rows, the ORM objects and the text at once (tens of MB).
        assert growth <= 16 * MB, f"peak RSS grew by {growth / MB:.1f} MB"
    finally:
        api.stop()
