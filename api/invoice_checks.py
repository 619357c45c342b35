"""Arithmetic and checksum checks over an invoice's booking fields (pure: stdlib only).

One implementation shared by the extractor (``worker.extraction``), which ranks candidates with it
and reports its results in ``Extraction.checks``, and by the API, which re-runs it after a reviewer
edits fields. Nothing here touches the database or imports worker code.

Input is the camelCase field mapping of ``API.md`` ("E-invoices and booking fields"): amounts are
decimal strings ("1234.50"), ``taxBreakdown`` a list of ``{rate, netAmount, taxAmount}`` and
``lineItems`` a list of ``{description, quantity, unit, unitPrice, netAmount, taxRate}``. A check
runs only when all of its inputs are present and parse as numbers; otherwise it is left out (absent
is not failed).

Rounding: every printed amount is rounded to the cent, so a sum of ``n`` rounded amounts may differ
from the rounded total by up to half a cent per addend. The tolerance is therefore 0.01 per addend
(``0.01 * n``, at least 0.01): ``net + tax`` has two addends, a breakdown or a line table one per
row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

NET_PLUS_TAX_EQUALS_TOTAL = "NET_PLUS_TAX_EQUALS_TOTAL"
TAX_BREAKDOWN_SUMS_TO_TAX = "TAX_BREAKDOWN_SUMS_TO_TAX"
BREAKDOWN_NET_SUMS_TO_NET = "BREAKDOWN_NET_SUMS_TO_NET"
LINES_SUM_TO_NET = "LINES_SUM_TO_NET"
IBAN_CHECKSUM = "IBAN_CHECKSUM"

CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal(10) ** 18

# ISO 13616 lengths per country (SEPA area and common others). An unknown country code is checked
# by the mod-97 rule and the general 15..34 length bound only.
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def normalize_iban(value: str) -> str:
    """Upper case without spaces (the printed form groups by four)."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def iban_is_valid(value: str) -> bool:
    """ISO 13616 check: shape, the country's length, and the mod-97 checksum equal to 1."""
    iban = normalize_iban(value)
    if not _IBAN_SHAPE.fullmatch(iban):
        return False
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def to_decimal(value: Any) -> Decimal | None:
    """A decimal from a decimal string or number; ``None`` for absent or unparseable values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, ValueError):
        return None
    # Beyond any invoice amount; also keeps quantize() inside the default 28-digit context.
    if not number.is_finite() or abs(number) >= _MAX_AMOUNT:
        return None
    return number


def tolerance(addends: int) -> Decimal:
    """Allowed difference for a sum of ``addends`` cent-rounded amounts (see module docstring)."""
    return CENT * max(addends, 1)


def _fmt(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _check(name: str, passed: bool, message: str, fields: Iterable[str]) -> dict[str, Any]:
    return {"name": name, "passed": passed, "message": message, "fields": list(fields)}


def _sum_items(items: Any, key: str) -> tuple[Decimal, int] | None:
    """Sum of ``item[key]`` over a list of mappings; ``None`` if empty or any value is missing."""
    if not isinstance(items, list | tuple) or not items:
        return None
    total = Decimal(0)
    for item in items:
        if not isinstance(item, Mapping):
            return None
        amount = to_decimal(item.get(key))
        if amount is None:
            return None
        total += amount
    return total, len(items)


def _sum_check(
    name: str,
    parts: tuple[Decimal, int] | None,
    whole: Decimal | None,
    what: str,
    target: str,
    fields: list[str],
) -> dict[str, Any] | None:
    if parts is None or whole is None:
        return None
    total, count = parts
    diff = abs(total - whole)
    passed = diff <= tolerance(count)
    message = f"{what} ({count}) sum to {_fmt(total)}, {target} is {_fmt(whole)}" + (
        "" if passed else f" (off by {_fmt(diff)})"
    )
    return _check(name, passed, message, fields)


def run_checks(fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The checks whose inputs are present, each ``{name, passed, message, fields}``."""
    net = to_decimal(fields.get("netAmount"))
    tax = to_decimal(fields.get("taxAmount"))
    total = to_decimal(fields.get("totalAmount"))
    checks: list[dict[str, Any] | None] = []

    if net is not None and tax is not None and total is not None:
        diff = abs(net + tax - total)
        passed = diff <= tolerance(2)
        checks.append(
            _check(
                NET_PLUS_TAX_EQUALS_TOTAL,
                passed,
                f"net {_fmt(net)} + tax {_fmt(tax)} = {_fmt(net + tax)}, total is {_fmt(total)}"
                + ("" if passed else f" (off by {_fmt(diff)})"),
                ["netAmount", "taxAmount", "totalAmount"],
            )
        )

    breakdown = fields.get("taxBreakdown")
    checks.append(
        _sum_check(
            TAX_BREAKDOWN_SUMS_TO_TAX,
            _sum_items(breakdown, "taxAmount"),
            tax,
            "tax amounts per rate",
            "tax",
            ["taxBreakdown", "taxAmount"],
        )
    )
    checks.append(
        _sum_check(
            BREAKDOWN_NET_SUMS_TO_NET,
            _sum_items(breakdown, "netAmount"),
            net,
            "net amounts per rate",
            "net",
            ["taxBreakdown", "netAmount"],
        )
    )
    checks.append(
        _sum_check(
            LINES_SUM_TO_NET,
            _sum_items(fields.get("lineItems"), "netAmount"),
            net,
            "line net amounts",
            "net",
            ["lineItems", "netAmount"],
        )
    )

    iban = fields.get("iban")
    if isinstance(iban, str) and iban.strip():
        ok = iban_is_valid(iban)
        checks.append(
            _check(
                IBAN_CHECKSUM,
                ok,
                "IBAN checksum valid" if ok else "IBAN checksum (ISO 13616 mod 97) fails",
                ["iban"],
            )
        )
    return [c for c in checks if c is not None]
