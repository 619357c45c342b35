"""Rules for layouts of common invoicing software (issue 11): salutations in the window address,
national VAT ids without their prefix, the buyer's VAT id in a column of its own, header-table
values right-aligned in their columns, a bare "Summe" above the tax lines, VAT summary tables
printing the gross, a number and date in a title line, a window address without a sender line."""

from __future__ import annotations

import pathlib

from tests.fixtures.invoices import Text, write_pdf
from tests.worker.extraction.helpers import extract


def _fields(tmp_path: pathlib.Path, rows: list[tuple[float, float, str]]) -> dict[str, object]:
    path = write_pdf(tmp_path / "inv.pdf", [[Text(x, y, s) for x, y, s in rows]])
    return extract(path).fields


TOTALS = [
    (330, 400, "Nettobetrag"),
    (480, 400, "100,00 €"),
    (330, 414, "zzgl. 19 % MwSt."),
    (480, 414, "19,00 €"),
    (330, 428, "Bruttobetrag"),
    (480, 428, "119,00 €"),
]
FOOTER = [
    (50, 770, "Nordlicht Elektro GmbH"),
    (50, 780, "Hafenstraße 3"),
    (50, 790, "20457 Hamburg"),
    (230, 770, "Geschäftsführer: Jan Ohm"),
    (230, 780, "Amtsgericht Hamburg HRB 12345"),
    (230, 790, "USt-IdNr.: DE123456789"),
    (400, 770, "Hamburger Sparkasse"),
    (400, 780, "IBAN: DE89 3704 0044 0532 0130 00"),
    (400, 790, "BIC: HASPDEHHXXX"),
]


def test_a_salutation_line_is_not_the_buyer(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "Nordlicht Elektro GmbH"),
        (50, 140, "Nordlicht Elektro GmbH · Hafenstraße 3 · 20457 Hamburg"),
        (50, 156, "Herrn"),
        (50, 168, "Theodor Est"),
        (50, 180, "Bahnstr. 42"),
        (50, 192, "88802 Spielkreis"),
        (350, 150, "Rechnungs-Nr.:"),
        (450, 150, "RE-2024-17"),
        (350, 162, "Datum:"),
        (450, 162, "05.07.2024"),
        *TOTALS,
        *FOOTER,
    ]
    f = _fields(tmp_path, rows)
    assert f["buyerName"] == "Theodor Est"
    assert f["vendorName"] == "Nordlicht Elektro GmbH"


def test_a_salutation_before_the_name_is_dropped(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "Nordlicht Elektro GmbH"),
        (50, 140, "Nordlicht Elektro GmbH | Hafenstraße 3 | 20457 Hamburg"),
        (50, 156, "Frau Petra Krause"),
        (50, 168, "Bahnstr. 42"),
        (50, 180, "88802 Spielkreis"),
        (350, 150, "Rechnungsnummer:"),
        (450, 150, "4711"),
        *TOTALS,
    ]
    assert _fields(tmp_path, rows)["buyerName"] == "Petra Krause"


def test_spanish_cif_and_italian_partita_iva_without_prefix(tmp_path: pathlib.Path) -> None:
    es = [
        (50, 50, "García Suministros S.L."),
        (50, 120, "Factura nº"),
        (150, 120, "F-2024-88"),
        (50, 780, "C.I.F.: B12345674"),
    ]
    assert _fields(tmp_path, es)["sellerVatId"] == "ESB12345674"
    it = [
        (50, 50, "Rossi Impianti S.r.l."),
        (50, 120, "Fattura n."),
        (150, 120, "88/2024"),
        (50, 780, "P.IVA 01234567890"),
    ]
    assert _fields(tmp_path, it)["sellerVatId"] == "IT01234567890"


def test_the_buyers_vat_id_in_its_own_column_is_not_the_sellers(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "Nordlicht Elektro GmbH"),
        (350, 150, "Rechnungs-Nr."),
        (460, 150, "RE-2024-17"),
        (350, 162, "Ihre USt-IdNr."),
        (460, 162, "DE987654321"),
        *TOTALS,
        *FOOTER,
    ]
    assert _fields(tmp_path, rows)["sellerVatId"] == "DE123456789"


