"""Rules found by the third synthetic series (layouts of shops, ERP systems, craftsmen's and
French invoicing software, ``tests/fixtures/corpus/probe_layouts.py``): each invoice here is a
minimal page with the one trait that misled the extractor."""

from __future__ import annotations

import pathlib

from tests.fixtures.invoices import Text, write_pdf
from tests.worker.extraction.helpers import extract
from worker.extraction.labels import Kind, find_labels


def _fields(tmp_path: pathlib.Path, texts: list[Text]) -> dict[str, object]:
    return extract(write_pdf(tmp_path / "inv.pdf", [texts])).fields


def _shop(total: list[Text]) -> list[Text]:
    return [
        Text(50, 50, "mueller-shop.de", size=22),
        Text(50, 68, "Müller Haustechnik GmbH"),
        Text(50, 120, "Müller Haustechnik GmbH | Marktplatz 92 | 50667 Köln", size=7),
        Text(50, 140, "Claudia Krüger"),
        Text(50, 154, "Lindenallee 33"),
        Text(50, 168, "80331 München"),
        Text(350, 140, "Rechnungsnummer:"),
        Text(460, 140, "330473"),
        Text(350, 154, "Rechnungsdatum:"),
        Text(460, 154, "25.01.2025"),
        *total,
        Text(50, 780, "Müller Haustechnik GmbH · Marktplatz 92 · 50667 Köln", size=7),
        Text(50, 790, "www.mueller-shop.de · USt-IdNr.: DE991701629", size=7),
    ]


GROSS_PRICES = [
    Text(50, 260, "Bluetooth-Lautsprecher"),
    Text(480, 260, "99,89 EUR"),
    Text(330, 300, "Zwischensumme"),
    Text(480, 300, "99,89 EUR"),
    Text(330, 314, "Versandkosten"),
    Text(480, 314, "4,90 EUR"),
    Text(330, 328, "Gesamtsumme"),
    Text(480, 328, "104,79 EUR"),
    Text(330, 342, "enthaltene MwSt. 19 %"),
    Text(480, 342, "16,73 EUR"),
]


def test_a_shop_domain_over_the_page_is_a_brand_the_legal_name_is_the_vendor(
    tmp_path: pathlib.Path,
) -> None:
    f = _fields(tmp_path, _shop(GROSS_PRICES))
    assert f["vendorName"] == "Müller Haustechnik GmbH"


def test_a_domain_is_still_the_vendor_when_no_company_name_is_printed(
    tmp_path: pathlib.Path,
) -> None:
    texts = [t for t in _shop(GROSS_PRICES) if "Müller" not in t.text]
    assert _fields(tmp_path, texts)["vendorName"] == "mueller-shop.de"


def test_a_subtotal_of_gross_prices_is_not_the_net(tmp_path: pathlib.Path) -> None:
    """Shop prices include VAT: "Zwischensumme" + shipping = total; the net is total − tax."""
    f = _fields(tmp_path, _shop(GROSS_PRICES))
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("104.79", "16.73", "88.06")


def test_the_invoice_a_credit_note_refers_to_is_not_its_number(tmp_path: pathlib.Path) -> None:
    german = [
        Text(50, 50, "Brandt Logistik GmbH & Co. KG"),
        Text(50, 64, "Industriestraße 65 · 10115 Berlin"),
        Text(350, 120, "Belegnummer"),
        Text(460, 120, "944527139"),
        Text(350, 134, "Belegdatum"),
        Text(460, 134, "12.10.2024"),
        Text(350, 148, "Bezug Rechnung"),
        Text(460, 148, "949908106"),
        Text(50, 200, "Gutschrift", size=14),
    ]
    assert _fields(tmp_path, german)["invoiceNumber"] == "944527139"
    french = [
        Text(50, 50, "Lefèvre Imprimerie EURL"),
        Text(50, 64, "avenue Jean Jaurès 108, 69001 Lyon"),
        Text(50, 150, "AVOIR", size=14),
        Text(200, 180, "N° d'avoir"),
        Text(200, 194, "AV-2024-0133"),
        Text(50, 230, "Avoir sur facture n° FA-2024-06640 du 18/07/2024"),
    ]
    assert _fields(tmp_path, french)["invoiceNumber"] == "AV-2024-0133"


