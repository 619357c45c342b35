"""Layouts that trip naive extractors: values under labels, buyer first, two pages, credit notes."""

from __future__ import annotations

import pathlib
from dataclasses import replace

import pymupdf

from tests.fixtures.invoices import InvoiceSpec, Text, invoice_texts, write_invoice, write_pdf
from tests.worker.extraction.helpers import extract
from worker.extraction import extract_fields, parse_pdf

BASE = InvoiceSpec(
    vendor="Initech LLC",
    vendor_address=("4120 Freidrich Lane", "Austin TX 78744"),
    buyer_label="Bill To:",
    buyer=("Globex Corporation", "500 Oak Street", "Springfield"),
    number_label="Invoice #",
    number="10071",
    date_label="Date:",
    date="2024-02-29",
    total="$250.00",
)


def test_buyer_block_first_does_not_become_the_vendor(tmp_path: pathlib.Path) -> None:
    spec = replace(BASE, buyer_first=True)
    outcome = extract(write_invoice(tmp_path / "inv.pdf", spec))
    assert outcome.fields["vendorName"] == "Initech LLC"


def test_totals_without_tax_line_leave_tax_empty(tmp_path: pathlib.Path) -> None:
    spec = BASE
    outcome = extract(write_invoice(tmp_path / "inv.pdf", spec))
    assert outcome.fields["totalAmount"] == "250.00"
    assert outcome.fields["taxAmount"] is None


def test_tax_is_derived_from_subtotal_when_no_tax_line(tmp_path: pathlib.Path) -> None:
    spec = replace(BASE, subtotal_label="Subtotal", subtotal="$200.00", total="$230.00")
    outcome = extract(write_invoice(tmp_path / "inv.pdf", spec))
    assert outcome.fields["taxAmount"] == "30.00"


def test_largest_total_wins_over_line_totals(tmp_path: pathlib.Path) -> None:
    spec = replace(
        BASE,
        subtotal_label="Subtotal",
        subtotal="$900.00",
        tax_label="Tax",
        tax="$90.00",
        total_label="Grand Total",
        total="$990.00",
        items=(("Consulting (total hours 12)", "$600.00"), ("Travel total", "$300.00")),
    )
    outcome = extract(write_invoice(tmp_path / "inv.pdf", spec))
    assert outcome.fields["totalAmount"] == "990.00"
    assert outcome.fields["taxAmount"] == "90.00"


def test_values_below_their_labels(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 50, "Stark Industries Ltd", 16),
        Text(50, 66, "10 Park Avenue, New York NY 10001"),
        Text(50, 120, "Invoice Number"),
        Text(200, 120, "Invoice Date"),
        Text(350, 120, "Due Date"),
        Text(50, 134, "SI-88-2024"),
        Text(200, 134, "15.02.2024"),
        Text(350, 134, "16.03.2024"),
        Text(300, 400, "Net"),
        Text(380, 400, "VAT"),
        Text(460, 400, "Total"),
        Text(300, 414, "100,00"),
        Text(380, 414, "19,00"),
        Text(460, 414, "119,00 EUR"),
    ]
    outcome = extract(write_pdf(tmp_path / "inv.pdf", [texts]))
    assert outcome.fields["invoiceNumber"] == "SI-88-2024"
    assert outcome.fields["invoiceDate"] == "2024-02-15"
    assert outcome.fields["dueDate"] == "2024-03-16"
    assert outcome.fields["totalAmount"] == "119.00"
    assert outcome.fields["taxAmount"] == "19.00"
    assert outcome.fields["currency"] == "EUR"


