"""Write the sample invoices in ``samples/invoices/`` (committed, like their output).

    python samples/generate.py

Fourteen PDFs made with PyMuPDF: vendors from seven countries in their languages (EN, DE, FR,
NL, ES, IT, PL), five currencies (EUR, USD, GBP, PLN, CHF), a two-page invoice marked PAID, a
credit note, a scanned invoice (one image-only page rendered from a generated invoice, no text
layer: Paperlane needs OCR for it), a Factur-X / ZUGFeRD e-invoice (CII XML embedded as
``factur-x.xml``) and a broken file (truncated). ``samples/invoices/expected.json`` lists what
each invoice says, so people and tests can compare Paperlane's output with it.

The output is deterministic for a given PyMuPDF and font: a DejaVu Sans TTF (Debian
``fonts-dejavu-core``) when present, so Polish and other non-Latin-1 letters render; otherwise
PyMuPDF's built-in Helvetica, with those letters transliterated.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

OUT = Path(__file__).resolve().parent / "invoices"
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
BOLD_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


@dataclass
class Line:
    description: str
    quantity: int
    unit_price: str  # as printed


@dataclass
class Invoice:
    filename: str
    language: str
    vendor: str
    vendor_address: list[str]
    buyer: list[str]
    title: str
    labels: dict[str, str]  # number, date, due, subtotal, tax, total, qty, price, amount, desc
    number: str
    date: str  # as printed
    due: str | None
    currency: str
    lines: list[Line]
    subtotal: str
    tax: str
    total: str
    expected: dict[str, str | None]
    footer: list[str] = field(default_factory=list)
    stamp: str | None = None
    pages: int = 1


METADATA = {
    "producer": "Paperlane samples/generate.py",
    "creator": "Paperlane samples/generate.py",
    "creationDate": "D:20241201000000Z",
    "modDate": "D:20241201000000Z",
}


def _save(doc: pymupdf.Document) -> bytes:
    """The same bytes on every run: fixed metadata, no fresh /ID."""
    doc.set_metadata(METADATA)
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    return data


def _font_file(candidates: tuple[str, ...]) -> str | None:
    return next((path for path in candidates if Path(path).exists()), None)


class Writer:
    """Text on a page with a Unicode TTF when there is one, else Helvetica (transliterated)."""

    def __init__(self, page: pymupdf.Page):
        self.page = page
        self.regular = _font_file(FONT_FILES)
        self.bold = _font_file(BOLD_FILES) or self.regular
        if self.regular:
            page.insert_font(fontname="body", fontfile=self.regular)
            page.insert_font(fontname="bold", fontfile=self.bold)

    def text(
        self,
        x: float,
        y: float,
        value: str,
        size: float = 10,
        bold: bool = False,
        color: tuple[float, float, float] = (0, 0, 0),
    ) -> None:
        if self.regular:
            name = "bold" if bold else "body"
        else:
            name = "hebo" if bold else "helv"
            value = _latin1(value)
        self.page.insert_text((x, y), value, fontsize=size, fontname=name, color=color)

    def right(
        self, x_right: float, y: float, value: str, size: float = 10, bold: bool = False
    ) -> None:
        font = (
            pymupdf.Font(fontfile=self.bold if bold else self.regular)
            if self.regular
            else pymupdf.Font("hebo" if bold else "helv")
        )
        width = font.text_length(value if self.regular else _latin1(value), fontsize=size)
        self.text(x_right - width, y, value, size, bold)


def _latin1(value: str) -> str:
    out = []
    for char in value:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            out.append(
                unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"
            )
    return "".join(out)


def render(invoice: Invoice) -> bytes:
    doc = pymupdf.open()
    rows_per_page = max(1, -(-len(invoice.lines) // invoice.pages))
    chunks = [
        invoice.lines[i : i + rows_per_page] for i in range(0, len(invoice.lines), rows_per_page)
    ]
    for index, chunk in enumerate(chunks):
        page = doc.new_page(width=595, height=842)  # A4
        w = Writer(page)
        first, last = index == 0, index == len(chunks) - 1
        if first:
            w.text(50, 70, invoice.vendor, 16, bold=True)
            for offset, line in enumerate(invoice.vendor_address):
                w.text(50, 88 + 13 * offset, line, 9, color=(0.3, 0.3, 0.3))
            w.text(360, 70, invoice.title, 20, bold=True, color=(0.1, 0.25, 0.5))
            meta = [
                (invoice.labels["number"], invoice.number),
                (invoice.labels["date"], invoice.date),
            ]
            if invoice.due:
                meta.append((invoice.labels["due"], invoice.due))
            for offset, (label, value) in enumerate(meta):
                w.text(360, 100 + 15 * offset, f"{label}: {value}", 10)
            for offset, line in enumerate(invoice.buyer):
                w.text(50, 170 + 13 * offset, line, 10, bold=offset == 0)
            y = 260
        else:
            w.text(
                50,
                60,
                f"{invoice.vendor} · {invoice.title} {invoice.number}",
                9,
                color=(0.3, 0.3, 0.3),
            )
            y = 100
        w.text(50, y, invoice.labels["desc"], 9, bold=True)
        w.right(380, y, invoice.labels["qty"], 9, bold=True)
        w.right(460, y, invoice.labels["price"], 9, bold=True)
        w.right(545, y, invoice.labels["amount"], 9, bold=True)
        page.draw_line((50, y + 5), (545, y + 5), color=(0.6, 0.6, 0.6), width=0.5)
        y += 20
        for item in chunk:
            w.text(50, y, item.description, 9)
            w.right(380, y, str(item.quantity), 9)
            w.right(460, y, item.unit_price, 9)
            w.right(545, y, _line_amount(item, invoice), 9)
            y += 15
        if last:
            y += 15
            page.draw_line((330, y - 10), (545, y - 10), color=(0.6, 0.6, 0.6), width=0.5)
            for label, value, bold in (
                (invoice.labels["subtotal"], invoice.subtotal, False),
                (invoice.labels["tax"], invoice.tax, False),
                (invoice.labels["total"], invoice.total, True),
            ):
                w.text(330, y, label, 10, bold=bold)
                w.right(545, y, value, 10, bold=bold)
                y += 16
            if invoice.stamp:
                page.insert_text(
                    (380, y + 50),
                    invoice.stamp,
                    fontsize=28,
                    fontname="hebo",
                    color=(0.8, 0.1, 0.1),
                    morph=(pymupdf.Point(420, y + 40), pymupdf.Matrix(-12)),
                )
        for offset, line in enumerate(invoice.footer if last else []):
            w.text(50, 770 + 12 * offset, line, 8, color=(0.35, 0.35, 0.35))
        w.text(500, 815, f"{index + 1}/{len(chunks)}", 8, color=(0.5, 0.5, 0.5))
    doc.subset_fonts()  # embed only the glyphs used: a few KB instead of the whole TTF
    data = _save(doc)
    doc.close()
    return data


def _line_amount(item: Line, invoice: Invoice) -> str:
    """quantity × unit price, printed in the invoice's number style."""
    swiss = invoice.currency == "CHF"
    comma_decimal = not swiss and invoice.language in ("DE", "FR", "NL", "ES", "IT", "PL")
    digits = "".join(c for c in item.unit_price if c.isdigit() or c in ".,-")
    digits = digits.replace(".", "").replace(",", ".") if comma_decimal else digits.replace(",", "")
    amount = round(float(digits) * item.quantity, 2)
    text = f"{amount:,.2f}"
    if swiss:
        return text.replace(",", "'")
    if invoice.language in ("DE", "NL", "ES", "IT"):
        return text.replace(",", "X").replace(".", ",").replace("X", ".")
    if invoice.language in ("FR", "PL"):
        return text.replace(",", " ").replace(".", ",")
    return text