def test_header_table_values_right_aligned_in_their_columns(tmp_path: pathlib.Path) -> None:
    # Small labels at the left of their columns, values right-aligned at the column's end: no
    # value lies under its label's box.
    labels = [
        (54, "Rechnungsnummer"),
        (178, "Rechnungsdatum"),
        (302, "Kundennummer"),
        (426, "Seite"),
    ]
    values = [(125, "2024/0017"), (250, "05.07.2024"), (395, "36246"), (536, "1")]
    page = [Text(50, 50, "Nordlicht Elektro GmbH"), Text(50, 250, "Rechnung")]
    page += [Text(x, 280, s, size=7) for x, s in labels]
    page += [Text(x, 292, s) for x, s in values]
    page += [Text(x, y, s) for x, y, s in TOTALS]
    f = extract(write_pdf(tmp_path / "inv.pdf", [page])).fields
    assert f["invoiceNumber"] == "2024/0017"
    assert f["invoiceDate"] == "2024-07-05"


def test_a_bare_sum_above_the_tax_line_is_the_net(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "García Suministros S.L."),
        (50, 120, "Factura nº"),
        (150, 120, "F-2024-88"),
        (330, 400, "Suma"),
        (480, 400, "996,02 €"),
        (330, 414, "IVA 21 %"),
        (480, 414, "209,16 €"),
        (330, 428, "Total factura"),
        (480, 428, "1.205,18 €"),
    ]
    f = _fields(tmp_path, rows)
    assert (f["netAmount"], f["taxAmount"], f["totalAmount"]) == ("996.02", "209.16", "1205.18")


def test_vat_summary_table_with_a_gross_column_sums_the_rates(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "Nordlicht Elektro GmbH"),
        (50, 120, "Rechnungs-Nr.:"),
        (150, 120, "RE-17"),
        (330, 400, "Summe netto"),
        (480, 400, "8.407,05 €"),
        (330, 414, "Gesamtsumme"),
        (480, 414, "9.451,00 €"),
        (50, 440, "USt-Satz"),
        (150, 440, "Netto"),
        (230, 440, "USt"),
        (310, 440, "Brutto"),
        (50, 452, "7 %"),
        (150, 452, "4.611,60"),
        (230, 452, "322,81"),
        (310, 452, "4.934,41"),
        (50, 464, "19 %"),
        (150, 464, "3.795,45"),
        (230, 464, "721,14"),
        (310, 464, "4.516,59"),
    ]
    f = _fields(tmp_path, rows)
    assert (f["netAmount"], f["taxAmount"], f["totalAmount"]) == ("8407.05", "1043.95", "9451.00")


def test_number_and_date_in_a_title_line(tmp_path: pathlib.Path) -> None:
    nl = [(50, 50, "Visser Media B.V."), (50, 250, "Factuur 2024/0511 d.d. 2024-09-05")]
    f = _fields(tmp_path, nl)
    assert (f["invoiceNumber"], f["invoiceDate"]) == ("2024/0511", "2024-09-05")
    it = [(50, 50, "Rossi Impianti S.r.l."), (50, 250, "Nota di credito N. RE35896 del 28/07/2024")]
    f = _fields(tmp_path, it)
    assert (f["invoiceNumber"], f["invoiceDate"]) == ("RE35896", "2024-07-28")


def test_window_address_without_sender_line_is_the_buyer_not_the_vendor(
    tmp_path: pathlib.Path,
) -> None:
    rows = [
        (50, 160, "Kranich Bau AG"),
        (50, 172, "Buchhaltung"),
        (50, 184, "Ulmenweg 7"),
        (50, 196, "10115 Berlin"),
        (350, 160, "Rechnungs-Nr.:"),
        (450, 160, "RE-2024-17"),
        (50, 280, "Rechnung"),
        *TOTALS,
        *FOOTER,
    ]
    f = _fields(tmp_path, rows)
    assert f["vendorName"] == "Nordlicht Elektro GmbH"
    assert f["buyerName"] == "Kranich Bau AG"


def test_a_tax_amount_read_in_pieces_is_total_minus_net(tmp_path: pathlib.Path) -> None:
    # OCR sets a wide gap in "1 703,50": the row reads "1" and "703,50" in two columns.
    rows = [
        (50, 50, "Moreau Bâtiment SARL"),
        (50, 120, "Facture n°"),
        (150, 120, "RE57610"),
        (330, 400, "Montant HT"),
        (480, 400, "8 517,50 €"),
        (330, 414, "TVA 20 %"),
        (440, 414, "1"),
        (480, 414, "703,50 €"),
        (330, 428, "Net à payer"),
        (480, 428, "10 221,00 €"),
    ]
    f = _fields(tmp_path, rows)
    assert (f["netAmount"], f["taxAmount"], f["totalAmount"]) == ("8517.50", "1703.50", "10221.00")


