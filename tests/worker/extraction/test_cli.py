"""``paperlane extract``'s function: one JSON line per file, errors inline, exit status 1."""

from __future__ import annotations

import json
import pathlib

import pytest

from tests.fixtures.invoices import InvoiceSpec, write_invoice
from worker.extraction.cli import run

SPEC = InvoiceSpec(
    vendor="Soylent Corp",
    vendor_address=("1 Green Way", "New York NY 10001"),
    buyer_label="Bill To:",
    buyer=("Tyrell Inc", "2 Spiral Ave", "Los Angeles"),
    number_label="Invoice Number:",
    number="SC-2022",
    date_label="Invoice Date:",
    date="2024-03-01",
    total_label="Total",
    total="$99.90",
)


def test_json_lines_with_an_error_object_for_the_broken_file(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_invoice(tmp_path / "good.pdf", SPEC)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"GIF89a not a pdf")
    assert run([broken, good], as_json=True) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    bad, ok = (json.loads(line) for line in lines)
    assert bad["file"] == str(broken) and bad["fields"] is None
    assert bad["error"]["code"] == "PDF_CORRUPT" and bad["error"]["message"]
    assert ok["file"] == str(good) and ok["error"] is None and ok["pages"] == 1
    assert ok["fields"]["totalAmount"] == "99.90"  # amounts as strings
    assert ok["fields"]["invoiceNumber"] == "SC-2022"
    assert {e["field"] for e in ok["evidence"]} >= {"totalAmount", "invoiceNumber"}


def test_all_good_files_exit_zero_and_print_a_table(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_invoice(tmp_path / "good.pdf", SPEC)
    assert run([good], as_json=False) == 0
    out = capsys.readouterr().out
    assert str(good) in out
    assert "totalAmount" in out and "99.90" in out and "SC-2022" in out
