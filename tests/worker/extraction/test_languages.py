"""Generated invoices in each supported language, with that language's number and date formats."""

from __future__ import annotations

import pathlib
from dataclasses import replace

import pytest

from tests.fixtures.invoices import InvoiceSpec, write_invoice
from tests.worker.extraction.helpers import extract

# (spec, expected fields) per language. The printed values follow local conventions; the
# expected values are the same facts normalised (ISO dates, dot decimals, ISO currency).
LANGUAGES = {
    "en": (
        InvoiceSpec(
            vendor="Acme Widgets Ltd",
            vendor_address=("12 Harbour Road", "Bristol BS1 4DJ"),
            buyer_label="Bill To:",
            buyer=("Globex Corporation", "500 Oak Street", "Springfield"),
            number_label="Invoice Number:",
            number="INV-2023-0042",
            date_label="Invoice Date:",
            date="03/04/2023",
            due_label="Due Date:",
            due="04/18/2023",
            subtotal_label="Subtotal",
            subtotal="$1,029.00",
            tax_label="Sales Tax 8%",
            tax="$82.32",
            total_label="Total Due",
            total="$1,111.32",
            items=(("Widgets, large", "$1,000.00"), ("Shipping", "$29.00")),
        ),
        {
            "vendorName": "Acme Widgets Ltd",
            "invoiceNumber": "INV-2023-0042",
            "invoiceDate": "2023-03-04",
            "dueDate": "2023-04-18",
            "totalAmount": "1111.32",
            "taxAmount": "82.32",
            "currency": "USD",
        },
    ),
    "de": (
        InvoiceSpec(
            vendor="Müller Technik GmbH",
            vendor_address=("Hauptstraße 5", "80331 München"),
            buyer_label="Rechnungsadresse",
            buyer=("Schmidt & Partner KG", "Ringstraße 9", "10115 Berlin"),
            number_label="Rechnungsnummer:",
            number="RE-2023-117",
            date_label="Rechnungsdatum:",
            date="31.12.2023",
            due_label="Fälligkeitsdatum:",
            due="14.01.2024",
            subtotal_label="Zwischensumme",
            subtotal="1.234,56 €",
            tax_label="MwSt. 19%",
            tax="234,57 €",
            total_label="Gesamtbetrag",
            total="1.469,13 €",
            items=(("Wartung Server", "1.234,56 €"),),
        ),
        {
            "vendorName": "Müller Technik GmbH",
            "invoiceNumber": "RE-2023-117",
            "invoiceDate": "2023-12-31",
            "dueDate": "2024-01-14",
            "totalAmount": "1469.13",
            "taxAmount": "234.57",
            "currency": "EUR",
        },
    ),
    "fr": (
        InvoiceSpec(
            vendor="Boulangerie Dupont SARL",
            vendor_address=("8 rue de la Paix", "75002 Paris"),
            buyer_label="Facturé à",
            buyer=("Café Martin SAS", "3 place Bellecour", "69002 Lyon"),
            number_label="Facture n°",
            number="F2023-0815",
            date_label="Date de facture :",
            date="15 mars 2023",
            due_label="Date d'échéance :",
            due="14 avril 2023",
            subtotal_label="Total HT",
            subtotal="1 250,00 €",
            tax_label="TVA 20 %",
            tax="250,00 €",
            total_label="Total TTC",
            total="1 500,00 €",
            items=(("Pains et viennoiseries", "1 250,00 €"),),
        ),
        {
            "vendorName": "Boulangerie Dupont SARL",
            "invoiceNumber": "F2023-0815",
            "invoiceDate": "2023-03-15",
            "dueDate": "2023-04-14",
            "totalAmount": "1500.00",
            "taxAmount": "250.00",
            "currency": "EUR",
        },
    ),
    "nl": (
        InvoiceSpec(
            vendor="Bakkerij Jansen B.V.",
            vendor_address=("Dorpsstraat 12", "1011 AB Amsterdam"),
            buyer_label="Factuuradres",
            buyer=("De Vries Horeca", "Kerkweg 4", "3511 Utrecht"),
            number_label="Factuurnummer:",
            number="2023-0456",
            date_label="Factuurdatum:",
            date="3 april 2023",
            due_label="Vervaldatum:",
            due="03-05-2023",
            subtotal_label="Subtotaal",
            subtotal="€ 826,45",
            tax_label="BTW 21%",
            tax="€ 173,55",
            total_label="Totaal",
            total="€ 1.000,00",
            items=(("Brood", "€ 826,45"),),
        ),
        {
            "vendorName": "Bakkerij Jansen B.V.",
            "invoiceNumber": "2023-0456",
            "invoiceDate": "2023-04-03",
            "dueDate": "2023-05-03",
            "totalAmount": "1000.00",
            "taxAmount": "173.55",
            "currency": "EUR",
        },
    ),
    "es": (
        InvoiceSpec(
            vendor="Talleres García S.L.",
            vendor_address=("Calle Mayor 10", "28013 Madrid"),
            buyer_label="Cliente",
            buyer=("Construcciones López", "Avenida del Sol 3", "Sevilla"),
            number_label="Factura nº",
            number="A-2023-77",
            date_label="Fecha de factura:",
            date="31 de enero de 2023",
            due_label="Fecha de vencimiento:",
            due="02/03/2023",
            subtotal_label="Base imponible",
            subtotal="2.000,00 €",
            tax_label="IVA 21%",
            tax="420,00 €",
            total_label="Total factura",
            total="2.420,00 €",
            items=(("Reparación", "2.000,00 €"),),
        ),
        {
            "vendorName": "Talleres García S.L.",
            "invoiceNumber": "A-2023-77",
            "invoiceDate": "2023-01-31",
            "dueDate": "2023-03-02",
            "totalAmount": "2420.00",
            "taxAmount": "420.00",
            "currency": "EUR",
        },
    ),
    "it": (
        InvoiceSpec(
            vendor="Rossi Forniture S.r.l.",
            vendor_address=("Via Roma 21", "20121 Milano"),
            buyer_label="Spett.le",
            buyer=("Bianchi Costruzioni", "Via Verdi 7", "Torino"),
            number_label="Fattura n.",
            number="123/2023",
            date_label="Data fattura:",
            date="12/05/2023",
            due_label="Scadenza:",
            due="11 giugno 2023",
            subtotal_label="Imponibile",
            subtotal="€ 500,00",
            tax_label="IVA 22%",
            tax="€ 110,00",
            total_label="Totale documento",
            total="€ 610,00",
            items=(("Materiale edile", "€ 500,00"),),
        ),
        {
            "vendorName": "Rossi Forniture S.r.l.",
            "invoiceNumber": "123/2023",
            "invoiceDate": "2023-05-12",
            "dueDate": "2023-06-11",
            "totalAmount": "610.00",
            "taxAmount": "110.00",
            "currency": "EUR",
        },
    ),
    "pl": (
        InvoiceSpec(
            vendor="Kowalski Sp. z o.o.",
            vendor_address=("ul. Długa 5", "00-950 Warszawa"),
            buyer_label="Nabywca",
            buyer=("Nowak Handel", "ul. Krótka 2", "Kraków"),
            number_label="Faktura nr",
            number="FV/2023/05/12",
            date_label="Data wystawienia:",
            date="2023-05-12",
            due_label="Termin płatności:",
            due="26 maja 2023",
            subtotal_label="Wartość netto",
            subtotal="1 000,00 zł",
            tax_label="VAT 23%",
            tax="230,00 zł",
            total_label="Razem do zapłaty",
            total="1 230,00 zł",
            items=(("Usługi transportowe", "1 000,00 zł"),),
        ),
        {
            "vendorName": "Kowalski Sp. z o.o.",
            "invoiceNumber": "FV/2023/05/12",
            "invoiceDate": "2023-05-12",
            "dueDate": "2023-05-26",
            "totalAmount": "1230.00",
            "taxAmount": "230.00",
            "currency": "PLN",
        },
    ),
}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_invoice_in_each_language(tmp_path: pathlib.Path, lang: str) -> None:
    spec, expected = LANGUAGES[lang]
    outcome = extract(write_invoice(tmp_path / f"{lang}.pdf", spec))
    got = {key: outcome.fields[key] for key in expected}
    assert got == expected


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_found_field_has_evidence_on_the_page(tmp_path: pathlib.Path, lang: str) -> None:
    spec, _ = LANGUAGES[lang]
    outcome = extract(write_invoice(tmp_path / f"{lang}.pdf", spec))
    found = {name for name, value in outcome.fields.items() if value not in (None, [])}
    evidence = {e["field"]: e for e in outcome.evidence}
    assert set(evidence) == found
    for e in evidence.values():
        if e["field"] in ("taxBreakdown", "lineItems"):
            continue  # a list has no single box on the page
        assert 0 < e["confidence"] <= 1
        assert e["page"] == 1 and e["source"] == "text"
        x0, y0, x1, y1 = e["bbox"]
        assert 0 <= x0 < x1 <= 595 and 0 <= y0 < y1 <= 842


VARIANTS = {
    "values_below": lambda spec: replace(spec, values_below=True),
    "buyer_first": lambda spec: replace(spec, buyer_first=True),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_each_language_in_other_layouts(tmp_path: pathlib.Path, lang: str, variant: str) -> None:
    spec, expected = LANGUAGES[lang]
    outcome = extract(write_invoice(tmp_path / f"{lang}.pdf", VARIANTS[variant](spec)))
    got = {key: outcome.fields[key] for key in expected}
    assert got == expected
