"""Amount, date and currency notations, alone and inside generated invoices."""

from __future__ import annotations

import datetime as dt
import pathlib
from dataclasses import replace
from decimal import Decimal

import pytest

from tests.fixtures.invoices import InvoiceSpec, write_invoice
from tests.worker.extraction.helpers import extract
from worker.extraction.currency import count_currencies
from worker.extraction.dates import find_dates, numeric_order
from worker.extraction.numbers import find_amounts, format_amount, parse_number


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("1’234.56", "1234.56"),
        ("1234.5", "1234.5"),
        ("1.234", "1234"),
        ("12,00", "12.00"),
        ("1,234,567.89", "1234567.89"),
        ("1.234.567,89", "1234567.89"),
        ("1,00,000.00", "100000.00"),
    ],
)
def test_parse_number_notations(printed: str, value: str) -> None:
    assert parse_number(printed) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("Total: $1,234.56", "1234.56", "$"),
        ("Total 1.234,56 €", "1234.56", "€"),
        ("Total EUR 1.234,56", "1234.56", "EUR"),
        ("Summe 1'234.56 CHF", "1234.56", "CHF"),
        ("Razem 1 234,56 zł", "1234.56", "zł"),
        ("Credit -12.00 EUR", "-12.00", "EUR"),
        ("Gutschrift 12,00- €", "-12.00", "€"),
        ("Refund (45.00)", "-45.00", None),
        ("Grand Total Rs 1939", "1939", "Rs"),
        ("Grand Total ₹ 1,25,000.50", "125000.50", "₹"),
    ],
)
def test_find_amounts_with_signs_and_currency(text: str, value: str, currency: str | None) -> None:
    found = find_amounts(text)
    assert [a.value for a in found] == [Decimal(value)]
    assert found[0].currency_text == currency
    assert found[0].plausible_money


@pytest.mark.parametrize("text", ["31.12.2023", "VAT 15.00%", "21 %", "Qty 3", "tel 0171 176167"])
def test_dates_percentages_and_counts_are_not_money(text: str) -> None:
    assert not [a for a in find_amounts(text) if a.plausible_money]


def test_format_amount_is_plain_decimal_with_two_places() -> None:
    assert format_amount(Decimal("1234.5")) == "1234.50"
    assert format_amount(Decimal("-12")) == "-12.00"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2023-12-31", "2023-12-31"),
        ("31.12.2023", "2023-12-31"),
        ("31/12/2023", "2023-12-31"),
        ("12/31/2023", "2023-12-31"),
        ("21.05.14", "2014-05-21"),
        ("8-9-2022", "2022-09-08"),
        ("August 3 , 2014", "2014-08-03"),
        ("Jan 1, 2022", "2022-01-01"),
        ("7. Mai 2014", "2014-05-07"),
        ("1er juillet 2015", "2015-07-01"),
        ("19 april 2014", "2014-04-19"),
        ("31 de diciembre de 2023", "2023-12-31"),
        ("11 giugno 2023", "2023-06-11"),
        ("26 maja 2023", "2023-05-26"),
        ("5 décembre 2023", "2023-12-05"),
        ("3 maart 2023", "2023-03-03"),
    ],
)
def test_date_notations(text: str, iso: str) -> None:
    assert [d.value.isoformat() for d in find_dates(f"Date: {text} ")] == [iso]


def test_ambiguous_numeric_dates_follow_the_order_given() -> None:
    assert find_dates("03/04/2023", "DMY")[0].value == dt.date(2023, 4, 3)
    assert find_dates("03/04/2023", "MDY")[0].value == dt.date(2023, 3, 4)


def test_a_four_digit_year_is_never_read_as_two_digits() -> None:
    """A generator's unset date ("01.01.0001") is no date, not 2001; "01.02.24" is 2024."""
    assert find_dates("Invoice date: 01.01.0001") == []
    assert find_dates("01.02.24")[0].value == dt.date(2024, 2, 1)


