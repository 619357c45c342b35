"""Field-extraction accuracy and speed over the invoice2data gold set.

    python tests/bench/bench_extract.py            # from the repository root

The corpus folder comes from ``PAPERLANE_CORPUS_DIR`` (default ``../shared/corpus/invoice2data``
relative to the repository root). Scoring follows the corpus README:
- vendor: loosely, case-insensitive, ignoring punctuation and legal suffixes (GmbH, B.V., Inc, …);
  a name that is a whole-word part of the other counts ("Sammy Maystone" for the template's
  "Sammy Maystone - For Lines testing");
- invoice number: ignoring spaces and a leading ``#``;
- amounts compared as decimals; ``tax_is_derived`` gold values are total minus subtotal already;
- ``null`` gold values are not scored.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import sys
import time
from decimal import Decimal

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
    "gmbh", "ag", "se", "kg", "bv", "b", "v", "nv", "sas", "sarl", "sa", "spa", "srl", "sl",
    "ltd", "limited", "llc", "inc", "corp", "corporation", "plc", "llp", "pvt", "private",
    "co", "sp", "z", "o",
}
REPEATS = 5  # timing passes over the corpus


def corpus_dir() -> pathlib.Path:
    return pathlib.Path(
        os.environ.get("PAPERLANE_CORPUS_DIR", ROOT.parent / "shared" / "corpus" / "invoice2data")
    )


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


def main() -> int:
    folder = corpus_dir()
    if not (folder / "expected.json").exists():
        print(f"corpus not found at {folder} (set PAPERLANE_CORPUS_DIR)", file=sys.stderr)
        return 2
    gold = load_gold(folder)
    scored = {key: 0 for key in FIELDS}
    correct = {key: 0 for key in FIELDS}
    misses = []
    from_xml = []
    for entry in gold:
        doc = parse_pdf(folder / str(entry["file"]))
        outcome = extract_fields(doc)
        fields = outcome.fields
        if any(e["source"] == "embedded_xml" for e in outcome.evidence):
            from_xml.append(str(entry["file"]))
        for key, field in FIELDS.items():
            expected = entry.get(key)
            if expected is None:
                continue
            scored[key] += 1
            if matches(key, str(expected), fields[field]):
                correct[key] += 1
            else:
                got = fields[field]
                misses.append(f"{entry['file']}: {field} expected {expected!r}, got {got!r}")

    pages = 0
    parsing = extracting = 0.0
    for _ in range(REPEATS):
        for entry in gold:
            started = time.perf_counter()
            doc = parse_pdf(folder / str(entry["file"]))
            parsed = time.perf_counter()
            extract_fields(doc)
            parsing += parsed - started
            extracting += time.perf_counter() - parsed
            pages += doc.page_count
    elapsed = parsing + extracting
    runs = REPEATS * len(gold)

    print(f"Field extraction over {len(gold)} invoices in {folder}")
    for key, field in FIELDS.items():
        share = correct[key] / scored[key] if scored[key] else 0.0
        print(f"  {field:<14} {correct[key]:>3}/{scored[key]:<3} {share:7.1%}")
    total_ok, total = sum(correct.values()), sum(scored.values())
    print(f"  {'overall':<14} {total_ok:>3}/{total:<3} {total_ok / total:7.1%}")
    print(f"Speed: {pages / elapsed:.1f} pages/s; per invoice {parsing / runs * 1000:.1f} ms "
          f"parse + {extracting / runs * 1000:.1f} ms extract ({REPEATS} passes, one process)")
    if from_xml:
        print(f"Embedded e-invoice XML read from: {', '.join(from_xml)}")
    if misses:
        print("Misses:")
        for line in misses:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
