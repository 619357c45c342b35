"""PDF parsing and invoice field extraction: the worker's pipeline steps, `paperlane extract`."""

from worker.extraction.fields import ExtractionOutcome, extract_fields
from worker.extraction.parse import ParsedDocument, ParsedPage, parse_pdf

__all__ = ["ExtractionOutcome", "ParsedDocument", "ParsedPage", "extract_fields", "parse_pdf"]
