"""Field-extraction accuracy and speed over the development corpus, per set.

    python tests/bench/bench_extract.py                 # every set
    python tests/bench/bench_extract.py --set text      # one set (text, embedded, xml, scanned,
                                                        # invoice2data); repeatable
    python tests/bench/bench_extract.py --misses         # also list every miss

Sets (``tests/fixtures/corpus``, see its README):
- ``text``: page text only: the public ZUGFeRD/Factur-X PDFs with their XML removed, and the
  synthetic text-only PDFs;
- ``embedded``: the same PDFs with their XML left in;
- ``xml``: e-invoice XML on its own (public samples and the synthetic instances);
- ``scanned``: the public PDFs and the synthetic invoices rasterized at 200 dpi, image only
  (OCR; the public ones at run time);
- ``invoice2data``: eleven real vendor invoices with upstream's expected values.

Scoring follows ``tests/fixtures/corpus/invoice2data/README.md``:
- vendor: loosely, case-insensitive, ignoring punctuation and legal suffixes (GmbH, B.V., Inc, …);
  a name that is a whole-word part of the other counts; a gold list holds alternatives (UBL
  trading name and registered name);
- invoice number: ignoring spaces and a leading ``#``;
- amounts compared as decimals; ``tax_is_derived`` gold values are total minus subtotal already;
- ``null`` gold values are not scored.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fixtures import INVOICE2DATA  # noqa: E402
from worker.extraction import ExtractionOutcome, extract_fields, extract_xml, parse_pdf  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus"

# gold key -> extracted key
FIELDS = {
    "vendor": "vendorName",
    "invoice_number": "invoiceNumber",
    "invoice_date": "invoiceDate",
    "total_amount": "totalAmount",
    "tax_amount": "taxAmount",
    "currency": "currency",
}
# Booking fields, reported separately (not part of the headline score).
BOOKING = {
    "net_amount": "netAmount",
    "seller_vat_id": "sellerVatId",
    "buyer_name": "buyerName",
}
LEGAL_SUFFIXES = {
    "gmbh",
    "ag",
    "se",
    "kg",
    "bv",
    "b",
    "v",
    "nv",
    "sas",
    "sarl",
    "sa",
    "spa",
    "srl",
    "sl",
    "ltd",
    "limited",
    "llc",
    "inc",
    "corp",
    "corporation",
    "plc",
    "llp",
    "pvt",
    "private",
    "co",
    "sp",
    "z",
    "o",
    "ei",  # entrepreneur individuel (France)
    "eirl",
    "individuel",
    "entrepreneur",
}
REPEATS = 3  # timing passes over the invoice2data set (the others are timed once)
SETS = ("text", "embedded", "xml", "scanned", "invoice2data")


def corpus_dir() -> pathlib.Path:
    return INVOICE2DATA


def _vendor_tokens(name: str) -> list[str]:
    tokens = re.sub(r"[^\w]+", " ", name.lower()).split()
    while tokens and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    return tokens


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return n > 0 and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def matches(gold_key: str, expected: object, got: str | None) -> bool:
    """Whether an extracted value counts as correct for a gold value (README rules)."""
    if got is None:
        return False
    if isinstance(expected, list):
        return any(matches(gold_key, option, got) for option in expected)
    expected = str(expected)
    if gold_key in ("vendor", "buyer_name"):
        a, b = _vendor_tokens(expected), _vendor_tokens(got)
        return a == b or _contains(a, b) or _contains(b, a)
    if gold_key == "invoice_number":

        def norm(s: str) -> str:
            return re.sub(r"\s+", "", s).lstrip("#")

        return norm(expected) == norm(got)
    if gold_key in ("total_amount", "tax_amount", "net_amount"):
        try:
            return Decimal(expected) == Decimal(got)
        except InvalidOperation:
            return False
    if gold_key == "seller_vat_id":
        return re.sub(r"\W", "", expected).upper() == re.sub(r"\W", "", got).upper()
    return expected == got


def load_gold(folder: pathlib.Path) -> list[dict[str, object]]:
    gold: list[dict[str, object]] = json.loads((folder / "expected.json").read_text())
    return gold


@dataclass
class Score:
    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS | BOOKING, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS | BOOKING, 0))
    invoices: int = 0
    all_right: int = 0
    pages: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    parts: dict[str, Score] = field(default_factory=dict)
    ocr_seconds: list[float] = field(default_factory=list)  # per OCR'd page

    def add(self, name: str, entry: dict[str, object], outcome: ExtractionOutcome) -> None:
        self.invoices += 1
        perfect = True
        for key, api_name in (FIELDS | BOOKING).items():
            expected = entry.get(key)
            if expected is None:
                continue
            self.scored[key] += 1
            got = outcome.fields.get(api_name)
            if matches(key, expected, got):
                self.correct[key] += 1
            else:
                if key in FIELDS:
                    perfect = False
                self.misses.append(f"{name}: {api_name} expected {expected!r}, got {got!r}")
        self.all_right += perfect

    def share(self, keys: dict[str, str] = FIELDS) -> float:
        scored = sum(self.scored[k] for k in keys)
        return sum(self.correct[k] for k in keys) / scored if scored else 0.0

    def field_share(self, key: str) -> float:
        return self.correct[key] / self.scored[key] if self.scored[key] else 0.0


@contextmanager
def _without_attachments(path: pathlib.Path) -> Iterator[pathlib.Path]:
    """A copy of a PDF with every embedded file removed: the page text only."""
    import pymupdf

    with tempfile.TemporaryDirectory(prefix="paperlane-textonly-") as tmp:
        doc = pymupdf.open(path)
        for name in list(doc.embfile_names()):
            doc.embfile_del(name)
        for xref in range(1, doc.xref_length()):  # attached only through /AF
            try:
                embedded = doc.xref_get_key(xref, "Type") == ("name", "/EmbeddedFile")
                kind, ref = doc.xref_get_key(xref, "EF/F")  # a file spec's stream (/Type optional)
            except Exception:  # an entry missing from a broken xref table (Aspose-written PDFs)
                continue
            if embedded:
                doc.update_stream(xref, b"")
            if kind == "xref":
                doc.update_stream(int(ref.split()[0]), b"")
        out = pathlib.Path(tmp) / path.name
        doc.save(out, garbage=3)
        doc.close()
        yield out


def _pdf(path: pathlib.Path) -> tuple[ExtractionOutcome, int]:
    doc = parse_pdf(path)
    return extract_fields(doc), doc.page_count


def _xml(path: pathlib.Path) -> tuple[ExtractionOutcome, int]:
    return extract_xml(path.read_bytes()), 1


def _text_only(path: pathlib.Path) -> tuple[ExtractionOutcome, int]:
    with _without_attachments(path) as stripped:
        return _pdf(stripped)


def _scanned(path: pathlib.Path) -> tuple[ExtractionOutcome, int]:
    """A real layout as a scan: the public PDF rasterized as the synthetic scans are (200 dpi,
    grey, JPEG, image only; ``synthetic.scan``), so OCR reads a layout nobody tuned it for."""
    from tests.fixtures.corpus.synthetic import scan

    with tempfile.TemporaryDirectory(prefix="paperlane-scan-") as tmp:
        target = pathlib.Path(tmp) / path.name
        scan(path, target)
        return _pdf(target)


def _run(
    items: list[tuple[str, pathlib.Path, dict[str, object]]],
    read: Callable[[pathlib.Path], tuple[ExtractionOutcome, int]],
) -> Score:
    score = Score()
    for name, path, entry in items:
        started = time.perf_counter()
        outcome, pages = read(path)
        score.seconds += time.perf_counter() - started
        score.pages += pages
        score.ocr_seconds.extend(outcome.ocr_seconds.values())
        score.add(name, entry, outcome)
    return score


def _entries(
    folder: pathlib.Path, prefix: str
) -> list[tuple[str, pathlib.Path, dict[str, object]]]:
    if not (folder / "expected.json").exists():
        return []
    return [
        (f"{folder.name}/{e['file']}", folder / str(e["file"]), e)
        for e in load_gold(folder)
        if str(e["file"]).startswith(prefix)
    ]


def synthetic(kind: str) -> list[tuple[str, pathlib.Path, dict[str, object]]]:
    """The synthetic set's files of one kind (text, embedded, xml, scanned)."""
    folder = CORPUS / "synthetic"
    if not (folder / "expected.json").exists():
        return []
    out = []
    for e in load_gold(folder):
        name = e["files"].get(kind) if isinstance(e.get("files"), dict) else None  # type: ignore[union-attr]
        if name:
            out.append((f"synthetic/{name}", folder / str(name), e))
    return out


