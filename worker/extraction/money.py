"""Total, tax and currency.

The total is the largest amount printed beside or under a total label ("Total", "Grand Total",
"Gesamtbetrag", "Total TTC", "Totaal", "Razem", …); subtotals and net amounts have labels of
their own and never compete. In a row the rightmost amount wins (the row total of a table).
The tax is the largest amount beside or under a tax label that is smaller than the total; with no
tax line, it is the total minus the subtotal when both are printed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from worker.extraction.candidates import Candidate
from worker.extraction.currency import currency_code, dollar_code
from worker.extraction.labels import Kind, negated
from worker.extraction.layout import Layout, Value, union
from worker.extraction.numbers import AmountMatch, find_amounts, format_amount

_BELOW = 0.9
_CREDIBLE = 0.85  # a strong total label, beside or under its value
_DERIVED_TAX = 0.6
_SUMMED_TAX = 0.7
_DOCUMENT_CURRENCY = 0.6


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None
    marker: str | None  # as printed: "$", "EUR", "zł"
    candidate: Candidate


def _amount_in(value: Value) -> AmountMatch | None:
    """Rightmost plausible amount beside a label, or the first one under it."""
    amounts = [a for a in find_amounts(value.text) if a.plausible_money]
    if not amounts:
        return None
    return amounts[0] if value.below else amounts[-1]


def _labelled_amounts(layout: Layout, kind: Kind) -> list[Money]:
    found = []
    for row, label in layout.labelled(kind):
        if kind is Kind.TAX and negated(layout.text_above(row, label)):
            continue
        for value in layout.values(row, label):
            amount = _amount_in(value)
            if amount is None:
                continue
            confidence = label.strength * (_BELOW if value.below else 1.0)
            candidate = Candidate.at(
                format_amount(amount.value),
                confidence,
                value.row,
                value.bbox(amount.start, amount.end),
            )
            code = currency_code(amount.currency_text)
            found.append(Money(amount.value, code, amount.currency_text, candidate))
            break  # beside the label beats under it
    return found


def _largest(found: list[Money]) -> Money | None:
    if not found:
        return None
    return max(found, key=lambda m: (abs(m.amount), m.candidate.confidence))


def total(layout: Layout) -> Money | None:
    """The largest labelled total; a weak label ("Total") with no currency marker only counts
    when nothing better exists, so "Total hours 160.00" never beats "Amount due $1,200.00"."""
    found = _labelled_amounts(layout, Kind.TOTAL)
    credible = [m for m in found if m.currency or m.candidate.confidence >= _CREDIBLE]
    return _largest(credible or found)


def tax(layout: Layout, grand_total: Money | None) -> Candidate | None:
    """The tax amount, checked against the arithmetic when a subtotal is printed.

    With several tax lines, the one that makes subtotal + tax = total wins; lines at different
    rates (7 % and 19 %) are added up when only their sum fits; otherwise the largest tax line
    (a total tax is at least each of its parts). With no tax line: total minus subtotal.
    """
    limit = abs(grand_total.amount) if grand_total else None
    taxes = [
        m for m in _labelled_amounts(layout, Kind.TAX) if limit is None or abs(m.amount) < limit
    ]
    if grand_total is None:
        found = _largest(taxes)
        return found.candidate if found else None
    subtotals = [
        m
        for m in _labelled_amounts(layout, Kind.SUBTOTAL)
        if abs(m.amount) < abs(grand_total.amount)
    ]
    expected = {grand_total.amount - m.amount for m in subtotals}
    fitting = [m for m in taxes if m.amount in expected]
    if fitting:
        return max(fitting, key=lambda m: m.candidate.confidence).candidate
    by_row = {m.candidate.order: m for m in taxes}  # one amount per printed line
    if len(by_row) > 1 and sum(m.amount for m in by_row.values()) in expected:
        return _combined(list(by_row.values()), _SUMMED_TAX)
    found = _largest(taxes)
    if found:
        return found.candidate
    subtotal = _largest(subtotals)
    if subtotal is None:
        return None
    derived = _combined([subtotal, grand_total], _DERIVED_TAX)
    return Candidate(
        format_amount(grand_total.amount - subtotal.amount),
        derived.confidence,
        derived.page,
        derived.bbox,
        derived.source,
        derived.order,
    )


def _combined(parts: list[Money], confidence: float) -> Candidate:
    """A value computed from printed amounts: the sum, boxed around them when on one page."""
    anchor = parts[-1].candidate
    boxes = [m.candidate.bbox for m in parts if m.candidate.bbox]
    one_page = len({m.candidate.page for m in parts}) == 1
    return Candidate(
        value=format_amount(sum((m.amount for m in parts), Decimal(0))),
        confidence=confidence,
        page=anchor.page,
        bbox=union(boxes) if boxes and one_page else anchor.bbox,
        source=anchor.source,
        order=anchor.order,
    )


def currency(grand_total: Money | None, mentions: Counter[str]) -> Candidate | None:
    """The total's own currency marker, else the currency the document mentions most."""
    if grand_total and grand_total.currency:
        code = dollar_code(mentions) if grand_total.marker == "$" else grand_total.currency
        c = grand_total.candidate
        return Candidate(code, 0.9, c.page, c.bbox, c.source, c.order)
    if not mentions:
        return None
    code, _ = mentions.most_common(1)[0]
    anchor = grand_total.candidate if grand_total else None
    return Candidate(
        code,
        _DOCUMENT_CURRENCY,
        anchor.page if anchor else None,
        anchor.bbox if anchor else None,
        anchor.source if anchor else "text",
    )
