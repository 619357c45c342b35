"""OCR without surprises: pixel-capped resolution, the page's language, seconds reported."""

from __future__ import annotations

import pathlib
import shutil

import pymupdf
import pytest

from tests.fixtures.corpus.gold import HERE as CORPUS
from worker.extraction import ocr, parse_pdf


def test_resolution_is_capped_by_pixel_count() -> None:
    doc = pymupdf.open()
    huge = doc.new_page(width=4000, height=4000)
    dpi = ocr.capped_dpi(huge, 300)
    pixels = (4000 / 72 * dpi) ** 2
    assert pixels <= ocr.MAX_OCR_PIXELS and dpi < 300
    a4 = doc.new_page(width=595, height=842)
    assert ocr.capped_dpi(a4, 300) == 300


def test_language_is_detected_from_invoice_words() -> None:
    assert ocr.detect_language("Rechnung Nr. 12 Datum Betrag MwSt. zahlbar") == "deu"
    assert ocr.detect_language("Facture n° 12 montant TVA total TTC échéance") == "fra"
    assert ocr.detect_language("Factuur datum bedrag BTW totaal betaling") == "nld"
    assert ocr.detect_language("Factura fecha importe IVA vencimiento cliente") == "spa"
    assert ocr.detect_language("Fattura data importo IVA totale scadenza") == "ita"
    assert ocr.detect_language("Invoice date amount due payment terms") == "eng"
    assert ocr.detect_language("1234 5678") is None


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract binary not installed")
def test_scan_is_read_in_its_language_and_timed() -> None:
    scan = next((CORPUS / "synthetic").glob("*-fr-*-scan.pdf"))
    doc = parse_pdf(pathlib.Path(scan))
    page = doc.pages[0]
    assert page.source == "ocr" and page.ocr_languages == "fra+eng"
    assert doc.ocr_seconds[1] == page.ocr_seconds and page.ocr_seconds > 0


def test_pages_with_text_are_not_ocrd() -> None:
    doc = parse_pdf(next((CORPUS / "synthetic").glob("*-de-*[0-9a-z].pdf")))
    assert not doc.ocr_used and doc.ocr_seconds == {}
