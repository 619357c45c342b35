"""Total, tax and currency.

The total is the largest amount printed beside or under a total label ("Total", "Grand Total",
"Gesamtbetrag", "Total TTC", "Totaal", "Razem", …); subtotals and net amounts have labels of
their own and never compete. In a row the rightmost amount wins (the row total of a table).
The tax is the largest amount beside or under a tax label that is smaller than the total; with no
tax line, it is the total minus the subtotal when both are printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from worker.extraction.candidates import Candidate
from worker.extraction.currency import currency_code, dollar_code
from worker.extraction.labels import Kind, Label, negated
from worker.extraction.layout import Layout, Row, Value, union
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
    strength: float = 0.0  # of the label it was found by


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
        values = layout.values(row, label)
        if not any(v.below and _amount_in(v) for v in values):  # a two-line column header
            header_value = layout.value_below(row, label, max_rows=3, numeric=True)
            values += [header_value] if header_value is not None else []
        for value in values:
            if value.below:
                value = _column_sum(layout, row, label) or value
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
            found.append(Money(amount.value, code, amount.currency_text, candidate, label.strength))
            break  # beside the label beats under it
    return found


_SUM_ROWS = 6  # a summary table's rows under its header: one per rate, then their sum


def _column_sum(layout: Layout, row: Row, label: Label) -> Value | None:
    """The sum row of a column of amounts under a header: in a summary table with a row per
    rate ("Endbetrag" over 382,47 / 136,52 / 518,99) the row that adds up the rows above it is
    the whole amount, not the first rate's."""
    running = Decimal(0)
    for i, value in enumerate(layout.values_below(row, label, _SUM_ROWS, numeric=True)):
        amount = _amount_in(value)
        if amount is None:
            return None
        if i >= 2 and amount.value == running != 0:
            return value
        running += amount.value
    return None


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
    split = _split_tax(layout, taxes, subtotals, grand_total)
    if split is not None:
        return split
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


def _split_tax(
    layout: Layout, taxes: list[Money], subtotals: list[Money], grand_total: Money
) -> Candidate | None:
    """A tax line whose amount was read in pieces (OCR sets a gap in "1 703,50" and the row
    reads "1  703,50"): total minus net, when its digits are exactly what that row prints."""
    for m in taxes:
        page, index = m.candidate.order
        if not layout.pages or page < 1:
            continue
        row = layout.pages[page - 1][index]
        printed = re.sub(r"\D", "", row.text[max(0, row.text.find("\t")) :])
        for net in subtotals:
            value = grand_total.amount - net.amount
            digits = re.sub(r"\D", "", f"{abs(value):.2f}")
            if (
                value > 0
                and len(digits) > len(re.sub(r"\D", "", f"{m.amount:.2f}"))
                and (printed.endswith(digits))
            ):
                return _derived(value, [net, grand_total], _DERIVED_TAX)
    return None


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


# --- arithmetic between candidates -----------------------------------------------------------

_PERCENT_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_ARITHMETIC_BONUS = 0.3
_UNLABELLED_RATE_LINE = 0.6
_CENT = Decimal("0.01")
_STRONG_TOTAL = 0.9
_TOTAL_AS_NET = 0.5


@dataclass
class Amounts:
    """Total, tax and net as chosen together, and the tax breakdown by rate."""

    total_money: Money | None
    total: Candidate | None
    tax: Candidate | None
    net: Candidate | None
    breakdown: list[dict[str, str | None]]


@dataclass(frozen=True)
class _RateLine:
    rate: Decimal
    base: Decimal | None
    tax: Money