EN = {
    "number": "Invoice No",
    "date": "Invoice Date",
    "due": "Due Date",
    "subtotal": "Subtotal",
    "tax": "VAT 20%",
    "total": "Total",
    "qty": "Qty",
    "price": "Unit price",
    "amount": "Amount",
    "desc": "Description",
}


def invoices() -> list[Invoice]:
    return [
        Invoice(
            "en-us-pine-and-co.pdf",
            "EN",
            "Pine & Co LLC",
            ["410 Cedar Street", "Portland, OR 97204, USA"],
            ["Bill to: Harbor Analytics Inc.", "22 Wharf Road", "Boston, MA 02110"],
            "INVOICE",
            {**EN, "tax": "Sales tax 8%", "total": "Amount Due"},
            "PC-2024-0117",
            "March 15, 2024",
            "April 14, 2024",
            "USD",
            [
                Line("Consulting, data pipeline review (hours)", 12, "150.00"),
                Line("Workshop, half day", 1, "900.00"),
            ],
            "USD 2,700.00",
            "USD 216.00",
            "USD 2,916.00",
            {
                "vendorName": "Pine & Co LLC",
                "invoiceNumber": "PC-2024-0117",
                "invoiceDate": "2024-03-15",
                "dueDate": "2024-04-14",
                "totalAmount": "2916.00",
                "taxAmount": "216.00",
                "currency": "USD",
                "status": None,
            },
            ["Payment by ACH to account 0042 1187 33, routing 123000848."],
        ),
        Invoice(
            "en-gb-blue-harbor.pdf",
            "EN",
            "Blue Harbor Trading Ltd",
            ["Unit 4, Dockside Park", "Bristol BS1 6XN, United Kingdom", "VAT GB 123 4567 89"],
            ["Invoice to: Greenfield Foods plc", "8 Mill Lane", "Leeds LS1 4AP"],
            "TAX INVOICE",
            EN,
            "BH-55821",
            "02/04/2024",
            "02/05/2024",
            "GBP",
            [
                Line("Corrugated boxes, 40x30x20, pack of 100", 6, "£42.50"),
                Line("Pallet wrap, 500 mm", 4, "£18.75"),
                Line("Delivery", 1, "£35.00"),
            ],
            "£365.00",
            "£73.00",
            "£438.00",
            {
                "vendorName": "Blue Harbor Trading Ltd",
                "invoiceNumber": "BH-55821",
                "invoiceDate": "2024-04-02",
                "dueDate": "2024-05-02",
                "totalAmount": "438.00",
                "taxAmount": "73.00",
                "currency": "GBP",
                "status": None,
            },
            ["Bank: Barclays, sort code 20-00-00, account 55779911."],
        ),
        Invoice(
            "de-nordwind-logistik.pdf",
            "DE",
            "Nordwind Logistik AG",
            ["Hafenstraße 12", "20457 Hamburg, Deutschland", "USt-IdNr. DE123456789"],
            ["Müller & Söhne GmbH", "Königsallee 8", "40212 Düsseldorf"],
            "RECHNUNG",
            {
                "number": "Rechnungsnummer",
                "date": "Rechnungsdatum",
                "due": "Fällig am",
                "subtotal": "Nettobetrag",
                "tax": "MwSt. 19 %",
                "total": "Gesamtbetrag",
                "qty": "Menge",
                "price": "Einzelpreis",
                "amount": "Betrag",
                "desc": "Beschreibung",
            },
            "RE-2024-0815",
            "15.03.2024",
            "14.04.2024",
            "EUR",
            [
                Line("Seefracht Hamburg – Rotterdam (Container 20')", 2, "1.150,00"),
                Line("Zollabfertigung", 1, "185,50"),
                Line("Lagerung, Palettenplatz/Woche", 10, "12,40"),
            ],
            "2.609,50 €",
            "495,81 €",
            "3.105,31 €",
            {
                "vendorName": "Nordwind Logistik AG",
                "invoiceNumber": "RE-2024-0815",
                "invoiceDate": "2024-03-15",
                "dueDate": "2024-04-14",
                "totalAmount": "3105.31",
                "taxAmount": "495.81",
                "currency": "EUR",
                "status": None,
            },
            ["Bankverbindung: IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX"],
        ),
        Invoice(
            "fr-fournitures-lyonnaises.pdf",
            "FR",
            "Fournitures Lyonnaises SARL",
            ["14 rue de la République", "69002 Lyon, France", "TVA FR 40 123456824"],
            ["Client : Atelier Beaulieu", "3 place Bellecour", "69002 Lyon"],
            "FACTURE",
            {
                "number": "Facture n°",
                "date": "Date de facture",
                "due": "Date d'échéance",
                "subtotal": "Total HT",
                "tax": "TVA 20 %",
                "total": "Total TTC",
                "qty": "Qté",
                "price": "Prix unitaire",
                "amount": "Montant",
                "desc": "Désignation",
            },
            "F2024-0342",
            "22/05/2024",
            "21/06/2024",
            "EUR",
            [
                Line("Papier A4 80 g, carton de 5 ramettes", 8, "24,90"),
                Line("Cartouches d'encre noire", 3, "39,00"),
                Line("Classeurs à levier", 12, "3,45"),
            ],
            "357,60 €",
            "71,52 €",
            "429,12 €",
            {
                "vendorName": "Fournitures Lyonnaises SARL",
                "invoiceNumber": "F2024-0342",
                "invoiceDate": "2024-05-22",
                "dueDate": "2024-06-21",
                "totalAmount": "429.12",
                "taxAmount": "71.52",
                "currency": "EUR",
                "status": None,
            },
            ["Règlement par virement : IBAN FR76 3000 6000 0112 3456 7890 189"],
        ),
        Invoice(
            "nl-van-der-berg.pdf",
            "NL",
            "Van der Berg Kantoor BV",
            ["Keizersgracht 221", "1016 DV Amsterdam, Nederland", "BTW NL123456789B01"],
            ["Aan: De Vries Architecten", "Oudegracht 45", "3511 AB Utrecht"],
            "FACTUUR",
            {
                "number": "Factuurnummer",
                "date": "Factuurdatum",
                "due": "Vervaldatum",
                "subtotal": "Subtotaal",
                "tax": "BTW 21%",
                "total": "Totaal",
                "qty": "Aantal",
                "price": "Prijs",
                "amount": "Bedrag",
                "desc": "Omschrijving",
            },
            "2024-1187",
            "08-07-2024",
            "07-08-2024",
            "EUR",
            [Line("Bureaustoel ergonomisch", 4, "289,00"), Line("Montage en levering", 1, "75,00")],
            "€ 1.231,00",
            "€ 258,51",
            "€ 1.489,51",
            {
                "vendorName": "Van der Berg Kantoor BV",
                "invoiceNumber": "2024-1187",
                "invoiceDate": "2024-07-08",
                "dueDate": "2024-08-07",
                "totalAmount": "1489.51",
                "taxAmount": "258.51",
                "currency": "EUR",
                "status": None,
            },
            ["Gelieve te betalen op NL91 ABNA 0417 1643 00 o.v.v. het factuurnummer."],
        ),
        Invoice(
            "es-iberia-papel.pdf",
            "ES",
            "Iberia Papel S.L.",
            ["Calle de Alcalá 150", "28009 Madrid, España", "NIF B12345678"],
            ["Cliente: Librería Cervantes", "Gran Vía 30", "28013 Madrid"],
            "FACTURA",
            {
                "number": "Número de factura",
                "date": "Fecha de factura",
                "due": "Fecha de vencimiento",
                "subtotal": "Base imponible",
                "tax": "IVA 21 %",
                "total": "Total factura",
                "qty": "Cant.",
                "price": "Precio",
                "amount": "Importe",
                "desc": "Concepto",
            },
            "FV-24/0093",
            "03/09/2024",
            "03/10/2024",
            "EUR",
            [
                Line("Cuadernos espiral A5", 50, "2,10"),
                Line("Bolígrafos azules, caja 50", 4, "11,60"),
            ],
            "151,40 €",
            "31,79 €",
            "183,19 €",
            {
                "vendorName": "Iberia Papel S.L.",
                "invoiceNumber": "FV-24/0093",
                "invoiceDate": "2024-09-03",
                "dueDate": "2024-10-03",
                "totalAmount": "183.19",
                "taxAmount": "31.79",
                "currency": "EUR",
                "status": None,
            },
        ),
        Invoice(
            "it-fratelli-rossi.pdf",
            "IT",
            "Fratelli Rossi S.p.A.",
            ["Via Roma 25", "10121 Torino, Italia", "P.IVA IT01234567890"],
            ["Spett.le Trattoria Da Gino", "Piazza Navona 7", "00186 Roma"],
            "FATTURA",
            {
                "number": "Numero fattura",
                "date": "Data fattura",
                "due": "Scadenza",
                "subtotal": "Imponibile",
                "tax": "IVA 22%",
                "total": "Totale documento",
                "qty": "Q.tà",
                "price": "Prezzo",
                "amount": "Importo",
                "desc": "Descrizione",
            },
            "2024/458",
            "11/10/2024",
            "10/11/2024",
            "EUR",
            [
                Line("Olio extravergine d'oliva, latta 5 l", 6, "48,00"),
                Line("Pasta di semola, cartone 12 kg", 5, "21,50"),
            ],
            "€ 395,50",
            "€ 87,01",
            "€ 482,51",
            {
                "vendorName": "Fratelli Rossi S.p.A.",
                "invoiceNumber": "2024/458",
                "invoiceDate": "2024-10-11",
                "dueDate": "2024-11-10",
                "totalAmount": "482.51",
                "taxAmount": "87.01",
                "currency": "EUR",
                "status": None,
            },
        ),
        Invoice(
            "pl-kowalski-i-syn.pdf",
            "PL",
            "Kowalski i Syn Sp. z o.o.",
            ["ul. Marszałkowska 84", "00-514 Warszawa, Polska", "NIP 525-000-12-34"],
            ["Nabywca: Zakład Stolarski Wiśniewski", "ul. Długa 3", "80-827 Gdańsk"],
            "FAKTURA VAT",
            {
                "number": "Faktura nr",
                "date": "Data wystawienia",
                "due": "Termin płatności",
                "subtotal": "Wartość netto",
                "tax": "VAT 23%",
                "total": "Razem do zapłaty",
                "qty": "Ilość",
                "price": "Cena netto",
                "amount": "Wartość",
                "desc": "Nazwa towaru",
            },
            "FV/2024/11/027",
            "2024-11-05",
            "2024-11-19",
            "PLN",
            [Line("Płyta sklejka brzozowa 18 mm", 20, "189,00"), Line("Transport", 1, "250,00")],
            "4 030,00 zł",
            "926,90 zł",
            "4 956,90 zł",
            {
                "vendorName": "Kowalski i Syn Sp. z o.o.",
                "invoiceNumber": "FV/2024/11/027",
                "invoiceDate": "2024-11-05",
                "dueDate": "2024-11-19",
                "totalAmount": "4956.90",
                "taxAmount": "926.90",
                "currency": "PLN",
                "status": None,
            },
            ["Konto: PL61 1090 1014 0000 0712 1981 2874"],
        ),
        Invoice(
            "ch-helvetia-druck.pdf",
            "DE",
            "Helvetia Druck AG",
            ["Bahnhofstrasse 40", "8001 Zürich, Schweiz", "MWST CHE-123.456.789"],
            ["Alpenblick Hotel GmbH", "Seestrasse 2", "6002 Luzern"],
            "RECHNUNG",
            {
                "number": "Rechnungsnummer",
                "date": "Rechnungsdatum",
                "due": "Zahlbar bis",
                "subtotal": "Total exkl. MWST",
                "tax": "MWST 8.1%",
                "total": "Total CHF",
                "qty": "Menge",
                "price": "Preis",
                "amount": "Betrag",
                "desc": "Position",
            },
            "HD-24-3310",
            "20.11.2024",
            "20.12.2024",
            "CHF",
            [Line("Speisekarten, 4-farbig, A4", 200, "1.85"), Line("Gestaltung", 1, "480.00")],
            "CHF 850.00",
            "CHF 68.85",
            "CHF 918.85",
            {
                "vendorName": "Helvetia Druck AG",
                "invoiceNumber": "HD-24-3310",
                "invoiceDate": "2024-11-20",
                "dueDate": "2024-12-20",
                "totalAmount": "918.85",
                "taxAmount": "68.85",
                "currency": "CHF",
                "status": None,
            },
            ["QR-Rechnung: IBAN CH44 3199 9123 0008 8901 2"],
        ),
        Invoice(
            "en-eu-two-pages-paid.pdf",
            "EN",
            "Contoso Office Supply B.V.",
            ["Stationsplein 1", "3511 ED Utrecht, Netherlands"],
            ["Bill to: Northwind Traders GmbH", "Lindenstraße 5", "10969 Berlin"],
            "INVOICE",
            {**EN, "tax": "VAT 21%", "total": "Total"},
            "CO-90211",
            "2024-06-30",
            None,
            "EUR",
            [Line(f"Item {i:02d}: office supplies assortment", 1, "10.00") for i in range(1, 41)],
            "EUR 400.00",
            "EUR 84.00",
            "EUR 484.00",
            {
                "vendorName": "Contoso Office Supply B.V.",
                "invoiceNumber": "CO-90211",
                "invoiceDate": "2024-06-30",
                "dueDate": None,
                "totalAmount": "484.00",
                "taxAmount": "84.00",
                "currency": "EUR",
                "status": "PAID",
            },
            ["Paid by card on 2024-06-30. Thank you!"],
            stamp="PAID",
            pages=2,
        ),
        Invoice(
            "en-gb-credit-note.pdf",
            "EN",
            "Blue Harbor Trading Ltd",
            ["Unit 4, Dockside Park", "Bristol BS1 6XN, United Kingdom"],
            ["Credit to: Greenfield Foods plc", "8 Mill Lane", "Leeds LS1 4AP"],
            "CREDIT NOTE",
            {**EN, "number": "Credit Note No", "date": "Date of issue", "total": "Total"},
            "CN-00412",
            "15/04/2024",
            None,
            "GBP",
            [Line("Returned: pallet wrap, 500 mm (damaged)", 2, "-18.75")],
            "-£37.50",
            "-£7.50",
            "-£45.00",
            {
                "vendorName": "Blue Harbor Trading Ltd",
                "invoiceNumber": "CN-00412",
                "invoiceDate": "2024-04-15",
                "dueDate": None,
                "totalAmount": "-45.00",
                "taxAmount": "-7.50",
                "currency": "GBP",
                "status": None,
            },
            ["Refers to invoice BH-55821."],
        ),
    ]


