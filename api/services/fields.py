"""The invoice fields, defined once: their camelCase keys, kinds, descriptions, validation of
reviewer input, and the effective fields (reviewed if present, else extracted) that the list, the
exports and the UI use.

``FIELDS`` is the one list of invoice field names in Paperlane. The worker's extractor, the
GraphQL types and inputs (``schema.types``, ``schema.inputs``), the REST models
(``api.routes.serializers``) and both exports (``api.services.exports``) are derived from it, so a
field added here appears everywhere (API.md, "E-invoices and booking fields").

Stored form (``structured_output_json["fields"]`` and ``reviewed_output_json``): camelCase keys,
amounts, rates and quantities as decimal strings, dates as ISO strings, absent or ``None`` when
unknown; ``taxBreakdown`` and ``lineItems`` as lists of objects keyed by their item fields (an
empty list when unknown).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from api import invoice_checks
from api.errors import ValidationFailed
from api.ids import ECHO_CHARS, shown
from api.invoice_checks import iban_is_valid, normalize_iban
from api.services.currencies import is_currency
from db.models import ExtractedResult


class Kind(StrEnum):
    """How a field's value is validated, stored and typed in the APIs."""

    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"  # money: at most 2 decimal places, within NUMERIC(18, 2)
    DECIMAL = "decimal"  # quantities and unit prices: at most 6 decimal places
    RATE = "rate"  # a tax rate in percent, 0..100, at most 2 decimal places
    CURRENCY = "currency"
    STATUS = "status"
    IBAN = "iban"
    BIC = "bic"
    VAT_ID = "vat_id"


NUMERIC_KINDS = frozenset({Kind.AMOUNT, Kind.DECIMAL, Kind.RATE})