def _rate_lines(layout: Layout) -> list[_RateLine]:
    """Tax lines that name their rate ("MwSt. 19 % auf 100,00: 19,00", "TVA 20% 40,00")."""
    out: list[_RateLine] = []
    seen: set[tuple[int, int]] = set()
    for row, label in layout.labelled(Kind.TAX):
        if (row.page.number, row.index) in seen:
            continue
        if negated(layout.text_above(row, label)):
            continue
        rate_m = _PERCENT_RE.search(row.text)
        if not rate_m:
            continue
        rate = Decimal(rate_m.group(1).replace(",", "."))
        if rate <= 0 or rate >= 50:
            continue
        tail = row.text[label.end :] if rate_m.start() < label.end else row.text[rate_m.end() :]
        offset = len(row.text) - len(tail)
        amounts = [a for a in find_amounts(tail) if a.plausible_money]
        if not amounts:
            continue
        last, base = amounts[-1], None
        # base and tax of this rate are the pair with base × rate = tax ("19 %: 376,37  71,51
        # 447,88" also prints the gross); without such a pair, the last amount is the tax
        pairs = [
            (a, b)
            for i, a in enumerate(amounts)
            for b in amounts[i + 1 :]
            if abs(a.value * rate / 100 - b.value) <= max(_CENT, abs(a.value) * Decimal("0.0005"))
        ]
        if pairs:
            base_match, last = pairs[-1]
            base = base_match.value
        candidate = Candidate.at(
            format_amount(last.value),
            label.strength,
            row,
            row.bbox(offset + last.start, offset + last.end),
        )
        money_ = Money(last.value, currency_code(last.currency_text), last.currency_text, candidate)
        seen.add((row.page.number, row.index))
        out.append(_RateLine(rate, base, money_))
    known = {line.rate for line in out}
    for row in layout.rows():  # a breakdown table without tax labels: "7 %  160,00  11,20"
        if (row.page.number, row.index) in seen or row.labels:
            continue
        rate_m = _PERCENT_RE.search(row.text)
        amounts = [a for a in find_amounts(row.text) if a.plausible_money and a.value]
        if not rate_m or not 2 <= len(amounts) <= 3:
            continue
        rate = Decimal(rate_m.group(1).replace(",", "."))
        if rate in known or not 0 < rate < 50 or amounts[0].start < rate_m.end():
            continue
        base_m, tax_m = amounts[0], amounts[1]
        if abs(base_m.value * rate / 100 - tax_m.value) > _CENT:
            continue  # not base and tax of this rate (a line item: quantity × price)
        if len(amounts) == 3 and not _close(base_m.value + tax_m.value, amounts[2].value, 1):
            continue  # a third amount is the rate's gross ("19 %  100,00  19,00  119,00")
        candidate = Candidate.at(
            format_amount(tax_m.value), _UNLABELLED_RATE_LINE, row, row.bbox(tax_m.start, tax_m.end)
        )
        money_ = Money(tax_m.value, currency_code(tax_m.currency_text), None, candidate)
        known.add(rate)
        out.append(_RateLine(rate, base_m.value, money_))
    return out


def _row_rate(layout: Layout, m: Money) -> Decimal | None:
    """The VAT rate named on the row an amount was read from, if any."""
    page, index = m.candidate.order
    if not layout.pages or page < 1:
        return None
    rate_m = _PERCENT_RE.search(layout.pages[page - 1][index].text)
    return Decimal(rate_m.group(1).replace(",", ".")) if rate_m else None


def _close(a: Decimal, b: Decimal, addends: int = 2) -> bool:
    return abs(a - b) <= _CENT * addends


def _derived(value: Decimal, parts: list[Money], confidence: float) -> Candidate:
    base = _combined(parts, confidence)
    return Candidate(
        format_amount(value), base.confidence, base.page, base.bbox, base.source, base.order
    )