def test_two_page_invoice_total_on_second_page(tmp_path: pathlib.Path) -> None:
    spec = replace(BASE, total="")
    first = invoice_texts(spec) + [Text(50, 400 + 16 * i, f"Item {i}") for i in range(10)]
    second = [
        Text(50, 60, "Page 2 of 2"),
        Text(50, 100, "Item 11"),
        Text(500, 100, "$50.00"),
        Text(330, 200, "Subtotal"),
        Text(500, 200, "$1,000.00"),
        Text(330, 218, "Tax 10%"),
        Text(500, 218, "$100.00"),
        Text(330, 236, "Balance Due"),
        Text(500, 236, "$1,100.00"),
    ]
    outcome = extract(write_pdf(tmp_path / "inv.pdf", [first, second]))
    assert outcome.fields["invoiceNumber"] == "10071"
    assert outcome.fields["totalAmount"] == "1100.00"
    assert outcome.fields["taxAmount"] == "100.00"
    total = next(e for e in outcome.evidence if e["field"] == "totalAmount")
    assert total["page"] == 2


def test_credit_note_has_negative_total(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 50, "Wayne Enterprises GmbH", 14),
        Text(50, 64, "Industriestraße 1, 60311 Frankfurt"),
        Text(350, 50, "Gutschrift", 18),
        Text(350, 90, "Gutschrift Nr."),
        Text(460, 90, "GS-2024-003"),
        Text(350, 106, "Datum:"),
        Text(460, 106, "05.03.2024"),
        Text(300, 400, "Nettobetrag"),
        Text(480, 400, "-100,00 €"),
        Text(300, 416, "MwSt. 19%"),
        Text(480, 416, "-19,00 €"),
        Text(300, 432, "Gesamtbetrag"),
        Text(480, 432, "-119,00 €"),
    ]
    outcome = extract(write_pdf(tmp_path / "credit.pdf", [texts]))
    assert outcome.fields["invoiceNumber"] == "GS-2024-003"
    assert outcome.fields["totalAmount"] == "-119.00"
    assert outcome.fields["taxAmount"] == "-19.00"
    assert outcome.fields["currency"] == "EUR"
    assert outcome.fields["vendorName"] == "Wayne Enterprises GmbH"


def test_paid_stamp_sets_status(tmp_path: pathlib.Path) -> None:
    spec = BASE
    paid = [*invoice_texts(spec), Text(250, 300, "PAID", 28)]
    assert extract(write_pdf(tmp_path / "paid.pdf", [paid])).fields["status"] == "PAID"
    assert extract(write_invoice(tmp_path / "open.pdf", spec)).fields["status"] is None


def test_outcome_json_has_exactly_the_api_fields(tmp_path: pathlib.Path) -> None:
    spec = BASE
    data = extract(write_invoice(tmp_path / "inv.pdf", spec)).to_json()
    assert set(data) == {"fields", "evidence", "checks"}
    assert set(data["fields"]) == {
        "vendorName",
        "invoiceNumber",
        "invoiceDate",
        "dueDate",
        "totalAmount",
        "taxAmount",
        "currency",
        "status",
        # booking fields (API.md, "E-invoices and booking fields")
        "netAmount",
        "sellerVatId",
        "buyerName",
        "iban",
        "bic",
        "orderReference",
        "paymentTerms",
        "taxBreakdown",
        "lineItems",
    }
    for check in data["checks"]:
        assert set(check) == {"name", "passed", "message", "fields"}
    for e in data["evidence"]:
        assert set(e) == {"field", "confidence", "page", "bbox", "source"}


def test_amount_paid_column_is_not_a_paid_stamp(tmp_path: pathlib.Path) -> None:
    spec = replace(BASE, items=(("Amount paid to date", "$0.00"),))
    assert extract(write_invoice(tmp_path / "inv.pdf", spec)).fields["status"] is None