@pytest.mark.parametrize(
    ("text", "month_first", "order"),
    [
        ("Date 03/04/2023 Due 04/18/2023", False, "MDY"),  # 18 cannot be a month
        ("Date 03/04/2023 Due 18/04/2023", True, "DMY"),  # 18 cannot be a month
        ("Datum 03.04.2023", True, "DMY"),  # dots are day-first everywhere
        ("Date 03/04/2023", True, "MDY"),  # undecided: the locale (USD) decides
        ("Date 03/04/2023", False, "DMY"),
    ],
)
def test_numeric_order_uses_other_dates_then_locale(
    text: str, month_first: bool, order: str
) -> None:
    assert numeric_order(text, month_first_locale=month_first) == order


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("€ 5", "EUR"),
        ("5 EUR", "EUR"),
        ("$5", "USD"),
        ("US$ 5", "USD"),
        ("£5", "GBP"),
        ("5 zł", "PLN"),
        ("CHF 5", "CHF"),
        ("Rs 5", "INR"),
        ("All charges are in US Dollars", "USD"),
    ],
)
def test_currency_markers(text: str, code: str) -> None:
    assert count_currencies(text).most_common(1)[0][0] == code


BASE = InvoiceSpec(
    vendor="Northwind Traders Inc.",
    vendor_address=("1 Market Street", "Seattle WA 98101"),
    buyer_label="Bill To:",
    buyer=("Contoso Ltd", "7 Elm Road", "Leeds"),
    number_label="Invoice No:",
    number="NW-5501",
    date_label="Invoice Date:",
    date="2023-06-30",
    total_label="Total",
    total="",
)


@pytest.mark.parametrize(
    ("printed", "amount", "currency"),
    [
        ("$1,234.56", "1234.56", "USD"),
        ("1,234.56 USD", "1234.56", "USD"),
        ("€ 1.234,56", "1234.56", "EUR"),
        ("1.234,56 €", "1234.56", "EUR"),
        ("EUR 1 234,56", "1234.56", "EUR"),
        ("CHF 1'234.56", "1234.56", "CHF"),
        ("£1,234.56", "1234.56", "GBP"),
        ("1 234,56 zł", "1234.56", "PLN"),
    ],
)
def test_total_and_currency_in_any_notation(
    tmp_path: pathlib.Path, printed: str, amount: str, currency: str
) -> None:
    outcome = extract(write_invoice(tmp_path / "inv.pdf", replace(BASE, total=printed)))
    assert outcome.fields["totalAmount"] == amount
    assert outcome.fields["currency"] == currency


@pytest.mark.parametrize(
    ("printed", "other", "iso"),
    [
        ("31.12.2023", "14.01.2024", "2023-12-31"),
        ("31/12/2023", "14/01/2024", "2023-12-31"),
        ("12/31/2023", "01/14/2024", "2023-12-31"),
        ("2023-12-31", "2024-01-14", "2023-12-31"),
        ("02/03/2023", "16/03/2023", "2023-03-02"),  # day-first, settled by the due date
        ("02/03/2023", "02/17/2023", "2023-02-03"),  # month-first, settled by the due date
        ("December 31, 2023", "January 14, 2024", "2023-12-31"),
    ],
)
def test_invoice_date_formats_in_a_document(
    tmp_path: pathlib.Path, printed: str, other: str, iso: str
) -> None:
    spec = replace(BASE, total="€ 10,00", date=printed, due_label="Due Date:", due=other)
    outcome = extract(write_invoice(tmp_path / "inv.pdf", spec))
    assert outcome.fields["invoiceDate"] == iso


def test_dollar_sign_means_the_dollar_the_document_names(tmp_path: pathlib.Path) -> None:
    spec = replace(BASE, total="$1,234.56", items=(("All amounts in CAD", "$1,234.56"),))
    assert extract(write_invoice(tmp_path / "ca.pdf", spec)).fields["currency"] == "CAD"


def test_weak_total_without_currency_does_not_beat_the_amount_due(tmp_path: pathlib.Path) -> None:
    spec = replace(
        BASE,
        total="$1,200.00",
        total_label="Amount Due",
        items=(("Total hours", "160.00"), ("Consulting", "$1,200.00")),
    )
    assert extract(write_invoice(tmp_path / "inv.pdf", spec)).fields["totalAmount"] == "1200.00"


def test_total_including_vat_phrase(tmp_path: pathlib.Path) -> None:
    spec = replace(BASE, total="119,00 €", total_label="Gesamtbetrag inkl. MwSt.")
    assert extract(write_invoice(tmp_path / "inv.pdf", spec)).fields["totalAmount"] == "119.00"
