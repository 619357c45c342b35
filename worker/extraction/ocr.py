"""OCR for pages without a text layer, through PyMuPDF's Tesseract integration.

``tesseract_available()`` is the single switch: tests monkeypatch it, operators can set
``PAPERLANE_OCR=off`` to refuse scans instead of spending CPU on them.

No surprises:
- only pages without a text layer are OCR'd (``parse._needs_ocr`` decides);
- the page is read in the language it shows (see ``ocr_textpage``), plus English for the usual
  English terms ("IBAN", "Total"); every language given to Tesseract slows it down, so all six
  at once are never asked for;
- the render resolution is capped by pixel count (``MAX_OCR_PIXELS``): a 4000 × 4000 pt page is
  rendered at a lower dpi instead of taking gigabytes;
- the seconds each page took are returned to the caller and logged.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import shutil
import subprocess
import time
from collections import Counter

import pymupdf

log = logging.getLogger(__name__)
# One OpenMP thread per Tesseract call: the worker runs one process per core already, and
# Tesseract's own threads only contend with them (measured faster on a loaded 2-core machine).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Tesseract language packs Paperlane reads invoices in. Only installed ones are used.
_WANTED_LANGUAGES = ("eng", "deu", "fra", "nld", "spa", "ita")
# Rendered at 300 dpi whatever the scan's own resolution: Tesseract reads a 200 dpi scan better
# upsampled (public layouts scanned at 200 dpi: 87.7 % of fields at 200, 89.4 % at 300, for
# about a third more time per page).
OCR_DPI = 300
MIN_DPI = 50
MAX_OCR_PIXELS = 25_000_000  # per page, for the real pass
ENABLE_HINT = (
    "install Tesseract OCR with its language data (Debian/Ubuntu: "
    "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu) and make sure "
    "`tesseract` is on PATH, or upload a PDF with a text layer"
)

# Words frequent on invoices and (nearly) unique to one language.
_LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "deu": (
        "rechnung", "rechnungsnummer", "datum", "betrag", "mwst", "ust", "summe", "gesamt",
        "netto", "brutto", "zahlbar", "bitte", "und", "der", "die", "das", "mit", "für", "menge",
        "steuer", "lieferung", "kunde", "kundennummer", "bankverbindung", "gmbh", "straße",
    ),
    "fra": (
        "facture", "montant", "tva", "total", "ttc", "ht", "date", "échéance", "paiement",
        "les", "des", "pour", "avec", "quantité", "prix", "client", "conditions", "sas", "rue",
    ),
    "nld": (
        "factuur", "factuurnummer", "bedrag", "btw", "totaal", "datum", "betaling", "het", "een",
        "van", "voor", "met", "aantal", "prijs", "klant", "vervaldatum", "straat", "bv",
    ),
    "spa": (
        "factura", "fecha", "importe", "iva", "total", "cliente", "para", "con", "los", "las",
        "del", "cantidad", "precio", "pago", "vencimiento", "calle", "base", "imponible",
    ),
    "ita": (
        "fattura", "data", "importo", "iva", "totale", "cliente", "per", "con", "della", "delle",
        "quantità", "prezzo", "pagamento", "scadenza", "via", "imponibile", "srl", "spa",
    ),
    "eng": (
        "invoice", "date", "amount", "total", "due", "tax", "vat", "the", "and", "for", "with",
        "quantity", "price", "payment", "customer", "bill", "description", "terms", "ltd",
    ),
}  # fmt: skip


def tesseract_available() -> bool:
    if os.environ.get("PAPERLANE_OCR", "").lower() in {"off", "0", "false", "no"}:
        return False
    return shutil.which("tesseract") is not None


@functools.cache
def _installed_languages() -> tuple[str, ...]:
    try:
        listing = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in listing.splitlines()[1:] if line.strip())


_FIRST_PASS = "deu+eng"


def ocr_languages(text_language: str | None = None) -> str:
    """Tesseract's language argument: the page's language and English, as far as installed."""
    installed = _installed_languages()
    wanted = [text_language, "eng"] if text_language else ["eng"]
    chosen = [lang for lang in dict.fromkeys(wanted) if lang and lang in installed]
    return "+".join(chosen) or "eng"


def detect_language(text: str) -> str | None:
    """The language whose invoice words occur most in ``text`` (``None`` if none occurs)."""
    words = Counter(re.findall(r"[^\W\d_]+", text.lower()))
    scores = {
        lang: sum(words[w] for w in vocabulary) for lang, vocabulary in _LANGUAGE_WORDS.items()
    }
    lang, score = max(scores.items(), key=lambda item: item[1])
    return lang if score > 0 else None


def capped_dpi(page: pymupdf.Page, dpi: int, max_pixels: int = MAX_OCR_PIXELS) -> int:
    """``dpi`` lowered so the rendered page stays within ``max_pixels``."""
    width_in, height_in = page.rect.width / 72, page.rect.height / 72
    area = max(width_in * height_in, 1e-6)
    fitting = math.floor(math.sqrt(max_pixels / area))
    return max(MIN_DPI, min(dpi, fitting)) if fitting >= MIN_DPI else max(1, fitting)


def ocr_textpage(
    page: pymupdf.Page, language_hint: str | None = None
) -> tuple[pymupdf.TextPage, float, str]:
    """A text page recognised from the rendered page image (full-page OCR), the seconds it took
    and the Tesseract languages used.

    The first pass reads with the hinted language (the one an earlier page of the document
    showed), else German and English; when the text shows another language, the page is read
    again in that one. So a German or English page costs one pass, a French page two, and the
    next French page of the same document one."""
    started = time.perf_counter()
    dpi = capped_dpi(page, OCR_DPI)
    languages = ocr_languages(language_hint) if language_hint else _FIRST_PASS
    textpage = page.get_textpage_ocr(language=languages, dpi=dpi, full=True)
    shown = detect_language(page.get_text("text", textpage=textpage))
    if shown and shown not in languages.split("+") and shown in _installed_languages():
        languages = ocr_languages(shown)
        textpage = page.get_textpage_ocr(language=languages, dpi=dpi, full=True)
    seconds = time.perf_counter() - started
    log.info(
        "OCR page %d: %.2f s at %d dpi, languages %s", page.number + 1, seconds, dpi, languages
    )
    return textpage, seconds, languages
