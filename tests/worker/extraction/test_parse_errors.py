"""Unreadable PDFs fail with a typed ProcessingError; scanned pages are OCR'd or refused."""

from __future__ import annotations

import pathlib
import shutil

import pymupdf
import pytest

from api.errors import ProcessingError
from tests.fixtures import FIXTURES
from tests.fixtures.invoices import InvoiceSpec, write_invoice, write_scan
from worker.extraction import ocr, parse_pdf
from worker.extraction.fields import extract_fields

SPEC = InvoiceSpec(
    vendor="Umbrella Corporation",
    vendor_address=("545 S Birdneck Rd", "Virginia Beach VA 23451"),
    buyer_label="Bill To:",
    buyer=("Raccoon City Hospital", "1 Main St", "Raccoon City"),
    number_label="Invoice Number:",
    number="UC-7781",
    date_label="Invoice Date:",
    date="2024-01-15",
    tax_label="Tax",
    tax="$40.00",
    total_label="Total Due",
    total="$440.00",
)


@pytest.fixture
def invoice(tmp_path: pathlib.Path) -> pathlib.Path:
    return write_invoice(tmp_path / "invoice.pdf", SPEC)


def test_text_pdf_parses_with_words_and_positions(invoice: pathlib.Path) -> None:
    doc = parse_pdf(invoice)
    assert doc.page_count == 1 and not doc.ocr_used
    page = doc.pages[0]
    assert page.number == 1 and page.source == "text"
    assert (round(page.width), round(page.height)) == (595, 842)
    word = next(w for w in page.words if w.text == "UC-7781")
    assert 0 < word.x0 < word.x1 < page.width and 0 < word.y0 < word.y1 < page.height
    assert "UC-7781" in doc.raw_text


def test_encrypted_pdf(invoice: pathlib.Path, tmp_path: pathlib.Path) -> None:
    locked = tmp_path / "locked.pdf"
    doc = pymupdf.open(invoice)
    aes_256 = pymupdf.PDF_ENCRYPT_AES_256  # type: ignore[attr-defined]  # missing from the stubs
    doc.save(locked, encryption=aes_256, user_pw="secret", owner_pw="owner")
    with pytest.raises(ProcessingError) as err:
        parse_pdf(locked)
    assert err.value.code == "PDF_ENCRYPTED"
    assert "password" in err.value.message


def test_truncated_pdf(invoice: pathlib.Path, tmp_path: pathlib.Path) -> None:
    data = invoice.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 3])
    with pytest.raises(ProcessingError) as err:
        parse_pdf(truncated)
    assert err.value.code == "PDF_CORRUPT"


@pytest.mark.parametrize("content", [b"PK\x03\x04 this is a zip", b"", b"%PD", b"Rechnung"])
def test_not_a_pdf(tmp_path: pathlib.Path, content: bytes) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(content)
    with pytest.raises(ProcessingError) as err:
        parse_pdf(path)
    assert err.value.code == "PDF_CORRUPT"
    assert "not a PDF" in err.value.message


