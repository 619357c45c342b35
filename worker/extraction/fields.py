"""Field extraction: e-invoice XML first (exact), the positional text path for the rest.

``extract_fields`` is what the worker pipeline and ``paperlane extract`` call for a PDF;
``extract_xml`` reads an e-invoice uploaded on its own. The text path never uses per-vendor
templates: see ``references``, ``money``, ``booking`` and ``vendor`` for the general rules.

The outcome's JSON (``ExtractionOutcome.to_json``) is the contract with the API:
``{"fields": {...}, "evidence": [{field, confidence, page, bbox, source}], "checks": [...]}``.
Checks come from ``api.invoice_checks`` (the same code the API re-runs after a review edit) plus,
for XML, the EN 16931 business rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from api.invoice_checks import LINES_SUM_TO_NET, run_checks
from api.services.fields import LIST_NAMES as LIST_FIELDS  # the names are defined once, there
from api.services.fields import SCALAR_NAMES as FIELD_NAMES
from worker.extraction import booking, money, references
from worker.extraction.candidates import Candidate
from worker.extraction.currency import count_currencies
from worker.extraction.dates import numeric_order
from worker.extraction.einvoice import EInvoice, EInvoiceError, find_einvoice, read
from worker.extraction.layout import Layout
from worker.extraction.parse import ParsedDocument
from worker.extraction.vendor import vendor

_MONTH_FIRST_CURRENCIES = {"USD"}
# How a check's result moves the confidence of a text-path value it covers.
_CHECK_PASSED_BONUS = 0.15
_CHECK_FAILED_FACTOR = 0.6


@dataclass
class ExtractionOutcome:
    fields: dict[str, Any]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    # Seconds spent on OCR per OCR'd page (page number -> seconds); empty without OCR.
    ocr_seconds: dict[int, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "fields": {
                k: ([dict(item) for item in v] if isinstance(v, list) else v)
                for k, v in self.fields.items()
            },
            "evidence": [dict(e) for e in self.evidence],
            "checks": [dict(c) for c in self.checks],
        }


def _text_candidates(doc: ParsedDocument) -> tuple[dict[str, Candidate | None], dict[str, Any]]:
    """Scalar candidates and the two lists, from the page text."""
    layout = Layout(doc)
    currencies = count_currencies(doc.raw_text)
    month_first = bool(currencies) and currencies.most_common(1)[0][0] in _MONTH_FIRST_CURRENCIES
    order = numeric_order(doc.raw_text, month_first_locale=month_first)
    amounts = money.amounts(layout)
    invoice_date, due_date = references.dates(layout, order)
    found: dict[str, Candidate | None] = {
        "vendorName": vendor(layout),
        "invoiceNumber": references.invoice_number(layout),
        "invoiceDate": invoice_date,
        "dueDate": due_date,
        "totalAmount": amounts.total,
        "taxAmount": amounts.tax,
        "currency": money.currency(amounts.total_money, currencies),
        "status": references.payment_status(layout),
        "netAmount": amounts.net,
    }
    found.update(booking.scalars(layout, found["vendorName"]))
    lines = _confirmed_lines(booking.line_items(layout), found["netAmount"])
    lists = {"taxBreakdown": amounts.breakdown, "lineItems": lines}
    if booking.is_credit_note(layout):
        _negate_credit_note(found, lists)
    return found, lists


def _confirmed_lines(lines: list[dict[str, Any]], net: Candidate | None) -> list[dict[str, Any]]:
    """Line items read from text, kept only when they add up to the net amount (when one was
    read). A partly read table (a wrapped row, a subtotal taken for a line, prices with VAT)
    would otherwise fail LINES_SUM_TO_NET on an invoice whose amounts are right, and block the
    bulk and straight-through rules for a table nobody books from."""
    if not lines or net is None:
        return lines
    checks = run_checks({"netAmount": net.value, "lineItems": lines})
    held = all(c["passed"] for c in checks if c["name"] == LINES_SUM_TO_NET)
    return lines if held else []


def _negative(value: str) -> str:
    """A printed positive amount of a credit note, as the negative Paperlane reports."""
    if value.startswith("-") or Decimal(value) == 0:
        return value
    return "-" + value


def _negate_credit_note(found: dict[str, Candidate | None], lists: dict[str, Any]) -> None:
    """A credit note's amounts are negative: printed positive, they turn; printed with the total
    negative and tax or net positive (a summary printing magnitudes), they follow the total."""
    total = found.get("totalAmount")
    if total is None:
        return
    if total.value.startswith("-"):
        for name in ("taxAmount", "netAmount"):
            c = found.get(name)
            if c is not None:
                found[name] = replace(c, value=_negative(c.value))
        return
    for name in ("totalAmount", "taxAmount", "netAmount"):
        c = found.get(name)
        if c is not None:
            found[name] = replace(c, value=_negative(c.value))
    for entry in [*lists["taxBreakdown"], *lists["lineItems"]]:
        for key in ("netAmount", "taxAmount"):
            if entry.get(key) is not None:
                entry[key] = _negative(entry[key])


def _adjust_confidence(evidence: list[dict[str, Any]], checks: list[dict[str, Any]]) -> None:
    """A text value whose arithmetic check held is more certain; one whose check failed less
    (the review screen marks it). XML values stay at 1.0: they are what the issuer sent."""
    for item in evidence:
        if item["source"] in ("xml", "embedded_xml"):
            continue
        related = [c for c in checks if item["field"] in c["fields"]]
        if not related:
            continue
        confidence = float(item["confidence"])
        if all(c["passed"] for c in related):
            confidence = min(1.0, confidence + _CHECK_PASSED_BONUS)
        else:
            confidence *= _CHECK_FAILED_FACTOR
        item["confidence"] = round(confidence, 3)


def _merge(
    found: dict[str, Candidate | None],
    lists: dict[str, Any],
    xml: EInvoice | None,
    xml_source: str,
) -> ExtractionOutcome:
    fields: dict[str, Any] = {}
    evidence: list[dict[str, Any]] = []
    for name in FIELD_NAMES:
        text_candidate = found.get(name)
        xml_value = xml.fields.get(name) if xml else None
        if xml_value is not None:
            # Exact value from the XML; point at the printed copy when the text path agrees.
            same = text_candidate if text_candidate and text_candidate.value == xml_value else None
            fields[name] = xml_value
            evidence.append(
                {
                    "field": name,
                    "confidence": 1.0,
                    "page": same.page if same else None,
                    "bbox": same.evidence(name)["bbox"] if same else None,
                    "source": xml_source,
                }
            )
        elif text_candidate is not None:
            fields[name] = text_candidate.value
            evidence.append(text_candidate.evidence(name))
        else:
            fields[name] = None
    for name in LIST_FIELDS:
        xml_list = xml.fields.get(name) if xml else None
        if xml_list:
            fields[name] = xml_list
            evidence.append(
                {"field": name, "confidence": 1.0, "page": None, "bbox": None, "source": xml_source}
            )
        else:
            fields[name] = lists.get(name) or []
            if fields[name]:
                evidence.append(
                    {"field": name, "confidence": 0.6, "page": None, "bbox": None, "source": "text"}
                )
    checks = run_checks(fields)
    if xml is not None:
        checks.extend(xml.checks)
    _adjust_confidence(evidence, checks)
    return ExtractionOutcome(fields=fields, evidence=evidence, checks=checks)


def extract_fields(doc: ParsedDocument) -> ExtractionOutcome:
    """All fields of a parsed PDF: embedded e-invoice XML (found by content) over page text."""
    found, lists = _text_candidates(doc)
    xml = find_einvoice(doc.embedded_files)
    outcome = _merge(found, lists, xml, "embedded_xml")
    outcome.ocr_seconds = dict(doc.ocr_seconds)
    return outcome


def extract_xml(data: bytes) -> ExtractionOutcome:
    """An e-invoice uploaded on its own (XRechnung, UBL, Factur-X XML): every value exact.

    Raises ``EInvoiceError`` (a ``ValueError``) when the XML is refused (DTD, entities, too large),
    malformed, or not an e-invoice; call ``sniff_einvoice`` first to decide whether to accept it.
    """
    xml = read(data)
    return _merge({}, {}, xml, "xml")


__all__ = ["FIELD_NAMES", "EInvoiceError", "ExtractionOutcome", "extract_fields", "extract_xml"]