def test_an_interim_invoice_is_due_its_gross_interim_amount(tmp_path: pathlib.Path) -> None:
    texts = [
        Text(50, 50, "Brandt Maler e.K."),
        Text(50, 64, "Lindenallee 66, 10115 Berlin"),
        Text(50, 150, "2. Abschlagsrechnung Nr. AR-2025-933"),
        Text(50, 200, "Auftragssumme netto lt. Angebot 2025-80"),
        Text(480, 200, "€ 27 000,00"),
        Text(50, 214, "Leistungsstand 60 %"),
        Text(480, 214, "€ 16 200,00"),
        Text(50, 228, "abzüglich 1. Abschlagsrechnung AR-2025-932"),
        Text(480, 228, "-€ 5 400,00"),
        Text(50, 242, "Abschlagsbetrag netto"),
        Text(480, 242, "€ 10 800,00"),
        Text(50, 256, "zzgl. MwSt. 19 %"),
        Text(480, 256, "€ 2 052,00"),
        Text(50, 270, "Abschlagsbetrag brutto"),
        Text(480, 270, "€ 12 852,00"),
    ]
    f = _fields(tmp_path, texts)
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("12852.00", "2052.00", "10800.00")


def test_the_letterheads_short_name_is_the_companys_full_name_not_the_buyer(
    tmp_path: pathlib.Path,
) -> None:
    texts = [
        Text(60, 60, "GIRARD", size=20),
        Text(50, 92, "Girard Informatique SA"),
        Text(50, 104, "rue de la Paix 18"),
        Text(50, 116, "33000 Bordeaux"),
        Text(50, 128, "Tél. 08 37 58 99 31"),
        Text(330, 130, "Moreau Imprimerie SARL"),
        Text(330, 142, "rue Victor Hugo 74"),
        Text(330, 154, "75002 Paris"),
        Text(50, 200, "FACTURE", size=14),
        Text(178, 232, "N° facture"),
        Text(178, 246, "FA-2024-04614"),
        Text(50, 800, "Girard Informatique SA - SA au capital de 10 000 € - RCS Bordeaux", size=7),
    ]
    f = _fields(tmp_path, texts)
    assert (f["vendorName"], f["buyerName"]) == ("Girard Informatique SA", "Moreau Imprimerie SARL")


def test_a_contact_line_over_the_sender_line_does_not_hide_the_window(
    tmp_path: pathlib.Path,
) -> None:
    texts = [
        Text(200, 50, "Brandt Maler e.K.", size=16),
        Text(180, 66, "Meisterbetrieb · Lindenallee 66 · 10115 Berlin · Tel. 0448 154195", size=8),
        Text(50, 130, "Brandt Maler e.K., Lindenallee 66, 10115 Berlin", size=7),
        Text(350, 130, "Rechnung Nr."),
        Text(450, 130, "AR-2025-933"),
        Text(50, 146, "Herrn"),
        Text(50, 158, "Thomas Neumann"),
        Text(50, 170, "Industriestraße 20"),
        Text(50, 182, "20095 Hamburg"),
    ]
    assert _fields(tmp_path, texts)["buyerName"] == "Thomas Neumann"


def test_a_label_starting_with_a_group_is_found_by_each_alternative() -> None:
    for text in ("Service date", "Supply date", "Credit note for invoice", "Against invoice no."):
        assert [label.kind for label in find_labels(text)] == [Kind.OTHER], text


def test_a_credit_note_printing_its_tax_unsigned_nets_to_total_minus_tax(
    tmp_path: pathlib.Path,
) -> None:
    texts = [
        Text(50, 50, "Au bon moulin SARL"),
        Text(50, 64, "1 rue du Moulin, 75001 Paris"),
        Text(50, 150, "Avoir AV-2017-0005", size=14),
        Text(50, 220, "Huile d'olive"),
        Text(480, 220, "-198,00 €"),
        Text(330, 300, "Taxes"),
        Text(480, 300, "14,99 €"),
        Text(330, 314, "Total TTC"),
        Text(480, 314, "-233,47 €"),
    ]
    f = _fields(tmp_path, texts)
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("-233.47", "-14.99", "-218.48")