def snake(name: str) -> str:
    """``sellerVatId`` → ``seller_vat_id`` (Python attributes and CSV columns)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Field:
    """One scalar field (of the invoice, or of a tax breakdown row or a line item)."""

    name: str  # camelCase key
    kind: Kind
    description: str
    limit: int = 500  # the length limit of TEXT values

    @property
    def attr(self) -> str:
        return snake(self.name)


@dataclass(frozen=True)
class ListField:
    """A list of rows (``taxBreakdown``, ``lineItems``): replaced whole by a review."""

    name: str
    item_type: str  # the GraphQL type name of one row
    description: str
    item_description: str
    items: tuple[Field, ...]
    max_items: int

    @property
    def attr(self) -> str:
        return snake(self.name)


TAX_BREAKDOWN_ITEMS = (
    Field("rate", Kind.RATE, "Tax rate in percent, e.g. 19.00."),
    Field("netAmount", Kind.AMOUNT, "Net amount taxed at this rate."),
    Field("taxAmount", Kind.AMOUNT, "Tax at this rate."),
)
LINE_ITEM_FIELDS = (
    Field("description", Kind.TEXT, "What was sold.", limit=1000),
    Field("quantity", Kind.DECIMAL, "Quantity (negative on credit lines)."),
    Field("unit", Kind.TEXT, 'Unit of the quantity, e.g. "h", "Stk", or a UN/ECE code.', limit=50),
    Field("unitPrice", Kind.DECIMAL, "Net price per unit."),
    Field("netAmount", Kind.AMOUNT, "Net amount of the line."),
    Field("taxRate", Kind.RATE, "Tax rate of the line in percent."),
)
MAX_TAX_RATES = 50
MAX_LINE_ITEMS = 500

FIELDS: tuple[Field | ListField, ...] = (
    Field("vendorName", Kind.TEXT, "Who issued the invoice (the seller).", limit=500),
    Field("invoiceNumber", Kind.TEXT, "The invoice's number.", limit=100),
    Field("invoiceDate", Kind.DATE, "Date of issue."),
    Field("dueDate", Kind.DATE, "Payment due date."),
    Field(
        "totalAmount", Kind.AMOUNT, "Total including tax (amount due); negative for credit notes."
    ),
    Field("taxAmount", Kind.AMOUNT, "Tax included in the total, over all rates."),
    Field("currency", Kind.CURRENCY, "ISO 4217 code, e.g. EUR."),
    Field("status", Kind.STATUS, "Payment status printed on the invoice (PAID, DUE), else null."),
    Field("netAmount", Kind.AMOUNT, "Total without tax."),
    Field("sellerVatId", Kind.VAT_ID, "The seller's VAT identification number, e.g. DE123456789."),
    Field("buyerName", Kind.TEXT, "Who the invoice is addressed to (the buyer).", limit=500),
    Field("iban", Kind.IBAN, "The seller's IBAN for payment (checksum-validated), no spaces."),
    Field("bic", Kind.BIC, "The BIC of the seller's bank."),
    Field("orderReference", Kind.TEXT, "Purchase order number or buyer reference.", limit=200),
    Field("paymentTerms", Kind.TEXT, "Payment terms as printed.", limit=1000),
    ListField(
        "taxBreakdown",
        "TaxBreakdownLine",
        "Tax by rate; empty when unknown.",
        "The net amount and tax at one tax rate.",
        TAX_BREAKDOWN_ITEMS,
        MAX_TAX_RATES,
    ),
    ListField(
        "lineItems",
        "LineItem",
        "The invoice lines, in order; empty when unknown.",
        "One invoice line.",
        LINE_ITEM_FIELDS,
        MAX_LINE_ITEMS,
    ),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
SCALAR_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if isinstance(f, Field))
LIST_FIELDS: tuple[ListField, ...] = tuple(f for f in FIELDS if isinstance(f, ListField))
SCALAR_NAMES: tuple[str, ...] = tuple(f.name for f in SCALAR_FIELDS)
LIST_NAMES: tuple[str, ...] = tuple(f.name for f in LIST_FIELDS)
BY_NAME: dict[str, Field | ListField] = {f.name: f for f in FIELDS}
# Scalar fields whose values are numbers (written to CSV as they are, never neutralised).
NUMERIC_FIELDS = frozenset(f.name for f in SCALAR_FIELDS if f.kind in NUMERIC_KINDS)
AMOUNT_FIELDS = tuple(f.name for f in SCALAR_FIELDS if f.kind is Kind.AMOUNT)

# Printed payment statuses a reviewer may record (the extractor produces PAID and DUE).
PAYMENT_STATUSES = frozenset({"PAID", "DUE", "PARTIALLY_PAID", "OVERDUE", "UNPAID"})
MAX_AMOUNT = Decimal("9999999999999999.99")  # NUMERIC(18, 2)
MAX_DECIMAL = Decimal("999999999999")
BIC_SHAPE = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
# Loose: a two-letter country prefix (EL for Greece, XI for Northern Ireland) and 2..13 letters,
# digits, "+" or "*" (the member states' formats differ too much to check each).
VAT_ID_SHAPE = re.compile(r"[A-Z]{2}[0-9A-Z+*]{2,13}")


def _normalise_list(value: Any, spec: ListField) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [
        {item.name: row.get(item.name) for item in spec.items}
        for row in value
        if isinstance(row, Mapping)
    ]


def normalise(fields: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every key of ``FIELDS``, in order (lists as lists); unknown keys dropped."""
    fields = fields or {}
    return {
        f.name: _normalise_list(fields.get(f.name), f)
        if isinstance(f, ListField)
        else fields.get(f.name)
        for f in FIELDS
    }


def extracted_fields(result: ExtractedResult) -> dict[str, Any]:
    return normalise((result.structured_output_json or {}).get("fields"))


def reviewed_fields(result: ExtractedResult) -> dict[str, Any] | None:
    if result.reviewed_output_json is None:
        return None
    return normalise(result.reviewed_output_json)


def effective_fields(result: ExtractedResult) -> dict[str, Any]:
    reviewed = reviewed_fields(result)
    return reviewed if reviewed is not None else extracted_fields(result)


# -- validation of a reviewer's input ------------------------------------------------------------