def amounts(layout: Layout) -> Amounts:
    """Total, tax and net, decided by arithmetic where it can: among the labelled totals, nets
    and tax amounts (single lines, or the sum of the per-rate lines), a combination with
    net + tax = total wins over the label-only choice; labels break ties between combinations.
    Without such a combination: the largest credible total, the tax that fits, the largest net
    below the total."""
    totals = _labelled_amounts(layout, Kind.TOTAL)
    nets = _labelled_amounts(layout, Kind.SUBTOTAL)
    tax_lines = _labelled_amounts(layout, Kind.TAX)
    rate_lines = _rate_lines(layout)
    breakdown = _breakdown(rate_lines)
    largest = total(layout)

    tax_options: list[tuple[Decimal, Candidate]] = [(m.amount, m.candidate) for m in tax_lines]
    by_rate: dict[Decimal, _RateLine] = {}
    for line in _with_base_first(rate_lines):
        by_rate.setdefault(line.rate, line)
    if len(by_rate) == 1:  # one rate: its line (maybe an unlabelled summary row) is the tax
        only = next(iter(by_rate.values())).tax
        tax_options.append((only.amount, _derived(only.amount, [only], _SUMMED_TAX)))
    if len(by_rate) > 1:
        parts = [line.tax for line in by_rate.values()]
        value = sum((m.amount for m in parts), Decimal(0))
        tax_options.append((value, _derived(value, parts, _SUMMED_TAX)))
    stated = _no_vat_statement(layout)
    if stated is not None:  # "TVA non applicable": 0.00 is a tax the arithmetic may choose
        tax_options.append((Decimal(0), stated))
    per_rate = _per_rate_rows(tax_lines)
    if len(per_rate) > 1:
        value = sum((m.amount for m in per_rate), Decimal(0))
        tax_options.append((value, _derived(value, per_rate, _SUMMED_TAX)))

    net_options = list(nets)
    # one per amount (a summary repeating a figure), unless the rows name different rates
    # ("Netto 7 %  100,00" and "Netto 19 %  100,00")
    distinct_nets = list({(m.amount, _row_rate(layout, m)): m for m in nets}.values())
    if len(distinct_nets) > 1:  # per-rate nets ("Warenwert 7 %", "Warenwert 19 %")
        value = sum((m.amount for m in distinct_nets), Decimal(0))
        combined = _derived(value, distinct_nets, _SUMMED_TAX)
        net_options.append(Money(value, None, None, combined, _SUMMED_TAX))
    # A bare "Summe" / "Total" / "Suma" above the tax lines is the net: it may stand for it when
    # the arithmetic holds (a weak total label, so less than a net label).
    for m in totals:
        if m.strength < _STRONG_TOTAL:
            weak = replace(m.candidate, confidence=m.candidate.confidence * _TOTAL_AS_NET)
            net_options.append(Money(m.amount, m.currency, m.marker, weak, m.strength))
    _fill_bases(breakdown, layout, nets)

    best_combo: tuple[float, Money, Money, Candidate, Decimal] | None = None
    for t in totals:
        for n in net_options:
            if abs(n.amount) > abs(t.amount):
                continue  # (equal to the total: only with a tax of 0.00, checked below)
            for value, x in tax_options:
                if abs(value) >= abs(t.amount) or not _close(n.amount + value, t.amount):
                    continue
                score = t.candidate.confidence + n.candidate.confidence + x.confidence
                score += float(abs(t.amount)) * 1e-9  # the larger total among equals
                if largest is not None and t.amount == largest.amount:
                    score += 0.2
                if best_combo is None or score > best_combo[0]:
                    best_combo = (score, t, n, x, value)
    if best_combo is not None:
        _score, t, n, x, _value = best_combo
        _fill_single_base(breakdown, n.amount, Decimal(x.value))
        return Amounts(
            total_money=t,
            total=_boost(t.candidate),
            tax=_boost(x),
            net=_boost(n.candidate),
            breakdown=breakdown,
        )

    gross = _net_plus_tax(nets, tax_lines, largest, breakdown)
    if gross is not None:
        return gross
    tax_candidate = _whole_tax(tax_lines, largest) or tax(layout, largest)
    net_candidate = None
    if tax_candidate is None and largest is not None:
        untaxed = _untaxed(layout, largest, nets)
        if untaxed is not None:
            tax_candidate, net_candidate = untaxed
            return Amounts(largest, largest.candidate, tax_candidate, net_candidate, breakdown)
    if largest is not None:
        below = [n for n in nets if abs(n.amount) < abs(largest.amount)]
        if tax_candidate is not None:
            # Total minus tax, in sizes with the total's sign (a credit note may print its tax
            # without the minus). A "net" that does not equal it is a subtotal of something
            # else: a shop's "Zwischensumme" of gross prices, the goods before shipping.
            tax_value = Decimal(tax_candidate.value)
            expected = (abs(largest.amount) - abs(tax_value)).copy_sign(largest.amount)
            below = [n for n in below if _close(abs(n.amount), abs(expected))]
        found = _largest(below)
        net_candidate = found.candidate if found else None
        if net_candidate is None and tax_candidate is not None:
            # No net printed, or none that fits ("Gesamtsumme 119,00 / enthaltene MwSt.
            # 19,00"): total minus tax.
            tax_money = Money(tax_value, None, None, tax_candidate)
            net_candidate = _derived(expected, [largest, tax_money], _DERIVED_TAX)
    else:
        found = _largest(nets)
        net_candidate = found.candidate if found else None
    return Amounts(
        total_money=largest,
        total=largest.candidate if largest else None,
        tax=tax_candidate,
        net=net_candidate,
        breakdown=breakdown,
    )


