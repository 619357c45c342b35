"""Extraction tests are plain sync unit tests on PDFs built in a temp folder: no servers."""

from __future__ import annotations

import pathlib

from worker.extraction import ExtractionOutcome, extract_fields, parse_pdf


def extract(path: pathlib.Path) -> ExtractionOutcome:
    return extract_fields(parse_pdf(path))
