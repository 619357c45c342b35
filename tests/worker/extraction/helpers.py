"""Shared helper: the worker's two steps on one file (no servers, no fixtures needed)."""

from __future__ import annotations

import pathlib

from worker.extraction import ExtractionOutcome, extract_fields, parse_pdf


def extract(path: pathlib.Path) -> ExtractionOutcome:
    return extract_fields(parse_pdf(path))
