"""The label vocabulary: the longest label wins, negations and neighbours are respected."""

from __future__ import annotations

import pytest

from worker.extraction.labels import Kind, find_labels


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Invoice Date: 2024-01-01", [(Kind.INVOICE_DATE, "Invoice Date")]),
        ("Invoice Number: 55", [(Kind.INVOICE_NUMBER, "Invoice Number")]),
        ("Invoice 55", [(Kind.TITLE, "Invoice")]),
        ("invoice_number_1", []),  # inside an identifier
        ("Rechnungsnr. 30064443", [(Kind.INVOICE_NUMBER, "Rechnungsnr.")]),
        ("Facture n°562044387", [(Kind.INVOICE_NUMBER, "Facture n°")]),
        ("Factuur datum", [(Kind.INVOICE_DATE, "Factuur datum")]),
        ("Order Date: 1.1.2024", [(Kind.OTHER, "Order Date")]),
        ("Subtotal $5", [(Kind.SUBTOTAL, "Subtotal")]),
        ("Total HT : 46,68 €", [(Kind.SUBTOTAL, "Total HT")]),
        ("Total TTC : 56,02 €", [(Kind.TOTAL, "Total TTC")]),
        ("Razem netto", [(Kind.SUBTOTAL, "Razem netto")]),
        ("Razem do zapłaty", [(Kind.TOTAL, "Razem do zapłaty")]),
        ("Exclusief BTW € 593,36", [(Kind.SUBTOTAL, "Exclusief BTW")]),
        ("Gesamtbetrag inkl. MwSt. 119,00", [(Kind.TOTAL, "Gesamtbetrag inkl. MwSt.")]),
        ("Brutto gesamt 119,00", [(Kind.TOTAL, "Brutto gesamt")]),
        ("Gesamt (brutto) 119,00", [(Kind.TOTAL, "Gesamt (brutto)")]),
        ("NET A PAYER 104,90", [(Kind.TOTAL, "NET A PAYER")]),
        ("Rg.-Nr.: 2024-117", [(Kind.INVOICE_NUMBER, "Rg.-Nr.")]),
        ("Re.-Datum: 01.02.2024", [(Kind.INVOICE_DATE, "Re.-Datum")]),
        ("Dokumentnummer 90017", [(Kind.INVOICE_NUMBER, "Dokumentnummer")]),
        ("Sammelrechnung 2024-3", [(Kind.TITLE, "Sammelrechnung")]),
        ("Warenempfänger", [(Kind.BUYER, "Warenempfänger")]),
        ("Base de TVA 900,00", [(Kind.SUBTOTAL, "Base de TVA")]),
        ("Due payable: 571.04 €", [(Kind.TOTAL, "Due payable")]),
        ("Customer name: Globex", [(Kind.BUYER, "Customer name")]),
        ("Montant hors taxes 3 567,00 €", [(Kind.SUBTOTAL, "Montant hors taxes")]),
        ("Émise le 3 août 2026", [(Kind.INVOICE_DATE, "Émise le")]),
        ("Bemessungsgrundlage 900,00", [(Kind.SUBTOTAL, "Bemessungsgrundlage")]),
        ("Grondslag BTW 900,00", [(Kind.SUBTOTAL, "Grondslag BTW")]),
        ("Prijzen zijn inclusief BTW", []),
        ("MwSt. 19%", [(Kind.TAX, "MwSt.")]),
        ("Uw BTW nummer: NL00333599698", [(Kind.OTHER, "Uw BTW nummer")]),
        ("Tax Invoice", [(Kind.TITLE, "Tax Invoice")]),
        ("Bill To: Globex", [(Kind.BUYER, "Bill To")]),
        ("Sold By : WS Retail", [(Kind.SELLER, "Sold By")]),
        ("Titulaire du compte : NETPRESSE", [(Kind.SELLER, "Titulaire du compte")]),
        ("Termin płatności: 26 maja 2023", [(Kind.DUE_DATE, "Termin płatności")]),
        ("Zahlungsbedingungen: 14 Tage", [(Kind.TERMS, "Zahlungsbedingungen")]),
    ],
)
def test_labels(text: str, expected: list[tuple[Kind, str]]) -> None:
    assert [(label.kind, label.text) for label in find_labels(text)] == expected