def _decimal(name: str, value: Any, places: int, bound: Decimal, example: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValidationFailed(f'{name} must be a decimal string like "{example}"', field=name)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed(
            f'{name} must be a decimal string like "{example}"; got {shown(value)}', field=name
        ) from None
    if not number.is_finite():
        raise ValidationFailed(f"{name} must be a finite number", field=name)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise ValidationFailed(f"{name} may have at most {places} decimal places", field=name)
    if abs(number) > bound:
        raise ValidationFailed(f"{name} is too large", field=name)
    return number


def _amount(name: str, value: Any) -> str:
    amount = _decimal(name, value, 2, MAX_AMOUNT, "1234.50")
    return f"{amount.quantize(Decimal('0.01')):f}"


def _rate(name: str, value: Any) -> str:
    rate = _decimal(name, value, 2, Decimal(100), "19.00")
    if rate < 0:
        raise ValidationFailed(f"{name} must be a percentage between 0 and 100", field=name)
    return f"{rate.quantize(Decimal('0.01')):f}"


def _plain_decimal(name: str, value: Any) -> str:
    number = _decimal(name, value, 6, MAX_DECIMAL, "1.5")
    return f"{number:f}"


def _date(name: str, value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValidationFailed(
        f"{name} must be an ISO date (YYYY-MM-DD); got {shown(value)}", field=name
    )


def _text(name: str, value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} must be a string", field=name)
    cleaned = " ".join(value.split())
    # NUL cannot be stored in PostgreSQL JSON; no control character belongs in a field.
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise ValidationFailed(f"{name} must not contain control characters", field=name)
    if len(cleaned) > limit:
        raise ValidationFailed(f"{name} is longer than {limit} characters", field=name)
    return cleaned or None


def _compact(name: str, value: Any, limit: int) -> str | None:
    """Identifiers printed in groups (IBAN, BIC, VAT id): upper case, spaces removed."""
    text = _text(name, value, limit)
    return normalize_iban(text) if text else None


def _scalar(spec: Field, name: str, value: Any) -> Any:
    """One validated, normalised value; ``name`` is the path reported in errors."""
    if value is None:
        return None
    kind = spec.kind
    if kind is Kind.AMOUNT:
        return _amount(name, value)
    if kind is Kind.RATE:
        return _rate(name, value)
    if kind is Kind.DECIMAL:
        return _plain_decimal(name, value)
    if kind is Kind.DATE:
        return _date(name, value)
    if kind is Kind.CURRENCY:
        code = _text(name, value, 3)
        code = code.upper() if code else None
        if code is not None and not is_currency(code):
            raise ValidationFailed(
                f"{name} must be an ISO 4217 code such as EUR or USD; got {shown(value)}",
                field=name,
            )
        return code
    if kind is Kind.STATUS:
        status = _text(name, value, 32)
        status = status.upper().replace(" ", "_") if status else None
        if status is not None and status not in PAYMENT_STATUSES:
            allowed = ", ".join(sorted(PAYMENT_STATUSES))
            raise ValidationFailed(f"{name} must be one of {allowed}", field=name)
        return status
    if kind is Kind.IBAN:
        iban = _compact(name, value, 50)
        if iban is not None and not iban_is_valid(iban):
            raise ValidationFailed(
                f"{name} is not a valid IBAN (country, length or checksum wrong)", field=name
            )
        return iban
    if kind is Kind.BIC:
        bic = _compact(name, value, 20)
        if bic is not None and not BIC_SHAPE.fullmatch(bic):
            raise ValidationFailed(
                f"{name} must be a BIC of 8 or 11 characters, e.g. COBADEFFXXX", field=name
            )
        return bic
    if kind is Kind.VAT_ID:
        vat_id = _compact(name, value, 30)
        if vat_id is not None and not VAT_ID_SHAPE.fullmatch(vat_id):
            raise ValidationFailed(
                f"{name} must be a VAT id: a country prefix and 2 to 13 letters or digits, "
                "e.g. DE123456789",
                field=name,
            )
        return vat_id
    return _text(name, value, spec.limit)


def _rows(spec: ListField, value: Any) -> list[dict[str, Any]]:
    """A whole replacement list: each row an object of the item fields (missing keys = null)."""
    if not isinstance(value, (list, tuple)):
        raise ValidationFailed(f"{spec.name} must be a list", field=spec.name)
    if len(value) > spec.max_items:
        raise ValidationFailed(
            f"{spec.name} may have at most {spec.max_items} entries; got {len(value)}",
            field=spec.name,
        )
    names = {item.name for item in spec.items}
    rows = []
    for index, row in enumerate(value):
        where = f"{spec.name}[{index}]"
        if not isinstance(row, Mapping):
            raise ValidationFailed(f"{where} must be an object", field=where)
        for key in row:
            if key not in names:
                raise ValidationFailed(f"unknown field {shown(key)} in {where}", field=where)
        rows.append(
            {
                item.name: _scalar(item, f"{where}.{item.name}", row.get(item.name))
                for item in spec.items
            }
        )
    return rows


def validate_patch(patch: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise a reviewer's partial update (key present = change it; ``None`` = clear
    it, for a list: empty it; a list is replaced whole). Raises ValidationFailed naming the first
    bad field."""
    clean: dict[str, Any] = {}
    for name, value in patch.items():
        spec = BY_NAME.get(name)
        if spec is None:
            # A client's key is echoed cut short: it may be megabytes long.
            raise ValidationFailed(f"unknown field {shown(name)}", field=str(name)[:ECHO_CHARS])
        if isinstance(spec, ListField):
            clean[name] = [] if value is None else _rows(spec, value)
        else:
            clean[name] = _scalar(spec, name, value)
    return clean


# -- checks ---------------------------------------------------------------------------------------

# The checks ``run_checks`` computes (the module's NAME = "NAME" constants): recomputed from the
# effective fields on every read, so a reviewer's correction updates them.
_RECOMPUTED = frozenset(
    value for key, value in vars(invoice_checks).items() if isinstance(value, str) and key == value
)


def _stored_check(item: Any) -> dict[str, Any] | None:
    if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
        return None
    if item["name"] in _RECOMPUTED:
        return None
    fields = item.get("fields")
    return {
        "name": item["name"],
        "passed": bool(item.get("passed")),
        "message": str(item.get("message") or ""),
        "fields": [str(f) for f in fields] if isinstance(fields, list) else [],
    }


def checks_of(result: ExtractedResult) -> list[dict[str, Any]]:
    """The checks shown with an extraction: the arithmetic and checksum checks run on the
    effective fields, then the rule results the extractor stored that cannot be recomputed from
    the fields (the EN 16931 business rules of an XML invoice, as received)."""
    stored = (result.structured_output_json or {}).get("checks")
    kept = [c for c in map(_stored_check, stored if isinstance(stored, list) else []) if c]
    return [*invoice_checks.run_checks(effective_fields(result)), *kept]


def checks_hold(checks: list[dict[str, Any]]) -> bool:
    """The one meaning of "the checks hold" (bulk finalize, straight-through, the review page's
    "All checks hold"): at least one check ran, and every check passed.

    Not vacuous truth on purpose. A check only runs when its inputs were read (net, tax and
    total; a tax breakdown; an IBAN), so a document with no checks is one whose amounts nothing
    could cross-check: an accounts team finalizing it unread, in bulk or by a rule, books figures
    nobody and nothing verified. Such a document is finalized one at a time, by a person."""
    return bool(checks) and all(check["passed"] for check in checks)


# -- a readable text of the fields -----------------------------------------------------------------


def _label(spec: Field | ListField) -> str:
    return snake(spec.name).replace("_", " ").capitalize()


def readable_text(fields: Mapping[str, Any]) -> str:
    """The invoice as plain text, one field a line, then its tax rates and lines: the text of a
    document that has no printed pages (an e-invoice XML uploaded alone), for search and
    ``rawText``."""
    fields = normalise(fields)
    lines = [f"{_label(spec)}: {fields[spec.name]}" for spec in SCALAR_FIELDS if fields[spec.name]]
    for spec in LIST_FIELDS:
        rows = fields[spec.name]
        if not rows:
            continue
        lines.append(f"{_label(spec)}:")
        for number, row in enumerate(rows, start=1):
            cells = [
                f"{_label(item).lower()} {row[item.name]}"
                for item in spec.items
                if row[item.name] not in (None, "")
            ]
            lines.append(f"{number}. " + "; ".join(cells))
    return "\n".join(lines)