_MAX_RATE = Decimal("0.3")  # no VAT rate is above 27 % of the net
_DERIVED_TOTAL = 0.55


def _net_plus_tax(
    nets: list[Money],
    tax_lines: list[Money],
    largest: Money | None,
    breakdown: list[dict[str, str | None]],
) -> Amounts | None:
    """The total found is below a labelled net (a line's amount under a "Total" column, the
    gross printed under a label nobody listed): a total is never less than its net, so the gross
    is the net plus the tax, when both are printed."""
    if largest is None:
        return None
    net = _largest([n for n in nets if abs(n.amount) > abs(largest.amount)])
    if net is None:
        return None
    tax_line = _largest([m for m in tax_lines if 0 < abs(m.amount) <= abs(net.amount) * _MAX_RATE])
    if tax_line is None:
        return None
    value = net.amount + tax_line.amount
    total = _derived(value, [net, tax_line], _DERIVED_TOTAL)
    money_ = Money(value, largest.currency or net.currency, largest.marker, total)
    return Amounts(money_, total, tax_line.candidate, net.candidate, breakdown)


_WHOLE_TAX_LABEL = 0.97  # "USt. gesamt", "Total VAT": the label names the whole tax

# The invoice says no VAT is charged: a small business (§ 19 UStG, art. 293 B du CGI, regime
# forfettario), an exemption, or a reverse charge (the buyer accounts for the VAT).
_NO_VAT = re.compile(
    r"§\s?19\s?(?:abs\.\s?1\s?)?UStG|keine\s+Umsatzsteuer|umsatzsteuerfrei|steuerfrei\s+(?:nach|gem)|"
    r"Steuerschuldnerschaft\s+des\s+Leistungsempfängers|reverse[\s-]charge|"
    r"TVA\s+non\s+applicable|293\s?B\s+du\s+CGI|exonération\s+de\s+TVA|autoliquidation|"
    r"VAT\s+exempt|exempt\s+from\s+VAT|VAT\s+not\s+applicable|no\s+VAT\s+(?:is\s+)?charged|"
    r"btw\s+verlegd|vrijgesteld\s+van\s+btw|exent[oa]\s+de\s+IVA|inversión\s+del\s+sujeto\s+pasivo|"
    r"esente\s+IVA|non\s+soggett[oa]\s+(?:ad?\s+)?IVA|regime\s+forfettario|inversione\s+contabile",
    re.IGNORECASE,
)
_UNTAXED = 0.7
_UNTAXED_STATED = 0.9


def _untaxed(
    layout: Layout, grand_total: Money, nets: list[Money]
) -> tuple[Candidate, Candidate] | None:
    """(tax 0.00, net) when no tax amount is printed and the invoice is untaxed: it says so, or a
    net label carries the total itself (net + 0 = total)."""
    equal = [n for n in nets if n.amount == grand_total.amount]
    if equal:
        net = max(equal, key=lambda n: n.candidate.confidence).candidate
        return replace(net, value=format_amount(Decimal(0)), confidence=_UNTAXED), net
    zero = _no_vat_statement(layout)
    if zero is None:
        return None
    net = replace(grand_total.candidate, confidence=grand_total.candidate.confidence * _UNTAXED)
    return replace(zero, confidence=_UNTAXED), net


