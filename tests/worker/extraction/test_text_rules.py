"""Text-path rules: booking fields, arithmetic between candidates, credit notes, and hostile
layouts (the extractor never raises)."""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.invoices import Text, write_pdf
from tests.worker.extraction.helpers import extract
from worker.extraction import ParsedDocument, ParsedPage, extract_fields
from worker.extraction.parse import Word
from worker.extraction.vendor import plausible_name


def _pdf(tmp_path: pathlib.Path, rows: list[tuple[float, float, str]]) -> pathlib.Path:
    return write_pdf(tmp_path / "inv.pdf", [[Text(x, y, s) for x, y, s in rows]])


HEADER = [
    (50, 50, "Nordlicht Elektro GmbH"),
    (50, 64, "Hafenstraße 3, 20457 Hamburg"),
    (50, 130, "Rechnung an"),
    (50, 144, "Kranich Bau AG"),
    (50, 158, "Ulmenweg 7, 10115 Berlin"),
    (350, 130, "Rechnungs-Nr.:"),
    (450, 130, "NE-2024-117"),
    (350, 144, "Datum:"),
    (450, 144, "24. Januar 2024"),
]


def test_booking_fields_from_text(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (350, 158, "Ihre Bestellung:"),
        (450, 158, "PO-4471"),
        (50, 250, "Beratung"),
        (300, 250, "2"),
        (380, 250, "50,00"),
        (480, 250, "100,00"),
        (50, 264, "Montage"),
        (300, 264, "1"),
        (380, 264, "100,00"),
        (480, 264, "100,00"),
        (330, 300, "Nettobetrag"),
        (480, 300, "200,00 €"),
        (330, 314, "MwSt. 19 %"),
        (480, 314, "38,00 €"),
        (330, 328, "Gesamtbetrag"),
        (480, 328, "238,00 €"),
        (50, 360, "Zahlbar innerhalb von 14 Tagen ohne Abzug."),
        (50, 780, "IBAN DE89 3704 0044 0532 0130 00"),
        (50, 792, "BIC COBADEFFXXX"),
        (300, 780, "USt-IdNr. DE123456789"),
        (300, 792, "Ihre USt-IdNr. DE987654321"),
    ]
    outcome = extract(_pdf(tmp_path, rows))
    f = outcome.fields
    assert f["vendorName"] == "Nordlicht Elektro GmbH"
    assert f["invoiceNumber"] == "NE-2024-117"
    assert f["invoiceDate"] == "2024-01-24"
    assert f["dueDate"] == "2024-02-07"  # implied by "Zahlbar innerhalb von 14 Tagen"
    assert f["totalAmount"] == "238.00" and f["taxAmount"] == "38.00"
    assert f["netAmount"] == "200.00"
    assert f["sellerVatId"] == "DE123456789"  # not the customer's ("Ihre USt-IdNr.")
    assert f["buyerName"] == "Kranich Bau AG"
    assert f["iban"] == "DE89370400440532013000"
    assert f["bic"] == "COBADEFFXXX"
    assert f["orderReference"] == "PO-4471"
    assert "14 Tagen" in f["paymentTerms"]
    # one rate, no base printed beside it: the base is the net (200 × 19 % = 38)
    assert f["taxBreakdown"] == [{"rate": "19.00", "netAmount": "200.00", "taxAmount": "38.00"}]
    assert [line["netAmount"] for line in f["lineItems"]] == ["100.00", "100.00"]
    assert f["lineItems"][0]["quantity"] == "2.00" and f["lineItems"][0]["unitPrice"] == "50.00"
    assert f["lineItems"][0]["description"] == "Beratung"
    checks = {c["name"]: c["passed"] for c in outcome.checks}
    assert checks == {
        "NET_PLUS_TAX_EQUALS_TOTAL": True,
        "TAX_BREAKDOWN_SUMS_TO_TAX": True,
        "BREAKDOWN_NET_SUMS_TO_NET": True,
        "LINES_SUM_TO_NET": True,
        "IBAN_CHECKSUM": True,
    }
    confidence = {e["field"]: e["confidence"] for e in outcome.evidence}
    assert confidence["totalAmount"] > 0.9  # its check held


def test_iban_failing_its_checksum_is_not_extracted(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (50, 780, "IBAN DE89 3704 0044 0532 0130 01"),
        (330, 328, "Gesamtbetrag"),
        (480, 328, "238,00 €"),
    ]
    assert extract(_pdf(tmp_path, rows)).fields["iban"] is None