def test_window_envelope_letter_sender_line_marks_the_buyer(tmp_path: pathlib.Path) -> None:
    # DIN 5008: a tiny return-address line, the buyer's address under it, no buyer label.
    texts = [
        Text(60, 120, "Schneider Elektro GmbH · Lindenweg 3 · 50667 Köln", 7),
        Text(60, 150, "Bauer Maschinenbau AG"),
        Text(60, 163, "Industriepark 12"),
        Text(60, 176, "70173 Stuttgart"),
        Text(60, 250, "Rechnung", 16),
        Text(60, 280, "Rechnungsnr."),
        Text(160, 280, "2024-0193"),
        Text(60, 294, "Rechnungsdatum"),
        Text(160, 294, "7. März 2024"),
        Text(300, 450, "Rechnungsbetrag"),
        Text(480, 450, "2.380,00 EUR"),
    ]
    outcome = extract(write_pdf(tmp_path / "din.pdf", [texts]))
    assert outcome.fields["vendorName"] == "Schneider Elektro GmbH"
    assert outcome.fields["invoiceDate"] == "2024-03-07"
    assert outcome.fields["totalAmount"] == "2380.00"


def test_from_and_to_blocks(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 60, "INVOICE", 22),
        Text(50, 100, "From:"),
        Text(50, 114, "Blue Harbor Design"),
        Text(50, 128, "9 Quay St"),
        Text(300, 100, "To:"),
        Text(300, 114, "Redwood Partners LLP"),
        Text(300, 128, "3 Hill Rd"),
        Text(50, 180, "Invoice #"),
        Text(150, 180, "BHD-314"),
        Text(50, 194, "Date issued"),
        Text(150, 194, "May 5th, 2024"),
        Text(300, 400, "Amount Due (GBP)"),
        Text(480, 400, "£2,450.00"),
    ]
    outcome = extract(write_pdf(tmp_path / "from-to.pdf", [texts]))
    assert outcome.fields["vendorName"] == "Blue Harbor Design"
    assert outcome.fields["invoiceNumber"] == "BHD-314"
    assert outcome.fields["invoiceDate"] == "2024-05-05"
    assert outcome.fields["totalAmount"] == "2450.00"
    assert outcome.fields["currency"] == "GBP"


def test_seller_and_buyer_side_by_side(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 60, "Faktura VAT nr FV/12/03/2024", 14),
        Text(50, 80, "Data wystawienia: 12.03.2024"),
        Text(50, 130, "Sprzedawca:"),
        Text(300, 130, "Nabywca:"),
        Text(50, 144, "Zielony Ogród Spółka Jawna"),
        Text(300, 144, "Biuro Rachunkowe Sp. z o.o."),
        Text(50, 158, "ul. Leśna 4, 30-001 Kraków"),
        Text(300, 158, "ul. Polna 8, Gdańsk"),
        Text(300, 400, "Wartość netto"),
        Text(480, 400, "500,00 zł"),
        Text(300, 416, "Kwota VAT"),
        Text(480, 416, "115,00 zł"),
        Text(300, 432, "Do zapłaty"),
        Text(480, 432, "615,00 zł"),
    ]
    outcome = extract(write_pdf(tmp_path / "pl.pdf", [texts]))
    assert outcome.fields["vendorName"] == "Zielony Ogród Spółka Jawna"
    assert outcome.fields["invoiceNumber"] == "FV/12/03/2024"
    assert outcome.fields["invoiceDate"] == "2024-03-12"
    assert outcome.fields["totalAmount"] == "615.00"
    assert outcome.fields["taxAmount"] == "115.00"
    assert outcome.fields["currency"] == "PLN"


def test_tax_lines_at_two_rates_are_added_when_only_the_sum_fits(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 50, "Feinkost Weber GmbH", 14),
        Text(50, 64, "Marktplatz 2, 04109 Leipzig"),
        Text(50, 120, "Rechnungsnummer:"),
        Text(170, 120, "FW-5567"),
        Text(300, 400, "Nettobetrag"),
        Text(480, 400, "200,00 €"),
        Text(300, 416, "MwSt. 7%"),
        Text(480, 416, "7,00 €"),
        Text(300, 432, "MwSt. 19%"),
        Text(480, 432, "19,00 €"),
        Text(300, 448, "Gesamtbetrag"),
        Text(480, 448, "226,00 €"),
    ]
    outcome = extract(write_pdf(tmp_path / "rates.pdf", [texts]))
    assert outcome.fields["taxAmount"] == "26.00"
    assert outcome.fields["totalAmount"] == "226.00"