def scanned(invoice: Invoice) -> bytes:
    """The invoice as a scanner would give it: one page image, slightly rotated, no text."""
    source = pymupdf.open(stream=render(invoice), filetype="pdf")
    pixmap = source[0].get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    source.close()
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=pixmap.tobytes("png"), rotate=0)
    data = _save(doc)
    doc.close()
    return data


FACTURX_XML = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:basic</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>FX-2024-00077</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime>
      <udt:DateTimeString format="102">20240918</udt:DateTimeString>
    </ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>Atelier Numérique SAS</ram:Name>
        <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Boulangerie Martin</ram:Name></ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime>
          <udt:DateTimeString format="102">20241018</udt:DateTimeString>
        </ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>1250.00</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>1250.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">250.00</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>1500.00</ram:GrandTotalAmount>
        <ram:DuePayableAmount>1500.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""

FACTURX = Invoice(
    "fr-facturx-atelier-numerique.pdf",
    "FR",
    "Atelier Numérique SAS",
    ["5 quai de la Fosse", "44000 Nantes, France", "TVA FR 12 987654321"],
    ["Client : Boulangerie Martin", "12 rue Crébillon", "44000 Nantes"],
    "FACTURE",
    {
        "number": "Facture n°",
        "date": "Date de facture",
        "due": "Date d'échéance",
        "subtotal": "Total HT",
        "tax": "TVA 20 %",
        "total": "Total TTC",
        "qty": "Qté",
        "price": "Prix unitaire",
        "amount": "Montant",
        "desc": "Désignation",
    },
    "FX-2024-00077",
    "18/09/2024",
    "18/10/2024",
    "EUR",
    [Line("Site vitrine, conception et intégration", 1, "1 250,00")],
    "1 250,00 €",
    "250,00 €",
    "1 500,00 €",
    {
        "vendorName": "Atelier Numérique SAS",
        "invoiceNumber": "FX-2024-00077",
        "invoiceDate": "2024-09-18",
        "dueDate": "2024-10-18",
        "totalAmount": "1500.00",
        "taxAmount": "250.00",
        "currency": "EUR",
        "status": "DUE",
    },
    ["Factur-X (profil BASIC) : les données structurées sont jointes (factur-x.xml)."],
)

