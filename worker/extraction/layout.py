"""Positional helpers: visual rows across text blocks, labels on rows, values beside or below.

PyMuPDF reports text in blocks, and a label and its value are often in different blocks (two
table cells, a label column and a value column). Rows here join PyMuPDF's lines across blocks
when they sit at the same height, left to right. Inside a row's text, an ordinary gap is one
space and a wide gap (a column break) is a tab, so values never run across columns by accident
and "1 234,56" still reads as one amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from worker.extraction.labels import Kind, Label, find_labels
from worker.extraction.parse import ParsedDocument, ParsedPage, Word

BBox = tuple[float, float, float, float]

# A gap wider than this fraction of the word height is a column break (a space is ~0.25).
_COLUMN_GAP = 0.6
# OCR boxes hug the glyphs (about half a text layer's line-high boxes), so the same gap is a
# larger fraction of their height: at 0.6, every word of an OCR'd line stood in a column of its
# own and no label of two words ("Liefer- und Leistungsdatum") was found.
_COLUMN_GAP_OCR = 1.2
# Separators between a label and its value ("Invoice No.: # 123"); a leading minus is a sign.
_LEAD = " \t:#.°|*"
_TRAIL = " \t:,;|*"
_DECIMAL_AMOUNT = re.compile(r"\d[.,]\d{2}(?!\d)")
# Single characters closer than this (a fraction of the height) belong to one word: some
# generators place every character on its own, and PyMuPDF reports each as a word.
_TOUCHING = 0.1
_SLACK = 2.0  # points: a value under a label may start or end a hair outside it


def union(boxes: Iterable[BBox]) -> BBox:
    xs0, ys0, xs1, ys1 = zip(*boxes, strict=True)
    return (min(xs0), min(ys0), max(xs1), max(ys1))


@dataclass
class Row:
    page: ParsedPage = field(repr=False)
    index: int
    words: list[Word] = field(repr=False)
    text: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        parts: list[str] = []
        pos = 0
        for i, word in enumerate(self.words):
            if i:
                before = self.words[i - 1]
                gap = word.x0 - before.x1
                sep = "\t" if gap > self._column_gap * self.height else " "
                if len(word.text) == len(before.text) == 1 and gap <= _TOUCHING * self.height:
                    sep = ""  # characters placed one by one ("1 . 0 8 5 , 4 0"): one word
                parts.append(sep)
                pos += len(sep)
            self.spans.append((pos, pos + len(word.text)))
            parts.append(word.text)
            pos += len(word.text)
        self.text = "".join(parts)

    @property
    def _column_gap(self) -> float:
        return _COLUMN_GAP_OCR if self.page.source == "ocr" else _COLUMN_GAP

    @cached_property
    def height(self) -> float:
        heights = sorted(w.y1 - w.y0 for w in self.words)
        return heights[len(heights) // 2]

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @cached_property
    def labels(self) -> list[Label]:
        return find_labels(self.text)

    def words_in(self, start: int, end: int) -> list[Word]:
        pairs = zip(self.words, self.spans, strict=True)
        return [w for w, (s, e) in pairs if s < end and e > start]

    def bbox(self, start: int, end: int) -> BBox | None:
        words = self.words_in(start, end)
        return union(w[:4] for w in words) if words else None


@dataclass(frozen=True)
class Value:
    """Text found for a label, with where it sits; ``offset`` maps positions back to the row."""

    text: str
    row: Row
    offset: int
    below: bool

    def bbox(self, start: int = 0, end: int | None = None) -> BBox | None:
        end = len(self.text) if end is None else end
        return self.row.bbox(self.offset + start, self.offset + end)


def build_rows(page: ParsedPage) -> list[Row]:
    """Rows from PyMuPDF's lines: a line is never split, and lines from different blocks join
    one row when their vertical centres are within half a line height of each other (overlap
    alone would chain stacked lines together, as OCR's tall word boxes do)."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in page.words:
        if word.text.strip():
            lines.setdefault((word.block_no, word.line_no), []).append(word)
    bands = sorted(
        (
            (
                (min(w.y0 for w in ws) + max(w.y1 for w in ws)) / 2,
                max(w.y1 for w in ws) - min(w.y0 for w in ws),
                ws,
            )
            for ws in lines.values()
        ),
        key=lambda band: band[0],
    )
    groups: list[list[Word]] = []
    centre = height = 0.0  # of the row's first line: a tall line must not widen the row
    for line_centre, line_height, ws in bands:
        if groups and abs(line_centre - centre) <= 0.5 * min(height, line_height):
            groups[-1].extend(ws)
            continue
        groups.append(list(ws))
        centre, height = line_centre, line_height
    return [Row(page, i, sorted(group, key=lambda w: w.x0)) for i, group in enumerate(groups)]


@dataclass
class Layout:
    """All rows of a document, page by page, in reading order (top to bottom)."""

    doc: ParsedDocument
    pages: list[list[Row]] = field(init=False)

    def __post_init__(self) -> None:
        self.pages = [build_rows(page) for page in self.doc.pages]

    def rows(self) -> Iterable[Row]:
        for rows in self.pages:
            yield from rows

    def labelled(self, *kinds: Kind) -> Iterable[tuple[Row, Label]]:
        for row in self.rows():
            for label in row.labels:
                if label.kind in kinds:
                    yield row, label

    def value_right(self, row: Row, label: Label) -> Value | None:
        """The rest of the row after the label, up to the next label."""
        end = next((lb.start for lb in row.labels if lb.start >= label.end), len(row.text))
        start = label.end
        while start < end and row.text[start] in _LEAD:
            start += 1
        text = row.text[start:end].rstrip(_TRAIL)
        return Value(text, row, start, below=False) if text else None

    def value_below(
        self, row: Row, label: Label, max_rows: int = 2, numeric: bool = False
    ) -> Value | None:
        """The words under the label in the next rows (a table column, a label on top).
        ``numeric``: words without a digit are the rest of a two-line header ("Total" over
        "incl. VAT"), passed over."""
        return next(self.values_below(row, label, max_rows, numeric), None)

    def values_below(
        self, row: Row, label: Label, max_rows: int, numeric: bool = False
    ) -> Iterator[Value]:
        """The values under the label, row after row, down its column (see ``value_below``)."""
        label_box = row.bbox(label.start, label.end)
        if label_box is None:
            return
        x0, _, x1, y1 = label_box
        cell_x0, _, cell_x1, _ = self._cell(row, label)
        # A header row of several cells ("Rechnungsnummer | Datum | Kundennummer | Seite"): a
        # value may be aligned anywhere in its column, up to the neighbouring headers.
        column = self._column(row, label) if row.text.count("\t") >= 2 else None
        if column is not None:
            cell_x0, cell_x1 = column
        rows = self.pages[row.page.number - 1]
        checked = 0
        last_y1 = y1  # of the label, then of the last value found (a column runs on)
        for below in rows[row.index + 1 :]:
            if below.y0 - last_y1 > 3 * max(row.height, below.height) or checked >= max_rows:
                return
            if not any(w.x0 < cell_x1 + _SLACK and w.x1 > cell_x0 - _SLACK for w in below.words):
                continue  # nothing under this cell in that row: look further down
            overlaps = [min(x1, w.x1) - max(x0, w.x0) for w in below.words]
            hit = max(range(len(overlaps)), key=overlaps.__getitem__)
            if overlaps[hit] < -_SLACK and column is not None:
                inside = [
                    i
                    for i, w in enumerate(below.words)
                    if w.x0 >= column[0] - _SLACK and w.x1 <= column[1] + _SLACK
                ]
                hit = inside[-1] if inside else hit  # right-aligned: its last word is nearest
                overlaps[hit] = 0.0 if inside else overlaps[hit]
            if overlaps[hit] < -_SLACK:
                return  # under the cell but not the label: "Kopie" of "Kopie factuur"
            checked += 1
            start_word = end_word = hit
            start, end = below.spans[hit]
            # extend to the whole phrase: neighbours joined by ordinary spaces
            while start > 0 and below.text[start - 1] == " ":
                start_word -= 1
                start = below.spans[start_word][0]
            while end < len(below.text) and below.text[end] == " ":
                end_word += 1
                end = below.spans[end_word][1]
            text = below.text[start:end]
            if any(lb.start == 0 for lb in find_labels(text)):
                return  # the next thing below is another label, not a value
            if text.startswith("(") and text.rstrip().endswith(")"):
                continue  # a remark such as "(Not to be used for payment remittance)"
            if numeric and not any(ch.isdigit() for ch in text):
                continue
            stripped = text.lstrip(_LEAD)
            last_y1 = below.y1
            yield Value(
                stripped.rstrip(_TRAIL), below, start + len(text) - len(stripped), below=True
            )

    @staticmethod
    def _cell(row: Row, label: Label) -> BBox:
        """The box of the tab-delimited cell holding the label."""
        start = row.text.rfind("\t", 0, label.start) + 1
        end = row.text.find("\t", label.end)
        box = row.bbox(start, len(row.text) if end < 0 else end)
        assert box is not None
        return box

    @staticmethod
    def _column(row: Row, label: Label) -> tuple[float, float] | None:
        """From the end of the cell before the label's to the start of the cell after it."""
        start = row.text.rfind("\t", 0, label.start) + 1
        end = row.text.find("\t", label.end)
        words = row.words_in(start, len(row.text) if end < 0 else end)
        if not words:
            return None
        before = [w for w in row.words if w.x1 <= words[0].x0]
        after = [w for w in row.words if w.x0 >= words[-1].x1]
        left = before[-1].x1 + _SLACK if before else words[0].x0
        right = after[0].x0 - _SLACK if after else row.page.width
        return left, right

    def text_above(self, row: Row, label: Label) -> str:
        """The words right above a label in its column: the first line of a two-line header
        such as "Ohne / MwSt."."""
        box = row.bbox(label.start, label.end)
        if box is None or row.index == 0:
            return ""
        above = self.pages[row.page.number - 1][row.index - 1]
        if row.y0 - above.y1 > row.height or _DECIMAL_AMOUNT.search(above.text):
            return ""  # far away, or a line of its own with an amount (not a header's 1st line)
        return " ".join(w.text for w in above.words if w.x0 < box[2] and w.x1 > box[0])

    def values(self, row: Row, label: Label) -> list[Value]:
        return [v for v in (self.value_right(row, label), self.value_below(row, label)) if v]