def test_combined_number_and_date_label(tmp_path: pathlib.Path) -> None:
    # SAP-style forms: "Rechnungs-Nr./Datum: 900012345 / 05.07.2024"
    for label, value in (
        ("Rechnungs-Nr./Datum:", "900012345 / 05.07.2024"),
        ("Rechnung Nr./Datum", "900012345/05.07.2024"),
    ):
        rows = [(50, 50, "Nordlicht Elektro GmbH"), (350, 150, label), (460, 150, value), *TOTALS]
        f = _fields(tmp_path, rows)
        assert (f["invoiceNumber"], f["invoiceDate"]) == ("900012345", "2024-07-05")


def test_per_rate_nets_of_the_same_amount_are_added(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "Nordlicht Elektro GmbH"),
        (350, 150, "Rechnungsnummer:"),
        (460, 150, "2024-117"),
        (330, 386, "Netto 7 %"),
        (480, 386, "100,00 €"),
        (330, 400, "Netto 19 %"),
        (480, 400, "100,00 €"),
        (330, 414, "MwSt. 7 %"),
        (480, 414, "7,00 €"),
        (330, 428, "MwSt. 19 %"),
        (480, 428, "19,00 €"),
        (330, 442, "Gesamt"),
        (480, 442, "226,00 €"),
    ]
    f = _fields(tmp_path, rows)
    assert (f["netAmount"], f["taxAmount"], f["totalAmount"]) == ("200.00", "26.00", "226.00")


def test_dutch_aan_is_an_address_word_not_a_party(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 40, "FACTUUR"),
        (50, 92, "Verkoper"),
        (320, 92, "Aan"),
        (50, 104, "de Vries Media V.O.F."),
        (320, 104, "Visser Groothandel B.V."),
        (50, 116, "Kerkstraat 28"),
        (320, 116, "Stationsweg 77"),
        (50, 128, "2511 CV Den Haag"),
        (320, 128, "1012 AB Amsterdam"),
        (50, 170, "Factuurnummer"),
        (170, 170, "2025-8781"),
        *TOTALS,
    ]
    f = _fields(tmp_path, rows)
    assert f["vendorName"] in ("de Vries Media V.O.F.", "Vries Media V.O.F.")
    assert f["buyerName"] == "Visser Groothandel B.V."
    inline = [
        (50, 50, "Visser Techniek N.V."),
        (50, 96, "FACTUUR RE49642"),
        (50, 126, "Aan:"),
        (130, 126, "Jansen Groothandel B.V., Marktstraat 63, 3511 AB Utrecht"),
        *TOTALS,
    ]
    assert _fields(tmp_path, inline)["buyerName"] == "Jansen Groothandel B.V."


def test_a_number_starting_with_a_is_not_factura_a(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "García Tecnología S.L."),
        (50, 96, "FACTURA A983/24"),
        (300, 96, "Fecha: 2024-11-21"),
        *TOTALS,
    ]
    assert _fields(tmp_path, rows)["invoiceNumber"] == "A983/24"


def test_totals_under_a_two_line_column_header(tmp_path: pathlib.Path) -> None:
    # GnuAccounting: "Total" over "incl. VAT" in the header; the amounts are the row after.
    rows = [
        (57, 50, "Bei Spiel GmbH"),
        (57, 308, "Transaction # RE-20140628/9 of the 28.06.2014"),
        (380, 338, "Total"),
        (470, 338, "Total"),
        (470, 352, "incl. VAT"),
        (380, 372, "1,00 €"),
        (470, 372, "1,19 €"),
        (57, 463, "Plus VAT 0,19 €"),
    ]
    f = _fields(tmp_path, rows)
    assert (f["taxAmount"], f["totalAmount"]) == ("0.19", "1.19")


def test_n_dot_is_a_number_label_only_after_a_title(tmp_path: pathlib.Path) -> None:
    rows = [
        (50, 50, "Romano Impianti S.r.l."),
        (50, 250, "Fattura"),
        (230, 764, "Reg. Imprese Roma n. 33463"),
        *TOTALS,
    ]
    assert _fields(tmp_path, rows)["invoiceNumber"] is None