def test_pdf_without_pages(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with pytest.raises(ProcessingError) as err:
        parse_pdf(path)
    assert err.value.code == "PDF_CORRUPT"
    assert "has no pages" in err.value.message


def test_scan_without_ocr_is_refused_with_a_hint(
    invoice: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "tesseract_available", lambda: False)
    scan = write_scan(tmp_path / "scan.pdf", invoice)
    with pytest.raises(ProcessingError) as err:
        parse_pdf(scan)
    assert err.value.code == "NO_TEXT_LAYER"
    assert "tesseract" in err.value.message.lower()


def test_ocr_can_be_switched_off_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERLANE_OCR", "off")
    assert ocr.tesseract_available() is False


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract binary not installed")
def test_scanned_invoice_is_read_by_ocr(invoice: pathlib.Path, tmp_path: pathlib.Path) -> None:
    doc = parse_pdf(write_scan(tmp_path / "scan.pdf", invoice, dpi=300))
    assert doc.ocr_used and doc.pages[0].source == "ocr"
    outcome = extract_fields(doc)
    assert outcome.fields["invoiceNumber"] == "UC-7781"
    assert outcome.fields["totalAmount"] == "440.00"
    assert outcome.fields["invoiceDate"] == "2024-01-15"
    total = next(e for e in outcome.evidence if e["field"] == "totalAmount")
    assert total["source"] == "ocr" and total["page"] == 1


def test_blank_page_is_not_a_scan(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "blank.pdf"
    doc = pymupdf.open()
    doc.new_page()
    doc.save(path)
    parsed = parse_pdf(path)
    assert parsed.page_count == 1 and not parsed.ocr_used
    fields = extract_fields(parsed).fields
    assert all(value in (None, []) for value in fields.values())


def test_scan_with_a_stamped_page_number_still_counts_as_scan(
    invoice: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "tesseract_available", lambda: False)
    scan = write_scan(tmp_path / "scan.pdf", invoice)
    doc = pymupdf.open(scan)
    doc[0].insert_text((280, 820), "Page 1", fontsize=8)
    stamped = tmp_path / "stamped.pdf"
    doc.save(stamped)
    with pytest.raises(ProcessingError) as err:
        parse_pdf(stamped)
    assert err.value.code == "NO_TEXT_LAYER"


def test_unmapped_glyphs_leave_no_nul_characters(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "rupee.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_font(fontname="F0", fontbuffer=pymupdf.Font("cjk").buffer)
    page.insert_text((50, 50), "Total ₹ 1,939.00", fontname="F0")  # no ₹ glyph in that font
    doc.save(path)
    parsed = parse_pdf(path)
    assert "\x00" not in parsed.raw_text
    assert all("\x00" not in w.text for w in parsed.pages[0].words)


def test_owner_password_only_pdf_is_readable(invoice: pathlib.Path, tmp_path: pathlib.Path) -> None:
    restricted = tmp_path / "restricted.pdf"
    doc = pymupdf.open(invoice)
    aes_256 = pymupdf.PDF_ENCRYPT_AES_256  # type: ignore[attr-defined]  # missing from the stubs
    doc.save(restricted, encryption=aes_256, owner_pw="owner", permissions=0)
    assert extract_fields(parse_pdf(restricted)).fields["invoiceNumber"] == "UC-7781"


def test_broken_xref_table_still_yields_the_embedded_invoice() -> None:
    """A real Factur-X written by Aspose whose xref table lists an object it does not hold: MuPDF
    raises ``FzErrorFormat`` (not a RuntimeError) for that entry; the scan for attachments skips
    it instead of failing the whole document."""
    from tests.fixtures.corpus.gold import gold_from_xml

    path = FIXTURES / "corpus" / "public" / "pdf" / "securibox__FCLI000003_20221100001.pdf"
    with pymupdf.open(path) as doc, pytest.raises(pymupdf.mupdf.FzErrorBase):
        doc.xref_get_key(1, "Type")  # the broken entry the worker must step over
    parsed = parse_pdf(path)
    assert [name for name, _ in parsed.embedded_files] == ["factur-x.xml"]
    gold = gold_from_xml(parsed.embedded_files[0][1])
    assert gold is not None
    fields = extract_fields(parsed).fields
    assert fields["invoiceNumber"] == gold["invoice_number"] == "20221100001"
    assert fields["totalAmount"] == gold["total_amount"]


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract binary not installed")
def test_a_text_layer_of_unmapped_glyphs_is_read_by_ocr(tmp_path: pathlib.Path) -> None:
    """A font without a Unicode mapping (its /ToUnicode removed) yields glyph ids, not text:
    such a page is read by OCR like a scan."""
    path = tmp_path / "unmapped.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    # PyMuPDF's own Helvetica embedded as a font file (so it gets a /ToUnicode to remove)
    page.insert_font(fontname="F0", fontbuffer=pymupdf.Font("helv").buffer)
    for i, line in enumerate(("Rechnung Nr. RE-2024-117", "Gesamtbetrag 119,00 EUR")):
        page.insert_text((60, 90 + 30 * i), line, fontsize=16, fontname="F0")
    doc.save(path)
    doc = pymupdf.open(path)
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "ToUnicode")[0] != "null":
            doc.xref_set_key(xref, "ToUnicode", "null")
    garbled = tmp_path / "garbled.pdf"
    doc.save(garbled)
    assert "Rechnung" not in pymupdf.open(garbled)[0].get_text()  # the layer is unreadable
    parsed = parse_pdf(garbled)
    assert parsed.pages[0].source == "ocr"
    fields = extract_fields(parsed).fields
    assert fields["invoiceNumber"] == "RE-2024-117"
    assert fields["totalAmount"] == "119.00"
