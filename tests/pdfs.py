"""PDFs made on the fly for tests: good, broken and hostile ones."""

from __future__ import annotations

import functools

import pymupdf


def invoice_pdf(
    vendor: str = "Acme Supplies GmbH",
    number: str = "INV-1001",
    total: str = "1,234.50",
    pages: int = 1,
) -> bytes:
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page()
        if index == 0:
            page.insert_text((72, 72), vendor, fontsize=16)
            page.insert_text((72, 110), f"Invoice number: {number}")
            page.insert_text((72, 130), "Invoice date: 2024-03-15")
            page.insert_text((72, 150), "Currency: EUR")
        page.insert_text((72, 200), f"Line items, page {index + 1} of {pages}")
        if index == pages - 1:
            page.insert_text((300, 700), f"Total: {total} EUR")
    data: bytes = doc.tobytes()
    doc.close()
    return data


def itemized_invoice_pdf(pages: int, items_per_page: int, **invoice: str) -> bytes:
    """``invoice_pdf(**invoice)`` followed by ``pages`` pages of ``items_per_page`` line items
    each: a document whose processing time grows with both (parsing with the pages, extraction
    with the lines)."""
    doc = pymupdf.open(stream=invoice_pdf(**invoice), filetype="pdf")
    items = "\n".join(
        f"Line item {i}: service hours, rate and amount 12.50 EUR" for i in range(items_per_page)
    )
    for _ in range(pages):
        doc.new_page().insert_textbox(pymupdf.Rect(72, 220, 540, 760), items, fontsize=7)
    data: bytes = doc.tobytes()
    doc.close()
    return data


@functools.cache
def slow_invoice_pdf() -> bytes:
    """An invoice whose processing takes seconds on any machine: time to kill, cancel or watch
    a job mid-run. A one-page invoice, then 4,000 pages of five line items each: ~1 s of parsing
    and ~2 s of extraction on the fastest VM measured (2026-12-01), where the 3,000 one-line
    pages it replaces took 0.65 s in all and the job could end before the test acted. Built once
    per test process (~3 s)."""
    return itemized_invoice_pdf(4000, 5)


def encrypted_pdf() -> bytes:
    doc = pymupdf.open(stream=invoice_pdf(), filetype="pdf")
    data: bytes = doc.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner"
    )
    doc.close()
    return data


def truncated_pdf() -> bytes:
    data = invoice_pdf()
    return data[: len(data) // 3]


def zero_page_pdf() -> bytes:
    """A syntactically valid PDF whose page tree is empty (PyMuPDF refuses to write one)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def page_bomb_pdf(size_pt: float = 4000) -> bytes:
    """One ``size_pt``×``size_pt`` page covered by a tiny image (about 3.9 KB): rendered for
    OCR at 300 dpi it would be a 16,667² pixel image (≈ 830 MB RGB) without a pixel cap."""
    doc = pymupdf.open()
    page = doc.new_page(width=size_pt, height=size_pt)
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 50, 50), False)
    pixmap.clear_with(200)
    page.insert_image(pymupdf.Rect(0, 0, size_pt, size_pt), pixmap=pixmap)
    data: bytes = doc.tobytes(garbage=4, deflate=True)
    doc.close()
    return data


def large_text_pdf(
    pages: int = 40, chars_per_page: int = 27_000, first: str = "", last: str = ""
) -> bytes:
    """``pages`` pages of small print, every word distinct (``w0000001`` …), so the document's
    text (and the tsvector PostgreSQL would build from all of it) passes 1 MB. ``first`` is
    written on page 1 and ``last`` on the last page."""
    doc = pymupdf.open()
    counter = 0
    for index in range(pages):
        words = []
        if index == 0 and first:
            words.append(first)
        if index == pages - 1 and last:
            words.append(last)
        length = sum(len(w) + 1 for w in words)
        while length < chars_per_page:
            counter += 1
            word = f"w{counter:07d}"
            words.append(word)
            length += len(word) + 1
        page = doc.new_page(width=1200, height=1700)
        page.insert_textbox(pymupdf.Rect(20, 20, 1180, 1680), " ".join(words), fontsize=4)
    data: bytes = doc.tobytes(garbage=4, deflate=True)
    doc.close()
    return data