SCANNED = Invoice(
    "de-scanned-baeckerei-huber.pdf",
    "DE",
    "Bäckerei Huber KG",
    ["Marienplatz 3", "80331 München"],
    ["Café Sonnenschein", "Leopoldstraße 10", "80802 München"],
    "RECHNUNG",
    {
        "number": "Rechnungsnummer",
        "date": "Rechnungsdatum",
        "due": "Fällig am",
        "subtotal": "Nettobetrag",
        "tax": "MwSt. 7 %",
        "total": "Gesamtbetrag",
        "qty": "Menge",
        "price": "Einzelpreis",
        "amount": "Betrag",
        "desc": "Artikel",
    },
    "2024-0456",
    "04.12.2024",
    "18.12.2024",
    "EUR",
    [Line("Brezen, Blech à 30 Stück", 10, "19,50"), Line("Laugensemmeln", 120, "0,65")],
    "273,00 €",
    "19,11 €",
    "292,11 €",
    {
        "vendorName": "Bäckerei Huber KG",
        "invoiceNumber": "2024-0456",
        "invoiceDate": "2024-12-04",
        "dueDate": "2024-12-18",
        "totalAmount": "292.11",
        "taxAmount": "19.11",
        "currency": "EUR",
        "status": None,
    },
)


def facturx() -> bytes:
    doc = pymupdf.open(stream=render(FACTURX), filetype="pdf")
    xref = doc.embfile_add(
        "factur-x.xml",
        FACTURX_XML.encode(),
        filename="factur-x.xml",
        desc="Factur-X / ZUGFeRD invoice data (CII)",
    )
    for key in ("Params/CreationDate", "Params/ModDate"):  # reproducible bytes
        doc.xref_set_key(xref, key, "(D:20241201000000Z)")
    data = _save(doc)
    doc.close()
    return data


def broken() -> bytes:
    whole = render(invoices()[0])
    return whole[: len(whole) // 3]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    expected: dict[str, object] = {}
    for invoice in invoices():
        (OUT / invoice.filename).write_bytes(render(invoice))
        expected[invoice.filename] = {"language": invoice.language, **invoice.expected}
    (OUT / FACTURX.filename).write_bytes(facturx())
    expected[FACTURX.filename] = {
        "language": "FR",
        "einvoice": "factur-x.xml (CII)",
        **FACTURX.expected,
    }
    (OUT / SCANNED.filename).write_bytes(scanned(SCANNED))
    expected[SCANNED.filename] = {"language": "DE", "scanned": True, **SCANNED.expected}
    (OUT / "broken-truncated.pdf").write_bytes(broken())
    expected["broken-truncated.pdf"] = {"error": "PDF_CORRUPT (truncated file)"}
    (OUT / "expected.json").write_text(
        json.dumps(expected, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    for path in sorted(OUT.glob("*.pdf")):
        print(f"{path.stat().st_size:>8}  {path.relative_to(OUT.parent.parent)}")


if __name__ == "__main__":
    main()
