"""Money amounts as printed on invoices, in any of the usual European and English notations.

``1,234.56``, ``1.234,56``, ``1 234,56``, ``1'234.56``, ``1,00,000.00``, ``-12.00``, ``12,00-``,
``(12.00)``.
The decimal separator is the last ``.`` or ``,`` when it is followed by one or two digits; a
single separator followed by exactly three digits is a thousands separator (``1.234`` = 1234).
Grouping with spaces only counts when the gap is an ordinary space: the row builder in
``layout`` marks wide gaps (table columns) with a tab, so ``1 \\t 278.61`` stays two numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from worker.extraction.currency import CURRENCY_MARKER

_GROUP = r"[ \u00a0\u202f'’.,]"
_NUMBER = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?|"  # Indian grouping: 1,00,000.00
    rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?"
)

# An amount: optional sign/parenthesis, optional currency before, the number, optional currency
# after. Not part of a longer number, a date (31.12.2023) or a percentage.
AMOUNT_RE = re.compile(
    rf"""
    (?P<open>\()?
    (?P<sign>[-−–])?
    (?:(?P<cur_before>{CURRENCY_MARKER})\s?(?P<sign2>[-−])?\s?)?
    (?<![\w.,/:])
    (?P<number>{_NUMBER})
    (?![.,/:]?\d)(?!\s?%)(?!(?!{CURRENCY_MARKER})[^\W\d_])
    (?P<trail>-(?![\w-]))?
    (?:\s?(?P<cur_after>{CURRENCY_MARKER}))?
    (?P<trail2>-(?![\w-]))?
    (?P<close>\))?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class AmountMatch:
    value: Decimal
    start: int
    end: int
    currency_text: str | None
    has_decimals: bool

    @property
    def plausible_money(self) -> bool:
        """Bare integers are quantities, years or ids far more often than money."""
        return self.has_decimals or self.currency_text is not None


# Digits before the separator an amount may have (a trillion, with room): the default decimal
# context holds 28 significant digits, and quantizing 40 digits to cents raised.
_MAX_INTEGER_DIGITS = 15


def parse_number(text: str) -> Decimal | None:
    """``"1.234,56"`` -> ``Decimal("1234.56")``; ``None`` if it is not a number."""
    digits = re.sub(r"[ \u00a0\u202f'’]", "", text)
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    sep_pos = max(last_dot, last_comma)
    if sep_pos >= 0 and len(digits) - sep_pos - 1 in (1, 2):
        integer, fraction = digits[:sep_pos], digits[sep_pos + 1 :]
    else:
        integer, fraction = digits, ""
    integer = integer.replace(".", "").replace(",", "")
    if not integer.isdigit() or (fraction and not fraction.isdigit()):
        return None
    if len(integer.lstrip("0")) > _MAX_INTEGER_DIGITS:
        return None  # an id or a crafted run of digits; as money it would overflow the context
    try:
        return Decimal(f"{integer}.{fraction}" if fraction else integer)
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[AmountMatch]:
    out = []
    for m in AMOUNT_RE.finditer(text):
        value = parse_number(m.group("number"))
        if value is None:
            continue
        signs = ("sign", "sign2", "trail", "trail2")
        negative = any(m.group(name) for name in signs)
        negative = negative or bool(m.group("open") and m.group("close"))
        currency = m.group("cur_before") or m.group("cur_after")
        has_decimals = bool(re.search(r"[.,]\d{1,2}$", m.group("number")))
        out.append(
            AmountMatch(
                value=-value if negative else value,
                start=m.start(),
                end=m.end(),
                currency_text=currency,
                has_decimals=has_decimals,
            )
        )
    return out


def format_amount(value: Decimal) -> str:
    """Plain decimal string with a dot and two decimals: ``"1234.50"``, ``"-12.00"``."""
    return f"{value.quantize(Decimal('0.01')):f}"