def run_set(name: str) -> Score:
    public = CORPUS / "public"
    if name == "text":
        return run_text_set()
    if name == "embedded":
        return _run(_entries(public, "pdf/") + synthetic("embedded"), _pdf)
    if name == "xml":
        return _run(_entries(public, "xml/") + synthetic("xml"), _xml)
    if name == "scanned":
        real = _run(_entries(public, "pdf/"), _scanned)
        extra = _run(synthetic("scanned"), _pdf)
        merged = _merge(real, extra)
        merged.parts = {"public (real layouts)": real, "synthetic": extra}
        return merged
    if name == "invoice2data":
        items = [
            (f"invoice2data/{e['file']}", INVOICE2DATA / str(e["file"]), e)
            for e in load_gold(INVOICE2DATA)
        ]
        return _run(items, _pdf)
    raise ValueError(name)


def run_text_set() -> Score:
    """Public PDFs with the XML removed plus the synthetic text-only PDFs."""
    score = _run(_entries(CORPUS / "public", "pdf/"), _text_only)
    extra = _run(synthetic("text"), _pdf)
    merged = _merge(score, extra)
    merged.parts = {"public (real layouts)": score, "synthetic": extra}
    return merged


def _merge(a: Score, b: Score) -> Score:
    out = Score()
    for key in out.scored:
        out.scored[key] = a.scored[key] + b.scored[key]
        out.correct[key] = a.correct[key] + b.correct[key]
    out.invoices = a.invoices + b.invoices
    out.all_right = a.all_right + b.all_right
    out.pages = a.pages + b.pages
    out.seconds = a.seconds + b.seconds
    out.misses = a.misses + b.misses
    out.ocr_seconds = a.ocr_seconds + b.ocr_seconds
    return out


