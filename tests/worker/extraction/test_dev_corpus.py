"""Accuracy on the development corpus does not regress (scored like ``make bench-extract``).

Thresholds sit just under the figures measured when they were set (2026-11-30, see the corpus
README; text raised from 0.96 when the second synthetic series and its rules came in). On
2026-12-01 twelve unseen real layouts joined the text set: the extractor of the day scored the
larger set 96.6 % (the same code had 98.4 % on the old one), 97.2 % after the rules they
prompted, so the text threshold is re-based on the larger, harder set. Later that day: text
98.4 % on 145 (seven more real layouts), the public real layouts alone 93.6 %, the best guide
to unseen invoices (the synthetic set was built alongside the rules). Five more real layouts
(fourth round): public 94.4 % before their rules, 94.8 % after, so the public threshold is
0.94 now. Raise them when the extractor improves, never lower them to make a change pass.
"""

from __future__ import annotations

import shutil

import pytest

from tests.bench.bench_extract import BOOKING, FIELDS, _pdf, _run, run_set, synthetic

# set -> minimum share of scored fields right (headline fields)
THRESHOLDS = {
    "text": 0.98,
    "embedded": 0.995,
    "xml": 0.995,
    "invoice2data": 0.95,
}


@pytest.mark.parametrize("name", list(THRESHOLDS))
def test_set_accuracy_does_not_regress(name: str) -> None:
    score = run_set(name)
    assert score.invoices > 0
    assert score.share() >= THRESHOLDS[name], "\n".join(score.misses)


def test_real_layouts_text_accuracy_does_not_regress() -> None:
    public = run_set("text").parts["public (real layouts)"]
    assert public.share() >= 0.94, "\n".join(public.misses)


def test_xml_booking_fields_are_exact() -> None:
    score = run_set("xml")
    assert score.share(BOOKING) == 1.0, "\n".join(m for m in score.misses if "Amount" in m)


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract binary not installed")
def test_scanned_accuracy_does_not_regress() -> None:
    """One scan per language (the full scanned set runs in the bench: ~2 s a page)."""
    seen: set[str] = set()
    items = []
    for name, path, entry in synthetic("scanned"):
        if entry["lang"] not in seen:
            seen.add(str(entry["lang"]))
            items.append((name, path, entry))
    score = _run(items, _pdf)
    assert len(items) == 6
    assert score.share(FIELDS) >= 0.85, "\n".join(score.misses)
