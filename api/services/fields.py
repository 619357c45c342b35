"""The invoice fields: their camelCase keys, validation of reviewer input, and the effective
fields (reviewed if present, else extracted) that the list, the exports and the UI use.

Stored form (``structured_output_json["fields"]`` and ``reviewed_output_json``): camelCase keys,
amounts as decimal strings, dates as ISO strings, absent or ``None`` when unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from api.errors import ValidationFailed
from api.services.currencies import is_currency
from db.models import ExtractedResult

FIELD_NAMES: tuple[str, ...] = (
    "vendorName",
    "invoiceNumber",
    "invoiceDate",
    "dueDate",
    "totalAmount",
    "taxAmount",
    "currency",
    "status",
)
TEXT_FIELDS = {"vendorName": 500, "invoiceNumber": 100}
DATE_FIELDS = ("invoiceDate", "dueDate")
AMOUNT_FIELDS = ("totalAmount", "taxAmount")
# Printed payment statuses a reviewer may record (the extractor produces PAID and DUE).
PAYMENT_STATUSES = frozenset({"PAID", "DUE", "PARTIALLY_PAID", "OVERDUE", "UNPAID"})
MAX_AMOUNT = Decimal("9999999999999999.99")  # NUMERIC(18, 2)


def normalise(fields: Mapping[str, Any] | None) -> dict[str, Any]:
    """All eight keys, in order; unknown keys dropped."""
    fields = fields or {}
    return {name: fields.get(name) for name in FIELD_NAMES}


def extracted_fields(result: ExtractedResult) -> dict[str, Any]:
    return normalise((result.structured_output_json or {}).get("fields"))


def reviewed_fields(result: ExtractedResult) -> dict[str, Any] | None:
    if result.reviewed_output_json is None:
        return None
    return normalise(result.reviewed_output_json)


def effective_fields(result: ExtractedResult) -> dict[str, Any]:
    reviewed = reviewed_fields(result)
    return reviewed if reviewed is not None else extracted_fields(result)


def _amount(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValidationFailed(f'{name} must be a decimal string like "1234.50"', field=name)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed(
            f'{name} must be a decimal string like "1234.50"; got {value!r}', field=name
        ) from None
    if not amount.is_finite():
        raise ValidationFailed(f"{name} must be a finite number", field=name)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValidationFailed(f"{name} may have at most 2 decimal places", field=name)
    if abs(amount) > MAX_AMOUNT:
        raise ValidationFailed(f"{name} is too large", field=name)
    return f"{amount.quantize(Decimal('0.01')):f}"


def _date(name: str, value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValidationFailed(f"{name} must be an ISO date (YYYY-MM-DD); got {value!r}", field=name)


def _text(name: str, value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} must be a string", field=name)
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        raise ValidationFailed(f"{name} is longer than {limit} characters", field=name)
    return cleaned or None


def validate_patch(patch: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise a reviewer's partial update (key present = change it; ``None`` = clear
    it). Raises ValidationFailed naming the first bad field."""
    clean: dict[str, Any] = {}
    for name, value in patch.items():
        if name not in FIELD_NAMES:
            raise ValidationFailed(f"unknown field {name!r}", field=name)
        if value is None:
            clean[name] = None
        elif name in AMOUNT_FIELDS:
            clean[name] = _amount(name, value)
        elif name in DATE_FIELDS:
            clean[name] = _date(name, value)
        elif name == "currency":
            code = _text(name, value, 3)
            code = code.upper() if code else None
            if code is not None and not is_currency(code):
                raise ValidationFailed(
                    f"currency must be an ISO 4217 code such as EUR or USD; got {value!r}",
                    field=name,
                )
            clean[name] = code
        elif name == "status":
            status = _text(name, value, 32)
            status = status.upper().replace(" ", "_") if status else None
            if status is not None and status not in PAYMENT_STATUSES:
                allowed = ", ".join(sorted(PAYMENT_STATUSES))
                raise ValidationFailed(f"status must be one of {allowed}", field=name)
            clean[name] = status
        else:
            clean[name] = _text(name, value, TEXT_FIELDS[name])
    return clean