def test_tax_is_the_sum_of_per_rate_lines(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (330, 300, "Summe netto"),
        (480, 300, "300,00 €"),
        (330, 314, "MwSt. 19 %"),
        (480, 314, "38,00 €"),
        (330, 328, "MwSt. 7 %"),
        (480, 328, "7,00 €"),
        (330, 342, "Rechnungsbetrag"),
        (480, 342, "345,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["taxAmount"] == "45.00" and f["totalAmount"] == "345.00"
    assert {b["rate"] for b in f["taxBreakdown"]} == {"19.00", "7.00"}


def test_arithmetic_prefers_the_gross_total_over_the_amount_due(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (330, 300, "Nettobetrag"),
        (480, 300, "100,00 €"),
        (330, 314, "MwSt. 19 %"),
        (480, 314, "19,00 €"),
        (330, 328, "Bruttosumme"),
        (480, 328, "119,00 €"),
        (330, 342, "Zahlbetrag"),
        (480, 342, "69,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["totalAmount"] == "119.00" and f["netAmount"] == "100.00"


def test_credit_note_amounts_are_negative(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "Nordlicht Elektro GmbH"),
        (50, 64, "Hafenstraße 3, 20457 Hamburg"),
        (50, 200, "GUTSCHRIFT"),
        (350, 130, "Gutschrift Nr."),
        (450, 130, "GS-17"),
        (350, 144, "Datum:"),
        (450, 144, "02.02.2024"),
        (330, 300, "Nettobetrag"),
        (480, 300, "100,00 €"),
        (330, 314, "MwSt. 19 %"),
        (480, 314, "19,00 €"),
        (330, 328, "Gesamtbetrag"),
        (480, 328, "119,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("-119.00", "-19.00", "-100.00")


def test_vendor_is_never_a_label_word_or_the_buyer(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 100, "Verkäufer"),
        (50, 114, "Nummer:"),
        (120, 114, "549910"),
        (50, 128, "Name:"),
        (120, 128, "Lieferant GmbH"),
        (50, 170, "Käufer"),
        (50, 184, "Name:"),
        (120, 184, "Kunden AG Mitte"),
        (50, 230, "Handelsrechnung (380)"),
        (200, 230, "Nr. 471102"),
        (300, 230, "vom"),
        (340, 230, "15.11.2024"),
        (330, 328, "Gesamtbetrag"),
        (480, 328, "119,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["vendorName"] == "Lieferant GmbH"
    assert f["buyerName"] == "Kunden AG Mitte"
    assert f["invoiceNumber"] == "471102"


_WORD = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzÄÖÜäöüéèñ0123456789.,:;-/%€$#°() ")),
    min_size=1,
    max_size=14,
)
_VOCAB = st.sampled_from(
    [
        "Rechnung",
        "Nr.",
        "Total",
        "MwSt.",
        "19%",
        "IBAN",
        "DE89",
        "Gutschrift",
        "Käufer",
        "Verkäufer",
        "Summe",
        "netto",
        "1.234,56",
        "12/31/2024",
        "Bill to",
        "N°",
        "Net 30",
        "Zahlbar",
        "Tagen",
        "BIC",
        "GmbH",
        "-",
        "\t",
        "31.02.2024",
        "9" * 40,
    ]
)


@st.composite
def _documents(draw: st.DrawFn) -> ParsedDocument:
    pages = []
    for number in range(1, draw(st.integers(1, 2)) + 1):
        words = []
        for i in range(draw(st.integers(0, 60))):
            text = draw(st.one_of(_WORD, _VOCAB))
            x0 = draw(st.floats(0, 580))
            y0 = draw(st.floats(0, 830))
            w = draw(st.floats(0.1, 120))
            h = draw(st.floats(0.1, 30))
            words.append(Word(x0, y0, x0 + w, y0 + h, text, i // 5, i % 5, i))
        text = " ".join(w.text for w in words)
        pages.append(ParsedPage(number, 595, 842, text, words))
    return ParsedDocument(page_count=len(pages), pages=pages)


@given(_documents())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_extractor_never_raises_on_arbitrary_layouts(doc: ParsedDocument) -> None:
    outcome = extract_fields(doc)
    data = outcome.to_json()
    assert set(data) == {"fields", "evidence", "checks"}
    assert isinstance(data["fields"]["taxBreakdown"], list)


def test_window_letter_with_position_column_and_attention_line(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 120, "Muster Handwerk GmbH · Musterweg 1 · 12345 Musterstadt"),
        (50, 140, "Firma Kunde AG"),
        (50, 152, "z. Hd. Frau Schmidt"),
        (50, 164, "Kundenstraße 5"),
        (50, 176, "54321 Kundenstadt"),
        (360, 140, "Rechnungsnr."),
        (460, 140, "RE-1042"),
        (360, 164, "Datum"),
        (460, 164, "12.03.2024"),
        (50, 300, "Pos."),
        (80, 300, "Beschreibung"),
        (300, 300, "Menge"),
        (380, 300, "Einzelpreis"),
        (480, 300, "Gesamtpreis"),
        (50, 315, "1"),
        (80, 315, "Fliesen verlegen"),
        (300, 315, "12 m²"),
        (380, 315, "45,00 €"),
        (480, 315, "540,00 €"),
        (50, 330, "2"),
        (80, 330, "Material"),
        (300, 330, "1 Pausch."),
        (380, 330, "120,00 €"),
        (480, 330, "120,00 €"),
        (300, 360, "Gesamtbetrag (netto)"),
        (480, 360, "660,00 €"),
        (300, 374, "zzgl. Umsatzsteuer 19 %"),
        (480, 374, "125,40 €"),
        (300, 388, "Gesamtbetrag (brutto)"),
        (480, 388, "785,40 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["vendorName"] == "Muster Handwerk GmbH"
    assert f["buyerName"] == "Firma Kunde AG"  # not the attention line's person
    assert (f["netAmount"], f["taxAmount"], f["totalAmount"]) == ("660.00", "125.40", "785.40")
    assert [(x["description"], x["quantity"], x["unit"]) for x in f["lineItems"]] == [
        ("Fliesen verlegen", "12.00", "m²"),
        ("Material", "1.00", "Pausch."),
    ]


def test_per_rate_nets_and_taxes_add_up(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 60, "Bäckerei Korn e.K."),
        (50, 130, "Hotel Elbblick GmbH"),
        (50, 142, "Am Ufer 2"),
        (50, 154, "01069 Dresden"),
        (400, 130, "Rechnung Nr. 2024-311"),
        (400, 142, "Dresden, 30.04.2024"),
        (300, 400, "Warenwert 7 %"),
        (480, 400, "500,00 €"),
        (300, 414, "Warenwert 19 %"),
        (480, 414, "100,00 €"),
        (300, 428, "MwSt 7 %"),
        (480, 428, "35,00 €"),
        (300, 442, "MwSt 19 %"),
        (480, 442, "19,00 €"),
        (300, 456, "Endbetrag"),
        (480, 456, "654,00 €"),
    ]
    outcome = extract(_pdf(tmp_path, rows))
    f = outcome.fields
    assert (f["netAmount"], f["taxAmount"], f["totalAmount"]) == ("600.00", "54.00", "654.00")
    assert f["invoiceDate"] == "2024-04-30" and f["invoiceNumber"] == "2024-311"
    assert f["buyerName"] == "Hotel Elbblick GmbH"
    assert f["taxBreakdown"] == [
        {"rate": "7.00", "netAmount": "500.00", "taxAmount": "35.00"},
        {"rate": "19.00", "netAmount": "100.00", "taxAmount": "19.00"},
    ]
    assert all(c["passed"] for c in outcome.checks)


def test_bic_without_a_label_is_read_next_to_the_iban(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (50, 760, "Nordlicht Elektro GmbH"),
        (230, 760, "Hamburger Sparkasse"),
        (230, 770, "DE89 3704 0044 0532 0130 00"),
        (230, 780, "HASPDEHHXXX"),
        (430, 760, "USt-IdNr. DE123456789"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["iban"] == "DE89370400440532013000"
    assert f["bic"] == "HASPDEHHXXX"


def test_a_capitalised_word_far_from_the_iban_is_no_bic(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (50, 400, "LIEFERUNG FREI HAUS"),
        (50, 420, "BAUSTELLE"),
        (230, 770, "IBAN DE89 3704 0044 0532 0130 00"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["iban"] == "DE89370400440532013000"
    assert f["bic"] is None


def test_small_business_invoice_without_vat_has_zero_tax(tmp_path: pathlib.Path) -> None:
    """§ 19 UStG (and its French, Dutch, … equivalents): no tax line is printed because none is
    charged; the tax is 0.00 and the net is the total, not "unknown"."""
    rows = [
        *HEADER,
        (50, 250, "Beratung"),
        (480, 250, "9,90 €"),
        (330, 300, "Rechnungssumme"),
        (480, 300, "9,90 €"),
        (50, 340, "Im Rechnungsbetrag ist gemäß § 19 UStG keine Umsatzsteuer enthalten."),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("9.90", "0.00", "9.90")


def test_net_equal_to_total_means_zero_tax(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (330, 300, "Total HT"),
        (480, 300, "195,48"),
        (330, 314, "Total TVA"),
        (480, 314, "%"),
        (330, 328, "Total TTC"),
        (480, 328, "195,48"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("195.48", "0.00", "195.48")


def test_a_taxed_invoice_is_not_taken_for_untaxed(tmp_path: pathlib.Path) -> None:
    """The reverse-charge wording in a footnote does not zero a tax that is printed."""
    rows = [
        *HEADER,
        (330, 300, "Nettobetrag"),
        (480, 300, "200,00 €"),
        (330, 314, "MwSt. 19 %"),
        (480, 314, "38,00 €"),
        (330, 328, "Gesamtbetrag"),
        (480, 328, "238,00 €"),
        (50, 360, "Bei Lieferungen ins EU-Ausland gilt Reverse Charge."),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("238.00", "38.00", "200.00")


def test_issuer_echoed_in_the_footer_beats_the_addressee_company(tmp_path: pathlib.Path) -> None:
    """No labels: a name at the top left, then a company with a legal form under it (the
    addressee). The footer's legal details repeat the first name: that one is the issuer, and its
    VAT id (with the share capital and register) is the seller's, not the addressee's."""
    rows = [
        (50, 40, "FACTURE"),
        (50, 70, "20/09/2023"),
        (50, 84, "nº 2023-6013"),
        (50, 110, "Société Hôtelière du Pacano"),
        (50, 124, "2, rue de la Paix"),
        (50, 138, "75000 Paris"),
        (50, 200, "Securibox SARL"),
        (50, 214, "27, Rue de Bassano"),
        (50, 228, "75008 Paris"),
        (50, 242, "TVA : FR38500003710"),
        (330, 400, "Total HT"),
        (480, 400, "100,00 €"),
        (330, 414, "Total TVA"),
        (480, 414, "10,00 €"),
        (330, 428, "Total TTC"),
        (480, 428, "110,00 €"),
        (50, 470, "La loi n°92/1442 du 31 décembre 1992 nous fait l'obligation de vous indiquer"),
        (50, 770, "Société Hôtelière du Pacano"),
        (50, 782, "SASU au capital de 200000€ - R.C.S Paris 123 456 789 - TVA FR40123456824"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["vendorName"] == "Société Hôtelière du Pacano"
    assert f["sellerVatId"] == "FR40123456824"
    assert f["invoiceDate"] == "2023-09-20"  # not the law's date cited in a sentence


def test_a_date_column_of_the_lines_is_not_the_invoice_date(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 40, "FACTURE"),
        (50, 54, "N° FA-2024-042"),
        (50, 68, "15/01/2024"),
        (50, 100, "Emetteur"),
        (50, 114, "Dr. Martin Dupont, EI"),
        (50, 128, "123 Rue de la Santé"),
        (300, 100, "Destinataire"),
        (300, 114, "Jean Martin"),
        (50, 200, "Date"),
        (130, 200, "Description"),
        (330, 200, "Qté"),
        (400, 200, "Prix unit."),
        (480, 200, "Total HT"),
        (50, 214, "10/01/2024"),
        (130, 214, "Consultation"),
        (330, 214, "1.00"),
        (400, 214, "50.00 EUR"),
        (480, 214, "50.00 EUR"),
        (400, 260, "Total TTC:"),
        (480, 260, "50.00 EUR"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["invoiceDate"] == "2024-01-15"
    assert f["vendorName"] == "Dr. Martin Dupont, EI"  # under "Emetteur", printed without accent


def test_letter_dates_and_compact_dates(tmp_path: pathlib.Path) -> None:
    weekday = [
        (50, 40, "Cabinet Dupuis"),
        (50, 54, "12 rue Nationale, 59000 Lille"),
        (300, 80, "Le lundi 21 novembre 2022"),
        (50, 120, "Facture n° :"),
        (150, 120, "20221100001"),
        (330, 300, "Total TTC"),
        (480, 300, "195,48"),
        (50, 400, "Passée la date d'échéance ci-dessus, une pénalité de retard sera appliquée"),
        (50, 414, "(Loi 2008-776 du 4 août 2008)"),
    ]
    f = extract(_pdf(tmp_path, weekday)).fields
    assert f["invoiceDate"] == "2022-11-21"
    assert f["dueDate"] is None  # not the law's date under a label inside a sentence
    compact = tmp_path / "compact"
    compact.mkdir()
    rows = [
        (50, 40, "Atelier Berthier SARL"),
        (50, 80, "Facture N° FA-2026-0001"),
        (50, 94, "Date : 20260815  ·  Échéance : 20260914"),
        (330, 300, "Total TTC"),
        (480, 300, "3042,00 €"),
    ]
    f = extract(_pdf(compact, rows)).fields
    assert (f["invoiceDate"], f["dueDate"]) == ("2026-08-15", "2026-09-14")


def test_label_words_inside_an_address_line_and_countries_are_not_vendors(
    tmp_path: pathlib.Path,
) -> None:
    rows = [
        (50, 40, "Seller Company · 123 Seller St · 12345 Seller City"),
        (50, 80, "Buyer Company"),
        (50, 94, "456 Buyer St"),
        (50, 108, "Germany"),
        (350, 80, "Invoice Number:"),
        (450, 80, "DOC-12345"),
        (330, 300, "Total"),
        (480, 300, "€144.59"),
        (50, 770, "France"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["vendorName"] == "Seller Company"


def test_ocr_word_gaps_read_as_spaces_and_an_ocr_bullet_splits_a_sender_line() -> None:
    """Tesseract's boxes hug the glyphs (x-height words are ~6 pt high in 10 pt type), so an
    ordinary 5 pt gap between words is most of their height: a space there, not a column break
    (at the text layer's threshold every word stood in a column of its own)."""

    def row(y: float, texts: list[str], x: float = 50, gap: float = 5) -> list[Word]:
        words = []
        for i, text in enumerate(texts):
            words.append(Word(x, y, x + 6 * len(text), y + 6, text, 0, int(y), i))
            x += 6 * len(text) + gap
        return words

    sender = row(60, ["Bei", "SpielGmbH", "e", "Ecke12", "e", "12345", "Stadthausen"])
    title = row(120, ["Handelsrechnung", "Nr.", "471102", "vom", "05.03.2018"])
    total = row(400, ["Gesamtbetrag:", "571,04"], x=300)
    words = sender + title + total
    page = ParsedPage(1, 595, 842, "\n".join(w.text for w in words), words, source="ocr")
    f = extract_fields(ParsedDocument(page_count=1, pages=[page])).fields
    assert f["vendorName"] == "Bei SpielGmbH"
    assert (f["invoiceNumber"], f["invoiceDate"]) == ("471102", "2018-03-05")


def test_an_ocr_hyphen_glued_to_a_word_splits_a_sender_line() -> None:
    """At 300 dpi Tesseract reads a sender line's small bullet as a hyphen glued to the word
    before it ("Kraxi GmbH- Flugzeugallee 17-12345 Papierfeld - Deutschland"): still a sender
    line, its first part the vendor, the window address under it the buyer."""

    def row(y: float, texts: list[str], x: float = 50) -> list[Word]:
        words = []
        for i, text in enumerate(texts):
            words.append(Word(x, y, x + 6 * len(text), y + 6, text, 0, int(y), i))
            x += 6 * len(text) + 5
        return words

    sender = row(150, ["Kraxi", "GmbH-", "Flugzeugallee", "17-12345", "Papierfeld", "-", "DE"])
    address = row(170, ["Papierflieger-Vertriebs-GmbH"]) + row(182, ["Rabattstr.", "25"])
    total = row(400, ["Gesamtbetrag:", "571,04"], x=300)
    words = sender + address + total
    page = ParsedPage(1, 595, 842, "\n".join(w.text for w in words), words, source="ocr")
    f = extract_fields(ParsedDocument(page_count=1, pages=[page])).fields
    assert (f["vendorName"], f["buyerName"]) == ("Kraxi GmbH", "Papierflieger-Vertriebs-GmbH")


def test_number_glued_to_its_sign_label(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER[:2],
        (50, 100, "FACTURE"),
        (50, 114, "N°F-20240000014"),
        (50, 128, "DATE : 07-11-2024"),
    ]
    rows += [(330, 300, "Total TTC"), (480, 300, "2 166,87 €")]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["invoiceNumber"], f["invoiceDate"]) == ("F-20240000014", "2024-11-07")


def test_a_summary_tables_sum_row_is_the_whole_amount(tmp_path: pathlib.Path) -> None:
    """One row per rate, then a row that adds them up a little lower: the sum row is the total,
    the tax and the net (not the first rate's row under the headers)."""
    rows = [*HEADER]
    columns = (("Nettobetrag", 200), ("MwSt-Betrag", 300), ("MwSt-%", 400), ("Endbetrag", 480))
    table = (
        ("321,40", "61,07", "19,0", "382,47"),
        ("127,59", "8,93", "7,0", "136,52"),
        ("448,99", "70,00", "EUR", "518,99"),
    )
    rows += [(x, 400, label) for label, x in columns]
    for y, values in zip((412, 424, 446), table, strict=True):  # the sum row stands apart
        rows += [(x, y, value) for (_, x), value in zip(columns, values, strict=True)]
    outcome = extract(_pdf(tmp_path, rows))
    assert outcome.fields["totalAmount"] == "518.99"
    assert outcome.fields["taxAmount"] == "70.00"
    assert outcome.fields["netAmount"] == "448.99"


def test_a_dateline_a_share_capital_and_a_delivery_label_are_no_names(
    tmp_path: pathlib.Path,
) -> None:
    """Under a seller heading, the letter's dateline ("Issy les Moulineaux, le 31 octobre 2017")
    and the legal details ("SARL au capital de …") are not the vendor; a "Warenempfänger"
    heading beside the billing label is not the buyer."""
    rows = [
        (50, 40, "Fournisseur"),
        (50, 54, "Issy les Moulineaux, le 31 octobre 2017"),
        (50, 68, "SARL au capital de 50 000 Euros"),
        (50, 82, "Atelier Brunet SARL"),
        (50, 130, "Rechnungsempfänger"),
        (200, 130, "Warenempfänger"),
        (50, 144, "Kranich Bau AG"),
        (200, 144, "Markt Süd"),
        (350, 200, "Facture N°"),
        (450, 200, "F-2017-01"),
        (330, 300, "Total TTC"),
        (480, 300, "120,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["vendorName"] == "Atelier Brunet SARL"
    assert f["buyerName"] == "Kranich Bau AG"


def test_field_labels_and_titles_are_not_names_and_capitals_lose_accents(
    tmp_path: pathlib.Path,
) -> None:
    """A "Kundenname / Firma" heading has the buyer under it (not "/ Firma"); a compound title
    ("WARENRECHNUNG") is no party; "NET A PAYER" printed in capitals without the accent is the
    amount due."""
    rows = [
        (50, 40, "Atelier Brunet SARL"),
        (50, 54, "12 rue des Lilas, 75011 Paris"),
        (50, 100, "Kundenname / Firma"),
        (50, 114, "Kranich Bau AG"),
        (300, 100, "WARENRECHNUNG"),
        (350, 200, "Facture N°"),
        (450, 200, "F-2017-01"),
        (330, 300, "NET A PAYER"),
        (480, 300, "120,00 EUR"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert f["buyerName"] == "Kranich Bau AG"
    assert f["totalAmount"] == "120.00"


def test_characters_placed_one_by_one_read_as_one_word_and_a_tax_base_is_a_net() -> None:
    """Some generators (an ERP's "1 . 0 8 5 , 4 0") place every character on its own, and
    PyMuPDF reports each as a word: touching single characters read as one amount. "Base de
    TVA" is the net the tax is computed on, not a tax."""

    def words(y: float, x: float, text: str, line: int, placed: bool = False) -> list[Word]:
        out = []
        for i, token in enumerate(list(text) if placed else text.split()):
            out.append(Word(x, y, x + 5 * len(token), y + 10, token, line, 0, i))
            x += 5 * len(token) + (0 if placed else 3)
        return out

    found = []
    for n, (label, amount) in enumerate(
        (("Base de TVA", "900,00"), ("Montant TVA", "185,40"), ("Total T.T.C.", "1.085,40"))
    ):
        y = 300 + 14 * n
        found += words(y, 300, label, 2 * n) + words(y, 450, amount, 2 * n + 1, placed=True)
    page = ParsedPage(1, 595, 842, "\n".join(w.text for w in found), found)
    f = extract_fields(ParsedDocument(page_count=1, pages=[page])).fields
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("1085.40", "185.40", "900.00")


def test_an_odoo_style_page_the_addressee_on_top_the_issuer_in_its_domain(
    tmp_path: pathlib.Path,
) -> None:
    """The addressee's block (with its own VAT id) is the first text on the page; the issuer's
    name is only a small cell matching its printed domain, its VAT id unlabelled in the footer.
    "Montant hors taxes" is the net, "Émise le" the invoice date."""
    rows = [
        (450, 30, "KST24"),  # reads like a reference code, were it not for the domain
        (343, 176, "SARL LA PLATINE"),
        (343, 190, "LD Poiriers"),
        (343, 204, "97180 Saint-Anne"),
        (343, 218, "TVA: FR49345049738"),
        (30, 285, "Facture FAC/2025/00013"),
        (30, 300, "Émise le 13 novembre 2025"),
        (348, 450, "Montant hors taxes"),
        (480, 450, "3 567,00 €"),
        (348, 466, "TVA 20%"),
        (480, 466, "713,40 €"),
        (348, 482, "Total"),
        (480, 482, "4 280,40 €"),
        (30, 780, "0590 123 456 contact@kst24.fr FR20477180186"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["vendorName"], f["buyerName"]) == ("KST24", "SARL LA PLATINE")
    assert f["sellerVatId"] == "FR20477180186"
    assert (f["netAmount"], f["taxAmount"], f["totalAmount"]) == ("3567.00", "713.40", "4280.40")
    assert f["invoiceDate"] == "2025-11-13"


def test_a_six_digit_postcode_makes_a_sender_line_and_a_field_is_no_buyer(
    tmp_path: pathlib.Path,
) -> None:
    """A sender line whose postcode has six digits is still a sender line (its window address
    names the buyer); "Käufer Produkt ID: TECH-789" in a line's details is a field, no name."""
    rows = [
        (50, 40, "Muster GmbH"),
        (50, 120, "Muster GmbH · Musterstraße 17 · 654321 Musterort"),
        (50, 140, "Paul Peter"),
        (50, 154, "Hauptweg 3"),
        (50, 168, "10115 Berlin"),
        (350, 200, "Rechnungsnummer:"),
        (450, 200, "RE-2024-9"),
        (50, 300, "Käufer Produkt ID: TECH-REQ-789B"),
        (330, 400, "Gesamtbetrag"),
        (480, 400, "119,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["vendorName"], f["buyerName"]) == ("Muster GmbH", "Paul Peter")


def test_a_total_below_the_net_gives_way_to_net_plus_tax(tmp_path: pathlib.Path) -> None:
    """The only "Total" is a line table's column (160.00) and the gross stands after wording
    no label list has: a total is never below its net, so it is net + tax."""
    rows = [
        *HEADER,
        (50, 250, "Product"),
        (300, 250, "VAT"),
        (480, 250, "Total"),
        (50, 264, "Design (hours)"),
        (300, 264, "7%"),
        (480, 264, "160.00 €"),
        (50, 278, "Balloons"),
        (300, 278, "19%"),
        (480, 278, "336.00 €"),
        (330, 320, "Net total: 496.00 €"),
        (330, 334, "VAT total: 75.04 €"),
        (330, 348, "Still to be settled: 571.04 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("571.04", "75.04", "496.00")


@pytest.mark.parametrize(
    ("text", "is_name"),
    [
        ("Parc d'activités de Tronquières", False),  # a business park: an address line
        ("Zone industrielle Nord", False),
        ("Gewerbegebiet Süd", False),
        ("SARL au capital de 50 000 Euros", False),
        ("Produkt ID: TECH-REQ-789B", False),
        ("Name", False),
        ("Inh. Anna Weber", False),  # the owner of the business, not its name
        ("Parc Asterix SAS", True),
        ("Firma Müller", True),
        ("Atelier Brunet SARL", True),
    ],
)
def test_what_reads_as_a_party_name(text: str, is_name: bool) -> None:
    assert plausible_name(text) is is_name


@pytest.mark.parametrize(
    "sender",
    [
        "Abs.: Muster GmbH · Musterstraße 17 · 12345 Musterort",
        "Absender: Muster GmbH, Musterstraße 17, 12345 Musterort",
        "Muster GmbH / Musterstraße 17 / 12345 Musterort",
    ],
)
def test_sender_lines_with_their_label_or_slashes(tmp_path: pathlib.Path, sender: str) -> None:
    """A sender line may carry its own label ("Abs.:") or use slashes between its parts."""
    rows = [
        (50, 120, sender),
        (50, 140, "Paul Peter"),
        (50, 154, "Hauptweg 3"),
        (50, 168, "10115 Berlin"),
        (350, 200, "Rechnungsnummer:"),
        (450, 200, "RE-2024-9"),
        (330, 400, "Gesamtbetrag"),
        (480, 400, "119,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["vendorName"], f["buyerName"]) == ("Muster GmbH", "Paul Peter")


def test_with_no_net_printed_the_net_is_total_minus_tax(tmp_path: pathlib.Path) -> None:
    rows = [
        *HEADER,
        (300, 400, "Gesamtsumme"),
        (480, 400, "119,00 €"),
        (300, 414, "enthaltene MwSt. 19 %"),
        (480, 414, "19,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["totalAmount"], f["taxAmount"], f["netAmount"]) == ("119.00", "19.00", "100.00")


def test_a_small_business_short_invoice_number_and_its_owner_line(tmp_path: pathlib.Path) -> None:
    """A "Rechnung Nr.: 17" is a number (short, but right of a full label); the line naming the
    owner ("Inh. Anna Weber · …") is not the business's name."""
    rows = [
        (50, 40, "Foto Weber"),
        (50, 54, "Inh. Anna Weber · Lindenweg 2 · 01067 Dresden"),
        (50, 144, "Max Mustermann"),
        (50, 158, "Ulmenweg 7"),
        (50, 172, "10115 Berlin"),
        (350, 130, "Rechnung Nr.:"),
        (450, 130, "17"),
        (350, 144, "Seite"),
        (450, 144, "1"),
        (300, 400, "Gesamtbetrag"),
        (480, 400, "450,00 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["vendorName"], f["invoiceNumber"]) == ("Foto Weber", "17")


def test_issued_at_dates_the_invoice_and_a_date_of_delivery_does_not(
    tmp_path: pathlib.Path,
) -> None:
    """English "Invoice # … issued at …" (Mustang's English layout): that date is the invoice
    date; "Date of delivery" under it is the supply date, not the invoice's "Date"."""
    rows = [
        (50, 50, "Bei Spiel GmbH"),
        (50, 64, "Ecke 12, 12345 Stadthausen"),
        (50, 300, "Invoice # RE-20201121/508 issued at 2020-11-21"),
        (50, 314, "Date of delivery 2020-11-10"),
        (50, 328, "Date of supply 2020-11-09"),
        (330, 400, "Due payable:"),
        (480, 400, "571.04 €"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["invoiceNumber"], f["invoiceDate"]) == ("RE-20201121/508", "2020-11-21")


@pytest.mark.parametrize("dash", ["—", "–"])
def test_a_sender_line_split_by_em_or_en_dashes(tmp_path: pathlib.Path, dash: str) -> None:
    """DIN 5008 return-address line with dashes between its parts; OCR reads an en dash as
    an em dash, so both split it."""
    rows = [
        (50, 120, f"Fotostudio Lena Hoffmann {dash} Bergstraße 27 {dash} 01069 Dresden"),
        (50, 140, "Thomas Berger"),
        (50, 154, "Lindenweg 3a"),
        (50, 168, "01309 Dresden"),
        (350, 200, "Rechnungsnr.:"),
        (450, 200, "2026-047"),
        (330, 400, "Zahlbetrag:"),
        (480, 400, "418,00 EUR"),
    ]
    f = extract(_pdf(tmp_path, rows)).fields
    assert (f["vendorName"], f["buyerName"]) == ("Fotostudio Lena Hoffmann", "Thomas Berger")


@pytest.mark.parametrize(
    ("text", "is_name"),
    [
        ("Bj", False),  # OCR debris of an unread line
        ("HP", True),
        ("Lindenweg 3a g", False),  # a street and its number, OCR debris after it
        ("Havenweg 31", False),
        ("Route de Narbonne", False),  # a French street line
        ("Kastanienallee 12 b", False),
        ("Ringhotel Sonne", True),
        ("Wegener Bau GmbH", True),
    ],
)
def test_debris_and_one_word_streets_are_no_names(text: str, is_name: bool) -> None:
    assert plausible_name(text) is is_name


def test_a_service_address_is_not_who_is_billed() -> None:
    """ "Leistungsadresse" (where a service was rendered) heads a second address block beside
    the window address: like a delivery address, it is never the buyer (an OCR'd page, its
    sender line split by hyphens, the label alone in its cell)."""

    def row(y: float, cells: list[tuple[float, str]]) -> list[Word]:
        words = []
        for x, text in cells:
            for i, part in enumerate(text.split()):
                words.append(Word(x, y, x + 6 * len(part), y + 6, part, 0, int(y), i))
                x += 6 * len(part) + 5
        return words

    words = (
        row(
            128, [(50, "Muster GmbH - Musterstraße 17- 65432 Musterort"), (330, "Leistungsadresse")]
        )
        + row(139, [(50, "Peter Paulsen"), (330, "Baustelle Nord")])
        + row(150, [(50, "Störzbachstraße 1"), (330, "Am Hafen 3")])
        + row(161, [(50, "70188 Stuttgart"), (330, "70190 Stuttgart")])
        + row(260, [(330, "Rechnungsnummer:"), (450, "TEST1234")])
        + row(400, [(330, "Gesamtbetrag:"), (450, "119,00")])
    )
    page = ParsedPage(1, 595, 842, "\n".join(w.text for w in words), words, source="ocr")
    f = extract_fields(ParsedDocument(page_count=1, pages=[page])).fields
    assert (f["vendorName"], f["buyerName"]) == ("Muster GmbH", "Peter Paulsen")
