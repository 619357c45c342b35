"""Field extraction: embedded e-invoice XML first (exact), the positional text path for the rest.

``extract_fields`` is what the worker pipeline and ``paperlane extract`` call. The text path never
uses per-vendor templates: see ``references``, ``money`` and ``vendor`` for the general rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from worker.extraction import money, references
from worker.extraction.candidates import Candidate
from worker.extraction.currency import count_currencies
from worker.extraction.dates import numeric_order
from worker.extraction.einvoice import find_einvoice
from worker.extraction.layout import Layout
from worker.extraction.parse import ParsedDocument
from worker.extraction.vendor import vendor

FIELD_NAMES = (
    "vendorName",
    "invoiceNumber",
    "invoiceDate",
    "dueDate",
    "totalAmount",
    "taxAmount",
    "currency",
    "status",
)
_MONTH_FIRST_CURRENCIES = {"USD"}


@dataclass
class ExtractionOutcome:
    fields: dict[str, str | None]
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"fields": dict(self.fields), "evidence": [dict(e) for e in self.evidence]}


def _text_candidates(doc: ParsedDocument) -> dict[str, Candidate | None]:
    layout = Layout(doc)
    currencies = count_currencies(doc.raw_text)
    month_first = bool(currencies) and currencies.most_common(1)[0][0] in _MONTH_FIRST_CURRENCIES
    order = numeric_order(doc.raw_text, month_first_locale=month_first)
    grand_total = money.total(layout)
    invoice_date, due_date = references.dates(layout, order)
    return {
        "vendorName": vendor(layout),
        "invoiceNumber": references.invoice_number(layout),
        "invoiceDate": invoice_date,
        "dueDate": due_date,
        "totalAmount": grand_total.candidate if grand_total else None,
        "taxAmount": money.tax(layout, grand_total),
        "currency": money.currency(grand_total, currencies),
        "status": references.payment_status(layout),
    }


def extract_fields(doc: ParsedDocument) -> ExtractionOutcome:
    found = _text_candidates(doc)
    xml = find_einvoice(doc.embedded_files)
    fields: dict[str, str | None] = {}
    evidence = []
    for name in FIELD_NAMES:
        text_candidate = found[name]
        xml_value = xml.get(name) if xml else None
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
                    "source": "embedded_xml",
                }
            )
        elif text_candidate is not None:
            fields[name] = text_candidate.value
            evidence.append(text_candidate.evidence(name))
        else:
            fields[name] = None
    return ExtractionOutcome(fields=fields, evidence=evidence)
