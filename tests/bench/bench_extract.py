"""Field-extraction accuracy and speed over the invoice2data gold set.

    python tests/bench/bench_extract.py            # from the repository root
    python tests/bench/bench_extract.py --ocr      # the same invoices as scans, through OCR

The corpus is ``tests/fixtures/corpus/invoice2data`` (in the repository). Scoring follows the corpus README:
- vendor: loosely, case-insensitive, ignoring punctuation and legal suffixes (GmbH, B.V., Inc, …);
  a name that is a whole-word part of the other counts ("Sammy Maystone" for the template's
  "Sammy Maystone - For Lines testing");
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
from dataclasses import dataclass, field
from decimal import Decimal

from tests.fixtures import INVOICE2DATA

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from worker.extraction import extract_fields, parse_pdf  # noqa: E402

# gold key -> extracted key
FIELDS = {
    "vendor": "vendorName",
    "invoice_number": "invoiceNumber",
    "invoice_date": "invoiceDate",
    "total_amount": "totalAmount",
    "tax_amount": "taxAmount",
    "currency": "currency",
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
}
REPEATS = 5  # timing passes over the corpus


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


def matches(gold_key: str, expected: str, got: str | None) -> bool:
    """Whether an extracted value counts as correct for a gold value (README rules)."""
    if got is None:
        return False
    if gold_key == "vendor":
        a, b = _vendor_tokens(expected), _vendor_tokens(got)
        return a == b or _contains(a, b) or _contains(b, a)
    if gold_key == "invoice_number":

        def norm(s: str) -> str:
            return re.sub(r"\s+", "", s).lstrip("#")

        return norm(expected) == norm(got)
    if gold_key in ("total_amount", "tax_amount"):
        return Decimal(expected) == Decimal(got)
    return expected == got


def load_gold(folder: pathlib.Path) -> list[dict[str, object]]:
    gold: list[dict[str, object]] = json.loads((folder / "expected.json").read_text())
    return gold


@dataclass
class Score:
    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    from_xml: list[str] = field(default_factory=list)  # files whose embedded XML was read


def score(gold: list[dict[str, object]], files: dict[str, pathlib.Path]) -> Score:
    """Per-field counts and misses for one pass over the set."""
    result = Score()
    for entry in gold:
        name = str(entry["file"])
        outcome = extract_fields(parse_pdf(files[name]))
        if any(e["source"] == "embedded_xml" for e in outcome.evidence):
            result.from_xml.append(name)
        for key, name_in_api in FIELDS.items():
            expected = entry.get(key)
            if expected is None:
                continue
            result.scored[key] += 1
            got = outcome.fields[name_in_api]
            if matches(key, str(expected), got):
                result.correct[key] += 1
            else:
                result.misses.append(f"{name}: {name_in_api} expected {expected!r}, got {got!r}")
    return result


def timing(files: list[pathlib.Path], repeats: int) -> tuple[int, float, float]:
    """(pages, seconds parsing, seconds extracting) over ``repeats`` passes."""
    pages = 0
    parsing = extracting = 0.0
    for _ in range(repeats):
        for path in files:
            started = time.perf_counter()
            doc = parse_pdf(path)
            parsed = time.perf_counter()
            extract_fields(doc)
            parsing += parsed - started
            extracting += time.perf_counter() - parsed
            pages += doc.page_count
    return pages, parsing, extracting


def main(argv: list[str]) -> int:
    folder = corpus_dir()
    if not (folder / "expected.json").exists():
        print(f"corpus not found at {folder}", file=sys.stderr)
        return 2
    gold = load_gold(folder)
    files = {str(e["file"]): folder / str(e["file"]) for e in gold}
    repeats = REPEATS
    scans = None
    if "--ocr" in argv:  # the same invoices as image-only scans: the OCR path end to end
        from tests.fixtures.invoices import write_scan

        scans = tempfile.TemporaryDirectory(prefix="paperlane-scans-")
        files = {
            name: write_scan(pathlib.Path(scans.name) / name, path) for name, path in files.items()
        }
        repeats = 1
    try:
        result = score(gold, files)
        pages, parsing, extracting = timing(list(files.values()), repeats)
    finally:
        if scans:
            scans.cleanup()

    scored, correct = result.scored, result.correct
    kind = "scanned (OCR) " if scans else ""
    print(f"Field extraction over {len(gold)} {kind}invoices in {folder}")
    for key, name_in_api in FIELDS.items():
        share = correct[key] / scored[key] if scored[key] else 0.0
        print(f"  {name_in_api:<14} {correct[key]:>3}/{scored[key]:<3} {share:7.1%}")
    total_ok, total = sum(correct.values()), sum(scored.values())
    print(f"  {'overall':<14} {total_ok:>3}/{total:<3} {total_ok / total:7.1%}")
    runs = repeats * len(gold)
    print(
        f"Speed: {pages / (parsing + extracting):.1f} pages/s; per invoice "
        f"{parsing / runs * 1000:.1f} ms parse + {extracting / runs * 1000:.1f} ms extract "
        f"({repeats} pass{'es' if repeats > 1 else ''}, one process)"
    )
    if result.from_xml:
        print(f"Embedded e-invoice XML read from: {', '.join(result.from_xml)}")
    if result.misses:
        print("Misses:")
        for line in result.misses:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
