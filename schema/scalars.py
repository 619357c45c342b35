"""Scalars with the contract's descriptions and strict parsing (money is never a float)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import strawberry
from strawberry.types.scalar import ScalarDefinition


def _parse_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError('Decimal must be a string such as "1234.50" (never a float)')
    try:
        return decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise ValueError(f'Decimal must be a string such as "1234.50"; got {value!r}') from None


def _serialize_decimal(value: Any) -> str:
    return f"{decimal.Decimal(value):f}"


def _parse_date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise ValueError("Date must be an ISO 8601 calendar date string (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"Date must be an ISO 8601 calendar date (YYYY-MM-DD); got {value!r}"
        ) from None


def _parse_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string with an offset")
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"DateTime must be ISO 8601 with an offset; got {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"DateTime needs a UTC offset (e.g. 2026-01-31T12:00:00Z); got {value!r}")
    return parsed


DecimalScalar: ScalarDefinition = strawberry.scalar(
    name="Decimal",
    description='Money as a decimal string, e.g. "1234.50"; never a float.',
    serialize=_serialize_decimal,
    parse_value=_parse_decimal,
)
DateScalar: ScalarDefinition = strawberry.scalar(
    name="Date",
    description="ISO 8601 calendar date, e.g. 2026-01-31.",
    serialize=lambda v: v.isoformat(),
    parse_value=_parse_date,
)
DateTimeScalar: ScalarDefinition = strawberry.scalar(
    name="DateTime",
    description="ISO 8601 date and time with a UTC offset, e.g. 2026-01-31T12:00:00+00:00.",
    serialize=lambda v: v.isoformat(),
    parse_value=_parse_datetime,
)

SCALARS: dict[object, ScalarDefinition] = {
    decimal.Decimal: DecimalScalar,
    dt.date: DateScalar,
    dt.datetime: DateTimeScalar,
}
