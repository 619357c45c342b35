"""PDF parsing and invoice field extraction: the worker's pipeline steps, `paperlane extract`.

``extract_fields(parse_pdf(path))`` for a PDF; ``sniff_einvoice(data)`` then ``extract_xml(data)``
for an e-invoice XML uploaded on its own.
"""

from worker.extraction.einvoice import EInvoiceError, sniff_einvoice
from worker.extraction.fields import ExtractionOutcome, extract_fields, extract_xml
from worker.extraction.parse import ParsedDocument, ParsedPage, parse_pdf

__all__ = [
    "EInvoiceError",
    "ExtractionOutcome",
    "ParsedDocument",
    "ParsedPage",
    "extract_fields",
    "extract_xml",
    "parse_pdf",
    "sniff_einvoice",
]
