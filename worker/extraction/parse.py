"""Open a PDF with PyMuPDF and keep what field extraction needs: words with their boxes, the
plain text, and embedded files (e-invoice XML). Pages without a text layer are OCR'd.

PyMuPDF is not thread-safe; the worker runs it in Celery's prefork pool.
"""

from __future__ import annotations

import pathlib
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import pymupdf

from api.errors import ProcessingError
from worker.extraction import ocr

# What PyMuPDF raises on a damaged file: its own errors, and MuPDF's (a broken xref table raises
# ``FzErrorFormat``, which is neither a RuntimeError nor a ValueError).
PDF_ERRORS = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)


class Word(NamedTuple):
    """One word as PyMuPDF reports it (``page.get_text("words")``), in PDF points."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    block_no: int
    line_no: int
    word_no: int


@dataclass
class ParsedPage:
    """One page. Word boxes, width and height are in unrotated PDF points (the space the text
    was laid out in); ``rotation`` says how a viewer turns the page for display."""

    number: int  # 1-based
    width: float
    height: float
    text: str
    words: list[Word]
    source: Literal["text", "ocr"] = "text"
    rotation: int = 0
    ocr_seconds: float | None = None
    ocr_languages: str | None = None


@dataclass
class ParsedDocument:
    page_count: int
    pages: list[ParsedPage]
    embedded_files: list[tuple[str, bytes]] = field(default_factory=list)
    ocr_used: bool = False
    # Seconds OCR took per OCR'd page (1-based page number -> seconds).
    ocr_seconds: dict[int, float] = field(default_factory=dict)

    @property
    def raw_text(self) -> str:
        return "\f".join(page.text for page in self.pages)


def _open(path: pathlib.Path) -> pymupdf.Document:
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, path.stat().st_size - 1024))
        tail = fh.read()
    if b"%PDF-" not in head:  # PyMuPDF would happily open a text file as a "document"
        raise ProcessingError("The file is not a PDF (no %PDF header).", code="PDF_CORRUPT")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except (pymupdf.FileDataError, pymupdf.EmptyFileError, *PDF_ERRORS) as exc:
        raise ProcessingError(
            f"The PDF is damaged and cannot be opened ({exc}).", code="PDF_CORRUPT"
        ) from exc
    if doc.needs_pass:
        doc.close()
        raise ProcessingError(
            "The PDF is encrypted and needs a password; upload an unprotected copy.",
            code="PDF_ENCRYPTED",
        )
    if doc.is_repaired and b"%%EOF" not in tail:
        # MuPDF rebuilds a cut-off file from what it finds, silently dropping the rest: a
        # reviewer would be shown half an invoice as if it were whole.
        doc.close()
        raise ProcessingError(
            "The PDF is truncated (it ends before its end-of-file marker); upload it again.",
            code="PDF_CORRUPT",
        )
    if doc.page_count == 0:
        doc.close()
        raise ProcessingError(
            "The PDF has no pages (the file may be truncated or damaged).", code="PDF_CORRUPT"
        )
    return doc


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Compressed size bound for attachment streams found outside the name tree (limits what a
# decompression bomb can expand to before the size check).
_MAX_COMPRESSED_ATTACHMENT = 1024 * 1024
# A scan often carries a few real characters (a page number, "Scanned by …"): below this many,
# a page whose images cover most of it is treated as a scan.
_SCAN_TEXT_CHARS = 40
_SCAN_IMAGE_SHARE = 0.5


# Text whose fonts carry no Unicode mapping comes out as glyph ids: control characters,
# U+FFFD, private-use code points ("5HFKQXQJ\x031U\x11" for "Rechnung Nr."). Above this share
# of such characters the text layer is unreadable and the page is read by OCR instead.
_UNMAPPED_SHARE = 0.1


def _unmapped(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn")


def _needs_ocr(page: pymupdf.Page, text: str) -> bool:
    """A scan: no text but something visible (an image, text drawn as outlines), next to no
    text on a page that is mostly image, or a text layer of unmapped glyphs."""
    visible = "".join(text.split())
    chars = len(visible)
    if chars >= _SCAN_TEXT_CHARS:
        return sum(map(_unmapped, visible)) > chars * _UNMAPPED_SHARE
    if chars == 0 and page.get_drawings():
        return True
    page_area = abs(page.rect) or 1.0
    image_area = sum(abs(pymupdf.Rect(info["bbox"]) & page.rect) for info in page.get_image_info())
    return image_area / page_area >= _SCAN_IMAGE_SHARE


def _embedded_files(doc: pymupdf.Document) -> list[tuple[str, bytes]]:
    """Attachments small enough to be an e-invoice (a video attached to a PDF stays unread).

    The name tree ``/EmbeddedFiles`` is what PyMuPDF lists; writers also attach the e-invoice
    only through ``/AF`` or with a name tree PyMuPDF cannot walk. So every stream of type
    ``/EmbeddedFile`` counts too: the e-invoice is found by its content, never by its name."""
    files = []
    for i in range(doc.embfile_count()):
        info = doc.embfile_info(i)
        if (info.get("size") or 0) > MAX_ATTACHMENT_BYTES:
            continue
        name = info.get("ufilename") or info.get("filename") or info.get("name") or f"file-{i}"
        files.append((name, doc.embfile_get(i)))
    seen = {data for _name, data in files}
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type") != ("name", "/EmbeddedFile"):
                continue
            length = doc.xref_get_key(xref, "Length")
            declared = doc.xref_get_key(xref, "Params/Size")
            if length[0] == "int" and int(length[1]) > _MAX_COMPRESSED_ATTACHMENT:
                continue
            if declared[0] == "int" and int(declared[1]) > MAX_ATTACHMENT_BYTES:
                continue
            data = doc.xref_stream(xref)
        except PDF_ERRORS:  # an entry a broken xref table does not hold
            continue
        if data and len(data) <= MAX_ATTACHMENT_BYTES and data not in seen:
            seen.add(data)
            files.append((f"xref-{xref}", data))
    return files


def _clean(text: str) -> str:
    """Drop NUL characters (glyphs without a Unicode mapping): PostgreSQL text refuses them."""
    return text.replace("\x00", "")


def _parse_page(page: pymupdf.Page, language_hint: str | None = None) -> ParsedPage:
    textpage = page.get_textpage()
    text = page.get_text("text", textpage=textpage)
    source: Literal["text", "ocr"] = "text"
    seconds = languages = None
    if _needs_ocr(page, text):
        if not ocr.tesseract_available():
            raise ProcessingError(
                f"Page {page.number + 1} has no text layer (a scanned image) and OCR is not "
                f"available: {ocr.ENABLE_HINT}.",
                code="NO_TEXT_LAYER",
            )
        textpage, seconds, languages = ocr.ocr_textpage(page, language_hint)
        text = page.get_text("text", textpage=textpage)
        source = "ocr"
    words = [
        Word(x0, y0, x1, y1, _clean(word), block, line, number)
        for x0, y0, x1, y1, word, block, line, number in page.get_text("words", textpage=textpage)
    ]
    return ParsedPage(
        number=page.number + 1,
        width=page.cropbox.width,
        height=page.cropbox.height,
        text=_clean(text),
        words=words,
        source=source,
        rotation=page.rotation,
        ocr_seconds=seconds,
        ocr_languages=languages,
    )


def parse_pdf(path: pathlib.Path, max_pages: int | None = None) -> ParsedDocument:
    """Parse one PDF; raises ``ProcessingError`` (PDF_CORRUPT, PDF_ENCRYPTED, NO_TEXT_LAYER,
    and TOO_MANY_PAGES above ``max_pages``: checked right after opening, before any page is
    loaded, read or rendered)."""
    doc = _open(path)
    try:
        try:
            if max_pages is not None and doc.page_count > max_pages:
                raise ProcessingError(
                    f"The PDF has {doc.page_count} pages; at most {max_pages} pages are "
                    "processed per document. Split it into smaller files.",
                    code="TOO_MANY_PAGES",
                )
            pages: list[ParsedPage] = []
            hint = None
            for i in range(doc.page_count):
                pages.append(_parse_page(doc[i], hint))
                if pages[-1].ocr_languages:  # the next scanned page likely shows the same
                    hint = pages[-1].ocr_languages.split("+")[0]
            embedded = _embedded_files(doc)
        except ProcessingError:
            raise
        except PDF_ERRORS as exc:  # damaged page tree or content stream
            raise ProcessingError(
                f"The PDF is damaged and cannot be read ({exc}).", code="PDF_CORRUPT"
            ) from exc
        return ParsedDocument(
            page_count=len(pages),
            pages=pages,
            embedded_files=embedded,
            ocr_used=any(p.source == "ocr" for p in pages),
            ocr_seconds={p.number: p.ocr_seconds for p in pages if p.ocr_seconds is not None},
        )
    finally:
        doc.close()