def _no_vat_statement(layout: Layout) -> Candidate | None:
    """A tax of 0.00 where the invoice says no VAT is charged (the statement is the evidence)."""
    for row in layout.rows():
        m = _NO_VAT.search(row.text)
        if m:
            box = row.bbox(m.start(), m.end())
            return Candidate.at(format_amount(Decimal(0)), _UNTAXED_STATED, row, box)
    return None


def _per_rate_rows(tax_lines: list[Money]) -> list[Money]:
    """One amount per printed tax row, without rows naming the whole tax and without repeats
    of the same amount (a summary repeating a table's figure)."""
    rows: dict[tuple[int, int], Money] = {}
    for m in tax_lines:
        if m.strength < _WHOLE_TAX_LABEL:
            rows.setdefault(m.candidate.order, m)
    distinct: dict[Decimal, Money] = {}
    for m in rows.values():
        distinct.setdefault(m.amount, m)
    return list(distinct.values())


def _whole_tax(tax_lines: list[Money], grand_total: Money | None) -> Candidate | None:
    """Without arithmetic to decide: a line labelled as the whole tax; else, with several
    per-rate lines and none the sum of the others, their sum ("only per-rate lines printed")."""
    limit = abs(grand_total.amount) if grand_total else None
    usable = [m for m in tax_lines if limit is None or abs(m.amount) < limit]
    whole = [m for m in usable if m.strength >= _WHOLE_TAX_LABEL]
    if whole:
        return max(whole, key=lambda m: (m.candidate.confidence, abs(m.amount))).candidate
    rows = _per_rate_rows(usable)
    if len(rows) < 2:
        return None
    total = sum((m.amount for m in rows), Decimal(0))
    for m in rows:
        if m.amount * 2 == total:  # one row is the sum of the others: the whole tax
            return m.candidate
    if limit is not None and abs(total) >= limit:
        return None
    return _derived(total, rows, _SUMMED_TAX)


def _fill_bases(breakdown: list[dict[str, str | None]], layout: Layout, nets: list[Money]) -> None:
    """A rate's base printed on a net line naming the same rate ("Warenwert 7 %  500,00")."""
    for entry in breakdown:
        if entry["netAmount"] is not None or entry["rate"] is None or entry["taxAmount"] is None:
            continue
        rate, tax_amount = Decimal(entry["rate"]), Decimal(entry["taxAmount"])
        for m in nets:
            page, index = m.candidate.order
            row = layout.pages[page - 1][index]
            rate_m = _PERCENT_RE.search(row.text)
            if not rate_m or Decimal(rate_m.group(1).replace(",", ".")) != rate:
                continue
            if abs(m.amount * rate / 100 - tax_amount) <= _CENT:
                entry["netAmount"] = format_amount(m.amount)
                break


def _fill_single_base(breakdown: list[dict[str, str | None]], net: Decimal, tax: Decimal) -> None:
    """One rate and no base printed beside it: the base is the net, when net × rate = tax."""
    if len(breakdown) != 1 or breakdown[0]["netAmount"] is not None:
        return
    rate = Decimal(breakdown[0]["rate"] or "0")
    if breakdown[0]["taxAmount"] == format_amount(tax) and abs(net * rate / 100 - tax) <= _CENT:
        breakdown[0]["netAmount"] = format_amount(net)


def _boost(candidate: Candidate) -> Candidate:
    return Candidate(
        candidate.value,
        round(min(1.0, candidate.confidence + _ARITHMETIC_BONUS * 0.5), 3),
        candidate.page,
        candidate.bbox,
        candidate.source,
        candidate.order,
    )


def _with_base_first(lines: list[_RateLine]) -> list[_RateLine]:
    """A line printing base and tax that multiply out is the better witness of its rate."""
    return sorted(lines, key=lambda line: line.base is None)


def _breakdown(rate_lines: list[_RateLine]) -> list[dict[str, str | None]]:
    """One entry per rate (the first line printed for it)."""
    seen: dict[Decimal, _RateLine] = {}
    for line in _with_base_first(rate_lines):
        seen.setdefault(line.rate, line)
    return [
        {
            "rate": format_amount(line.rate),
            "netAmount": format_amount(line.base) if line.base is not None else None,
            "taxAmount": format_amount(line.tax.amount),
        }
        for line in seen.values()
    ]
