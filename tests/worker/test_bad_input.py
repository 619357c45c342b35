"""Hostile and broken uploads: a clear error each, nothing half-stored, the worker unharmed."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from api.context import AppContext
from api.services.uploads import clean_filename
from db.models import Document
from tests.jobs import upload, wait_for
from tests.pdfs import PNG_BYTES, encrypted_pdf, invoice_pdf, truncated_pdf, zero_page_pdf
from tests.services import WorkerProcess


def stored_files(ctx: AppContext) -> list[Path]:
    root = ctx.settings.files_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def document_count(ctx: AppContext) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Document)) or 0)


async def test_rejected_uploads_leave_nothing_behind(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    before = set(stored_files(ctx))
    limit = ctx.settings.max_upload_bytes
    over_limit = b"%PDF-1.7\n" + b"0" * (limit + 1 - 9)
    response = await client.post(
        "/api/documents/upload",
        files=[
            ("files", ("empty.pdf", b"", "application/pdf")),
            ("files", ("big.pdf", over_limit, "application/pdf")),
            ("files", ("image.pdf", PNG_BYTES, "application/pdf")),
            ("files", ("notes.txt", b"just some text\n", "text/plain")),
            ("files", ("good.pdf", invoice_pdf(), "application/pdf")),
        ],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    codes = {r["filename"]: r["code"] for r in body["rejected"]}
    assert codes == {
        "empty.pdf": "EMPTY_FILE",
        "big.pdf": "FILE_TOO_LARGE",
        "image.pdf": "UNSUPPORTED_TYPE",
        "notes.txt": "UNSUPPORTED_TYPE",
    }
    assert all(r["message"] for r in body["rejected"])
    assert [d["originalFilename"] for d in body["documents"]] == ["good.pdf"]
    assert await document_count(ctx) == 1
    assert len(set(stored_files(ctx)) - before) == 1
    assert not [p for p in stored_files(ctx) if p.name.endswith(".part")]


async def test_exactly_the_limit_is_accepted(client: httpx.AsyncClient, ctx: AppContext) -> None:
    limit = ctx.settings.max_upload_bytes
    exact = b"%PDF-1.7\n" + b"0" * (limit - 9)
    body = await upload(client, ("exact.pdf", exact))
    assert body["rejected"] == [] and body["documents"][0]["fileSize"] == limit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/abs/path/inv.pdf", "inv.pdf"),
        ("..", "unnamed.pdf"),
        ("", "unnamed.pdf"),
        (None, "unnamed.pdf"),
        ("fa\u0301cture\u0000\u202e.pdf", "fácture.pdf"),
    ],
)
def test_clean_filename(raw: str | None, expected: str) -> None:
    assert clean_filename(raw) == expected


def test_long_unicode_filename_is_bounded_and_keeps_extension() -> None:
    name = clean_filename("Rechnung-ÄÖÜ-日本語-" * 40 + ".pdf")
    assert len(name) <= 255 and name.endswith(".pdf") and name.startswith("Rechnung-ÄÖÜ-日本語")


async def test_hostile_filenames_are_metadata_only(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    long_name = "発票-" * 200 + ".pdf"
    body = await upload(client, ("../../etc/passwd", invoice_pdf()), (long_name, invoice_pdf()))
    names = [d["originalFilename"] for d in body["documents"]]
    assert names[0] == "passwd"
    assert len(names[1]) <= 255 and names[1].endswith(".pdf")
    root = ctx.settings.files_dir.resolve()
    for path in stored_files(ctx):
        assert path.resolve().is_relative_to(root)
        assert "passwd" not in path.name and "発票" not in path.name


@pytest.mark.worker
async def test_broken_pdfs_fail_with_their_reason_and_the_worker_carries_on(
    client: httpx.AsyncClient, ctx: AppContext, worker: WorkerProcess
) -> None:
    body = await upload(
        client,
        ("locked.pdf", encrypted_pdf()),
        ("truncated.pdf", truncated_pdf()),
        ("nopages.pdf", zero_page_pdf()),
        ("fine.pdf", invoice_pdf()),
    )
    ids = {d["originalFilename"]: d["id"] for d in body["documents"]}
    jobs = await wait_for(ctx, ids.values())
    by_document = {str(j.document_id): j for j in jobs}
    outcome = {name: (by_document[i].status, by_document[i].error_code) for name, i in ids.items()}
    assert outcome == {
        "locked.pdf": ("FAILED", "PDF_ENCRYPTED"),
        "truncated.pdf": ("FAILED", "PDF_CORRUPT"),
        "nopages.pdf": ("FAILED", "PDF_CORRUPT"),
        "fine.pdf": ("COMPLETED", None),
    }
    for name in ("locked.pdf", "truncated.pdf", "nopages.pdf"):
        assert by_document[ids[name]].error_message
    # The worker is unharmed: the next document goes through.
    after = await upload(client, ("after.pdf", invoice_pdf()))
    (job,) = await wait_for(ctx, [after["documents"][0]["id"]])
    assert job.status == "COMPLETED"
