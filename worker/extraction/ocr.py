"""OCR for pages without a text layer, through PyMuPDF's Tesseract integration.

``tesseract_available()`` is the single switch: tests monkeypatch it, operators can set
``PAPERLANE_OCR=off`` to refuse scans instead of spending CPU on them.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

import pymupdf

# Tesseract language packs worth asking for, in the order tried. Only installed ones are used.
_WANTED_LANGUAGES = ("eng", "deu", "fra", "nld", "spa", "ita", "pol")
OCR_DPI = 300
ENABLE_HINT = (
    "install Tesseract OCR with its language data (Debian/Ubuntu: "
    "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu) and make sure "
    "`tesseract` is on PATH, or upload a PDF with a text layer"
)


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


def ocr_languages() -> str:
    installed = _installed_languages()
    chosen = [lang for lang in _WANTED_LANGUAGES if lang in installed]
    return "+".join(chosen) or "eng"


def ocr_textpage(page: pymupdf.Page) -> pymupdf.TextPage:
    """A text page recognised from the rendered page image (full-page OCR)."""
    return page.get_textpage_ocr(language=ocr_languages(), dpi=OCR_DPI, full=True)