def report(name: str, score: Score, misses: bool) -> None:
    speed = score.pages / score.seconds if score.seconds else 0.0
    print(
        f"\n[{name}] {score.invoices} invoices, {score.pages} pages: fields right "
        f"{score.share():.1%}, invoices with every field right "
        f"{score.all_right}/{score.invoices} ({score.all_right / max(score.invoices, 1):.1%}), "
        f"{speed:.1f} pages/s"
    )
    if score.ocr_seconds:
        times = sorted(score.ocr_seconds)
        print(
            f"  OCR: {len(times)} pages, median {times[len(times) // 2]:.2f} s/page, "
            f"max {times[-1]:.2f} s (shares the machine with whatever else runs)"
        )
    for part, sub in score.parts.items():
        print(
            f"  {part}: {sub.invoices} invoices, fields right {sub.share():.1%}, every field "
            f"right {sub.all_right}/{sub.invoices}"
        )
    for key, api_name in (FIELDS | BOOKING).items():
        if not score.scored[key]:
            continue
        tag = "" if key in FIELDS else "  (booking)"
        print(
            f"  {api_name:<14} {score.correct[key]:>4}/{score.scored[key]:<4} "
            f"{score.field_share(key):7.1%}{tag}"
        )
    if misses and score.misses:
        print("  misses:")
        for line in score.misses:
            print(f"    {line}")


def main(argv: list[str]) -> int:
    chosen = [argv[i + 1] for i, a in enumerate(argv) if a == "--set" and i + 1 < len(argv)]
    for name in chosen:
        if name not in SETS:
            print(f"unknown set {name!r}; one of {', '.join(SETS)}", file=sys.stderr)
            return 2
    show_misses = "--misses" in argv
    print(f"Field extraction over the development corpus in {CORPUS}")
    for name in chosen or SETS:
        report(name, run_set(name), show_misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