def test_tax_that_fits_the_arithmetic_beats_a_larger_one(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 50, "Lumen Lighting Ltd", 14),
        Text(50, 64, "2 Canal Street, Leeds LS1 4AB"),
        Text(50, 120, "Invoice No:"),
        Text(170, 120, "LL-77"),
        Text(50, 300, "VAT registration 20% scheme applies to £50.00 of goods"),
        Text(300, 400, "Net"),
        Text(480, 400, "£100.00"),
        Text(300, 416, "VAT"),
        Text(480, 416, "£20.00"),
        Text(300, 432, "Total"),
        Text(480, 432, "£120.00"),
    ]
    outcome = extract(write_pdf(tmp_path / "fit.pdf", [texts]))
    assert outcome.fields["taxAmount"] == "20.00"


def test_rotated_page_reads_the_same(tmp_path: pathlib.Path) -> None:
    spec = BASE
    path = write_invoice(tmp_path / "inv.pdf", spec)
    doc = pymupdf.open(path)
    doc[0].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    doc.save(rotated)
    parsed = parse_pdf(rotated)
    assert parsed.pages[0].rotation == 90
    assert (round(parsed.pages[0].width), round(parsed.pages[0].height)) == (595, 842)
    assert extract_fields(parsed).fields == extract(path).fields


def test_status_field_and_overdue_stamp(tmp_path: pathlib.Path) -> None:
    spec = BASE
    paid = [*invoice_texts(spec), Text(50, 300, "Status: Paid")]
    overdue = [*invoice_texts(spec), Text(250, 300, "OVERDUE", 24)]
    assert extract(write_pdf(tmp_path / "paid.pdf", [paid])).fields["status"] == "PAID"
    assert extract(write_pdf(tmp_path / "late.pdf", [overdue])).fields["status"] == "DUE"


def test_due_date_from_payment_terms(tmp_path: pathlib.Path) -> None:
    spec = BASE
    net = [*invoice_texts(spec), Text(50, 300, "Payment terms:"), Text(150, 300, "Net 30")]
    returns = [*invoice_texts(spec), Text(50, 300, "Unused items may be returned within 30 days.")]
    assert extract(write_pdf(tmp_path / "net.pdf", [net])).fields["dueDate"] == "2024-03-30"
    assert extract(write_pdf(tmp_path / "ret.pdf", [returns])).fields["dueDate"] is None


def test_printed_due_date_beats_payment_terms(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 50, "Kraftwerk Service GmbH", 14),
        Text(50, 64, "Am Hafen 1, 20457 Hamburg"),
        Text(50, 120, "Rechnungsnr.:"),
        Text(160, 120, "KS-1"),
        Text(50, 134, "Datum:"),
        Text(160, 134, "01.02.2024"),
        Text(50, 148, "Fällig am:"),
        Text(160, 148, "20.02.2024"),
        Text(50, 300, "Zahlbar innerhalb von 14 Tagen ohne Abzug."),
        Text(300, 400, "Gesamtbetrag"),
        Text(480, 400, "50,00 €"),
    ]
    assert extract(write_pdf(tmp_path / "de.pdf", [texts])).fields["dueDate"] == "2024-02-20"


def test_maker_named_in_a_line_item_is_not_the_vendor(tmp_path: pathlib.Path) -> None:
    spec = replace(
        BASE,
        vendor="Corner Computer Shop",
        vendor_address=("5 High St", "Bath"),
        total="£1,099.00",
        items=(("Laptop made by Lenovo Group Limited", "£1,099.00"),),
    )
    assert extract(write_invoice(tmp_path / "inv.pdf", spec)).fields["vendorName"] == (
        "Corner Computer Shop"
    )
