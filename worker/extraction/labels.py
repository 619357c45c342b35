"""Multilingual label vocabulary (EN, DE, FR, NL, ES, IT, PL).

Each label is a regular-expression fragment (matched case-insensitively, spaces as ``\\s+``)
with a kind and a strength. :func:`find_labels` finds the labels on one row of text, longest
match first, so "Invoice Date" is a date label and not the title "Invoice" followed by "Date".
Labels of kind ``OTHER`` exist only to stop a value: "Rechnungsnr. 123 Kundennr. 456" must not
read "Kundennr." as part of the invoice number, and "Order Date" must not count as a date label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    INVOICE_NUMBER = "invoice_number"
    INVOICE_DATE = "invoice_date"
    DUE_DATE = "due_date"
    TOTAL = "total"
    SUBTOTAL = "subtotal"
    TAX = "tax"
    SELLER = "seller"
    BUYER = "buyer"
    TITLE = "title"  # "Invoice", "Rechnung", … : a document title, maybe followed by the number
    TERMS = "terms"  # payment terms: "Net 30", "14 Tage netto"
    OTHER = "other"


_TAX_WORDS = (
    "ust",
    "mwst",
    "vat",
    "tva",
    "btw",
    "iva",
    "umsatzsteuer",
    "mehrwertsteuer",
    "tax",
    "steuer",
)

# (kind, strength 0..1, fragments). Spaces in fragments match any run of whitespace.
_VOCAB: list[tuple[Kind, float, tuple[str, ...]]] = [
    (
        Kind.INVOICE_NUMBER,
        0.95,
        (
            r"invoice\s?(?:number|no\.?|nr\.?|num\.?|#|id)",
            r"inv\.?\s?(?:no\.?|#)",
            r"bill (?:no\.?|number)",
            r"transaction (?:no\.?|number|#)",
            r"document (?:#)",
            r"tax invoice (?:no\.?|number)",
            r"receipt (?:no\.?|number|#)",
            r"credit note (?:no\.?|number)",
            r"rechnungs-?\s?(?:nummer|nr\.?|no\.?)",
            r"rechnung (?:nr\.?|nummer)",
            r"rechnung-nr\.?",
            r"faktura-?\s?(?:nummer|nr\.?)",
            r"beleg-?nr\.?",
            r"re\.?-?\s?nr\.?",
            r"rg\.?-?\s?nr\.?",  # "Rg.-Nr.": Rechnung abbreviated
            r"gutschrift(?:s-?nummer| nr\.?)",
            r"facture n[°ºo]\.?",
            r"n[°ºo]\.? de facture",
            r"num[ée]ro de (?:la )?facture",
            r"facture num[ée]ro",
            r"avoir n[°ºo]",
            r"n[°ºo]\.? d['’]avoir",
            r"num[ée]ro d['’]avoir",
            r"gutschrift-?nr\.?",
            r"factuur\s?(?:nummer|nr\.?|no\.?)",
            r"creditnota\s?(?:nummer|nr\.?)",
            r"n[úu]mero de factura",
            r"factura n[°ºo.]*",
            r"n[°ºo]\.? (?:de )?factura",
            r"numero (?:di )?fattura",
            r"fattura n[°ºo.]*",
            r"documento n[°ºo.]*",
            r"n[°ºo]?\.? documento",
            r"numero (?:del )?documento",
            r"factura n[úu]m\.?",
            r"n[°ºo]\.? fattura",
            r"faktura(?: vat)? n(?:r|o)\.?",
            r"numer faktury",
            r"nr faktury",
        ),
    ),
    (
        # Bare abbreviations ("Nr. 471102", "N° 2024-17"): weaker than a full label; a title on
        # the same row makes them strong (see ``references.invoice_number``).
        Kind.INVOICE_NUMBER,
        0.55,
        (
            r"nr\.",
            r"nr:",
            r"no\.",
            r"no:",
            r"n[°º]\.?",
            r"num\.",
            r"núm\.",
            r"nummer",
            r"number",
            r"numéro",
            r"número",
            r"numero",
            r"nummer:",
            r"ref\.? no\.?",
        ),
    ),
    # "N." ("Nota di credito N. 123"): a number label only right after a document title (see
    # ``references.invoice_number``); elsewhere it is any register's number ("REA Roma n. 33463").
    (Kind.INVOICE_NUMBER, 0.35, (r"n\.",)),
    (
        Kind.INVOICE_NUMBER,
        0.5,
        (
            r"booking (?:id|no\.?|number|reference)",
            r"reservation (?:no\.?|number)",
            r"document (?:no\.?|number)",
            r"belegnummer",
            r"dokument-?\s?(?:nummer|nr\.?)",
        ),
    ),
    (
        Kind.TITLE,
        0.7,
        (
            r"invoice",
            r"tax invoice",
            r"credit note",
            r"rechnung",
            r"warenrechnung",  # compounds name the same document
            r"sammelrechnung",
            r"abschlagsrechnung",
            r"schlussrechnung",
            r"teilrechnung",
            r"monatsrechnung",
            r"gutschrift",
            r"facture",
            r"avoir",
            r"factuur",
            r"creditnota",
            r"factura",
            r"fattura",
            r"nota di credito",
            r"nota de cr[ée]dito",
            r"factura rectificativa",
            r"rechnungskorrektur",
            r"stornorechnung",
            r"credit memo",
            r"facture d['’]avoir",
            r"creditfactuur",
            r"faktura(?: vat)?",
            r"faktura korygująca",
            r"receipt",
        ),
    ),
    (
        Kind.INVOICE_DATE,
        0.95,
        (
            r"invoice date",
            r"date of invoice",
            r"invoice issue date",
            r"date of issue",
            r"issue date",
            r"date issued",
            r"issued on",
            r"issued at",  # "Invoice # RE-508 issued at 2020-11-21"
            r"data documento",
            r"billing date",
            r"invoice dated",
            r"tax point(?: date)?",
            r"rechnungsdatum",
            r"rechnungs-datum",
            r"fakturadatum",
            r"datum der rechnung",
            r"belegdatum",
            r"r[eg]\.?-?\s?datum",  # "Re.-Datum", "Rg.-Datum"
            r"ausstellungsdatum",
            r"date de (?:la )?facture",
            r"date de facturation",
            r"date d['’]émission",
            r"émise? le",  # "Émise le 3 août 2026"
            r"emise? le",
            r"factuurdatum",
            r"factuur datum",
            r"fecha de (?:la )?factura",
            r"fecha de emisi[óo]n",
            r"fecha factura",
            r"data (?:della )?fattura",
            r"data di emissione",
            r"data wystawienia",
            r"data faktury",
        ),
    ),
    (Kind.INVOICE_DATE, 0.7, (r"date", r"datum", r"data", r"fecha", r"dated?")),
    (
        Kind.DUE_DATE,
        0.95,
        (
            r"due date",
            r"payment due(?: date)?",
            r"date due",
            r"due on",
            r"pay by",
            r"payable by",
            r"fälligkeitsdatum",
            r"fällig(?: am| bis)?",
            r"zahlungsziel",
            r"zahlbar bis",
            r"date d['’]échéance",
            r"échéance",
            r"date limite de (?:paiement|règlement)",
            r"à payer avant le",
            r"vervaldatum",
            r"vervaldag",
            r"uiterste betaaldatum",
            r"te betalen vóór",
            r"fecha de vencimiento",
            r"vencimiento",
            r"data (?:di )?scadenza",
            r"scadenza",
            r"termin płatności",
            r"termin zapłaty",
        ),
    ),
    (
        Kind.TOTAL,
        0.95,
        (
            r"grand total",
            r"total amount due",
            r"amount due",
            r"balance due",
            r"total due",
            r"total to pay",
            r"amount payable",
            r"payable amount",
            r"due payable(?: amount)?",  # EN 16931's "amount due for payment", as Mustang prints it
            r"amount due for payment",
            r"total payable",
            r"invoice total",
            r"total amount",
            r"total incl\.? (?:vat|tax)",
            r"total \(incl\.? (?:vat|tax)\)",
            r"total for this invoice",
            r"gesamtbetrag",
            r"rechnungssumme",
            r"gutschriftsbetrag",
            r"gutschriftbetrag",
            r"gutschriftssumme",
            r"total credit",
            r"credit total",
            r"montant de l['’]avoir",
            r"total avoir",
            r"totaal creditnota",
            r"rechnungssumme brutto",
            r"bruttosumme",
            r"endsumme",
            r"gesamtsumme brutto",
            r"gesamtbetrag brutto",
            r"rechnungsbetrag brutto",
            r"abschlags(?:betrag|summe|rechnung) brutto",  # an interim invoice's amount due
            r"rechnungsbetrag",
            r"endbetrag",
            r"zahlbetrag",
            r"zu zahlen(?:der betrag)?",
            r"gesamtsumme",
            r"bruttobetrag",
            r"summe brutto",
            r"gesamt brutto",
            r"brutto gesamt",
            r"gesamt \(brutto\)",
            r"gesamt(?:betrag)? inkl\.? (?:mwst|ust)\.?",
            r"summe inkl\.? (?:mwst|ust)\.?",
            r"betrag inkl\.? (?:mwst|ust)\.?",
            r"total ttc",
            r"montant (?:eur )?ttc",
            r"net [àa] payer",  # capitals are often printed without their accents
            r"netà payer",  # OCR drops the space before a narrow "à"
            r"montant [àa] payer",
            r"somme à payer",
            r"total [àa] payer",
            r"montant total",
            r"total facture",
            r"totaal(?:bedrag)?",
            r"factuur totaal",
            r"te betalen",
            r"totaal incl\.? btw",
            r"factuurbedrag",
            r"rechnungsendbetrag",
            r"bruttorechnungsbetrag",
            r"gesamtrechnungsbetrag",
            r"forderungsbetrag",
            r"total à régler",
            r"montant à régler",
            r"solde à payer",
            r"te voldoen",
            r"totaal te voldoen",
            r"total a abonar",
            r"importe a pagar",
            r"totale a pagare",
            r"importo da pagare",
            r"openstaand bedrag",
            r"totaal te betalen",
            r"l[íi]quido a pagar",
            r"reste à payer",
            r"gross total",
            r"total a pagar",
            r"importe total",
            r"total factura",
            r"total importe",
            r"totale(?: documento| fattura| da pagare)?",
            r"importo totale",
            r"netto a pagare",
            r"razem(?: do zapłaty)?",
            r"do zapłaty",
            r"suma brutto",
            r"wartość brutto",
            r"razem brutto",
            r"total brutto",
            r"totale lordo",
        ),
    ),
    (Kind.TOTAL, 0.75, (r"total", r"summe", r"gesamt", r"suma")),
    (
        Kind.SUBTOTAL,
        0.9,
        (
            r"sub-?\s?total",
            r"net amount",
            r"total net",
            r"net total",
            r"total excl\.? (?:vat|tax)",
            r"amount before tax",
            r"total before tax",
            r"zwischensumme",
            r"rechnungssumme netto",
            r"nettosumme",
            r"summe ohne (?:ust|mwst)\.?",
            r"rechnungssumme ohne (?:ust|mwst)\.?",
            r"gesamtbetrag ohne (?:ust|mwst)\.?",
            r"positionssumme",
            r"summe positionen",
            r"positionen netto",
            r"warenwert",
            r"nettobetrag",
            r"summe netto",
            r"gesamt netto",
            r"netto",
            r"total ht",
            r"montant ht",
            r"montant eur ht",
            r"sous-total",
            r"total hors taxes?",
            r"montant hors taxes?",
            r"subtotaal",
            r"totaal excl\.? btw",
            r"exclusief btw",
            r"excl\.? btw",
            r"netto bedrag",
            r"grondslag",
            r"base (?:de )?tva",  # the amount the tax is computed on: a net
            r"base ht",
            r"basis btw",
            r"grondslag btw",
            r"bemessungsgrundlage",
            r"taxable amount",
            r"base imponible",
            r"subtotal",
            r"imponibile",
            r"totale imponibile",
            r"totale merce",
            r"rechnungsbetrag netto",
            r"abschlags(?:betrag|summe|rechnung) netto",
            r"gesamtbetrag netto",
            r"netto gesamt",
            r"nettowarenwert",
            r"suma netto",
            r"wartość netto",
            r"net",
            r"neto",
            r"razem netto",
            r"netto-?betrag",
            r"netto-?summe",
            r"importe neto",
            r"total neto",
            r"totale netto",
            r"total netto",
        ),
    ),
    (
        # The whole tax, spelled with a total word: longer than "USt." + "Gesamt" apart, so the
        # row reads as one tax label instead of a tax label followed by a total label.
        Kind.TAX,
        0.97,
        (
            *(
                rf"{tax}\.?\x20?{total}"
                for tax in _TAX_WORDS
                for total in ("gesamt", "total", "totale", "totaal", "summe", "betrag", "amount")
            ),
            *(
                rf"{total}\x20?(?:der\x20|de\x20(?:la\x20)?|del\x20|van\x20)?{tax}\.?"
                for tax in _TAX_WORDS
                for total in (
                    "gesamtbetrag",
                    "gesamt",
                    "total",
                    "totale",
                    "totaal",
                    "summe",
                    "somme",
                    "cuota",
                    "importe",
                )
            ),
            r"steuerbetrag",
            r"umsatzsteuerbetrag",
            r"ust\.?-?betrag",
            r"mwst\.?-?betrag",
            r"btw-?bedrag",
            r"total tax",
            r"tax total",
        ),
    ),
    (
        Kind.TAX,
        0.95,
        (
            r"vat(?: amount)?",
            r"tax(?: amount)?",
            r"taxes",
            r"total taxes",
            r"montant des taxes",
            r"sales tax",
            r"gst",
            r"igst",
            r"cgst",
            r"sgst",
            r"mwst\.?(?:-betrag)?",
            r"ust\.?",
            r"umsatzsteuer",
            r"mehrwertsteuer",
            r"tva",
            r"montant tva",
            r"btw(?: bedrag)?",
            r"iva",
            r"importe iva",
            r"imposta",
            r"kwota vat",
            r"podatek vat",
            r"ptu",
        ),
    ),
    (
        Kind.SELLER,
        0.9,
        (
            r"sold by",
            r"seller",
            r"vendor",
            r"supplier",
            r"service provider",
            r"issued by",
            r"verkäufer",
            r"lieferant",
            r"rechnungssteller",
            r"leistungserbringer",
            r"vendeur",
            r"fournisseur",
            r"émetteur",
            r"emetteur",  # printed without its accent by ASCII-only generators
            r"prestataire",
            r"verkoper",
            r"leverancier",
            r"proveedor",
            r"vendedor",
            r"emisor",
            r"fornitore",
            r"venditore",
            r"cedente",
            r"sprzedawca",
            r"wystawca",
            r"dostawca",
        ),
    ),
    (
        Kind.SELLER,
        0.8,
        (
            r"from:",
            r"von:",
            r"de :",
            r"payment received by",
            r"received by",
            r"payable to",
            r"pay to",
            r"in favou?r of",
            r"account holder",
            r"beneficiary",
            r"kontoinhaber",
            r"empfänger der zahlung",
            r"titulaire du compte",
            r"(?:sur le|au) compte de",
            r"à l'ordre de",
            r"bénéficiaire",
            r"zugunsten",
            r"rekeninghouder",
            r"ten name van",
            r"t\.n\.v\.",
            r"a favor de",
            r"a favore di",
            r"intestato a",
            r"titular de la cuenta",
            r"beneficiario",
            r"intestatario",
            r"odbiorca płatności",
        ),
    ),
    (
        Kind.BUYER,
        0.9,
        (
            r"to:",
            r"an:",
            r"aan:",
            r"à :",
            r"bill(?:ed)? to(?: address)?",
            r"invoice to",
            r"invoiced to",
            r"ship(?:ped)? to",
            r"sold to",
            r"billing address",
            r"shipping address",
            r"delivery address",
            r"customer name",
            r"client name",
            r"nom du client",
            r"naam klant",
            r"customer",
            r"deliver to",
            r"attn\.?",
            r"guest name",
            r"rechnungsadresse",
            r"käufer",
            r"rechnung an",
            r"rechnungsanschrift",
            r"facture à",
            r"factureren aan",
            r"factuur aan",
            r"fattura a(?!\w)",  # not "Factura A983/24": a number starting with a letter
            r"factura a(?!\w)",
            r"auftraggeber",
            r"besteller",
            r"buyer",
            r"purchaser",
            r"acheteur",
            r"koper",
            r"afnemer",
            r"comprador",
            r"acquirente",
            r"cessionario",
            r"committente",
            r"lieferadresse",
            r"leistungsadresse",  # where a service was rendered: not who is billed
            r"rechnungsempfänger",
            r"warenempfänger",
            r"kundenname",
            r"kunde",
            r"empfänger",
            r"z\.\s?hd\.?",
            r"leistungsempfänger",
            r"adresse de facturation",
            r"adresse de livraison",
            r"facturé à",
            r"livré à",
            r"destinataire",
            r"client",
            r"nom de l['’]abonné",
            r"adresse de l['’]installation",
            r"factuuradres",
            r"afleveradres",
            r"leveradres",
            r"klant",
            r"t\.a\.v\.?",
            r"facturar a",
            r"cliente",
            r"destinatario",
            r"dirección de facturación",
            r"spett\.le",
            r"intestato a",
            r"nabywca",
            r"odbiorca",
            r"płatnik",
        ),
    ),
    (
        Kind.TERMS,
        0.5,
        (
            r"payment terms",
            r"terms of payment",
            r"terms",
            r"zahlungsbedingungen",
            r"conditions de (?:paiement|règlement)",
            r"modalités de paiement",
            r"betalingstermijn",
            r"betalingsvoorwaarden",
            r"betalingscondities",
            r"condiciones de pago",
            r"forma de pago",
            r"condizioni di pagamento",
            r"termini di pagamento",
            r"warunki płatności",
            r"sposób płatności",
        ),
    ),
    (
        Kind.OTHER,
        0.0,
        (
            r"order (?:id|no\.?|number|date)",
            r"po number",
            r"purchase order",
            r"account number",
            r"customer (?:no\.?|number|id)",
            r"client (?:no\.?|number|id)",
            r"reference",
            r"page",
            r"delivery date",
            r"date of (?:delivery|supply|service)",  # not the invoice's "Date"
            r"(?:supply|service) date",
            r"ship date",
            r"service period",
            r"vat (?:no\.?|number|id|reg\.? no\.?)",
            r"tax id",
            r"vat/tin",
            r"tin",
            r"gstin",
            r"pan",
            r"iban",
            r"bic",
            r"swift",
            r"bank",
            r"phone",
            r"tel\.?",
            r"fax",
            r"e-?mail",
            r"kundennr\.?",
            # Another invoice, the one a credit note or correction refers to: its number is
            # not this document's ("Bezug Rechnung 9499", "Avoir sur facture n° FA-0640").
            r"bezug(?:s-?rechnung| (?:auf |zu )?rechnung)?(?:s?-?\s?(?:nr\.?|nummer))?",
            r"zu(?:r)? rechnung(?:s?-?\s?(?:nr\.?|nummer))?",
            r"ursprungsrechnung",
            r"originalrechnung",
            r"avoir sur facture(?: n[°ºo]\.?)?",
            r"sur facture(?: n[°ºo]\.?)?",
            r"facture (?:li[ée]e|d['’]origine|initiale)",
            r"original invoice(?: no\.?| number| #)?",
            r"related invoice",
            r"credit (?:note )?(?:for|against) invoice(?: no\.?| number| #)?",
            r"(?:for|against) invoice(?: no\.?| number| #)?",
            r"oorspronkelijke factuur",
            r"betreft factuur",
            r"rif\.? fattura",
            r"fattura (?:di riferimento|originale|n\.? di riferimento)",
            r"factura (?:rectificada|original)",
            r"kunden-nr\.?",
            r"btw[- ]?nr\.?",
            r"btw[- ]?id",
            r"vat[- ]?(?:reg\.?\s?)?(?:no|nr|number|id)\.?",
            r"tva intra(?:communautaire|com)?\.?",
            r"n[°º]\.?\s?(?:de\s)?tva(?: intra(?:communautaire|com)?\.?)?",
            r"n[°º]\.?\s?(?:de\s)?(?:client|commande|contrat|siret|siren)",
            r"nr\.?\s?(?:iva|btw)",
            r"tax (?:no|number|id)\.?",
            r"ust\.?-?nr\.?",
            r"kunden-nummer",
            r"customer no\.?",
            r"ust\.?-?\s?id\.?-?\s?nr\.?",
            r"ust\.?-?\s?idnr\.?",
            r"umsatzsteuer-?id(?:entifikations)?-?(?:nr\.?|nummer)",
            r"globale nummer",
            r"handelsregister(?:nummer)?",
            r"name",
            r"nom",
            r"naam",
            r"nombre",
            r"nome",
            r"bon de commande",
            r"votre commande",
            r"ihre bestellung",
            r"bestell-nr\.?",
            r"auftrags-nr\.?",
            r"pedido",
            r"vs\.? ordine",
            r"code client",
            r"codice cliente",
            r"account no\.?",
            r"konto-?nr\.?",
            r"art-?nr\.?(?:-lieferant)?",
            r"kundennummer",
            r"bestellnummer",
            r"bestelldatum",
            r"auftragsnummer",
            r"lieferdatum",
            r"leistungsdatum",
            r"lieferschein(?:nr\.?)?",
            r"seite",
            r"steuer-?nr\.?",
            r"steuernummer",
            r"ust-?id(?:nr\.?)?",
            r"ustid",
            r"zahlungsform",
            r"numéro de dossier",
            r"n[°º] client",
            r"référence",
            r"numéro de commande",
            r"id\.client",
            r"date de commande",
            r"date de livraison",
            r"numéro de ligne",
            r"klantnummer",
            r"ordernummer",
            r"orderdatum",
            r"bestelnummer",
            r"leverdatum",
            r"btw[- ]?nummer",
            r"uw btw nummer",
            r"kvk",
            r"referentie",
            r"número de pedido",
            r"fecha de pedido",
            r"nif",
            r"cif",
            r"partita iva",
            r"codice fiscale",
            r"numero ordine",
            r"data ordine",
            r"nip",
            r"regon",
            r"numer zamówienia",
            r"p\.\s?iva",
            r"data sprzedaży",
            r"data dostawy",
            r"data di consegna",
            r"check in",
            r"n[°ºo]\.?\s?(?:de\s)?cliente",
            r"c[óo]d(?:igo|\.)?\s?(?:de\s)?cliente",
            r"debiteur(?:en)?-?(?:nummer|nr\.?)",
            r"leveringsdatum",
            r"fecha de (?:entrega|servicio|pedido|albar[áa]n)",
            r"data (?:consegna|ddt|ordine)",
            r"date de prestation",
            r"supply date",
            r"pagina",
            r"página",
            r"artikel-?nr\.?",
            r"art\.-nr\.?",
            r"item code",
            r"sku",
            r"gesch[äa]ftsf[üu]hr(?:er|erin|ung)",
            r"amtsgericht",
            r"registergericht",
            r"hrb",
            r"telefon",
            r"telefoon",
            r"tel[ée]fono",
            r"t[ée]l\.?",
            r"rsin",
            r"siret",
            r"rcs",
            r"lieferschein-?nr\.?",
            r"auftragsdatum",
            r"leistungszeitraum",
            r"abrechnungszeitraum",
            r"lieferzeitraum",
            r"p[ée]riode de facturation",
            r"billing period",
            r"factuurperiode",
            r"periodo de facturaci[óo]n",
            r"periodo di fatturazione",
            r"check out",
            r"payment mode",
            r"rooms",
        ),
    ),
]

# Words that negate a tax label: "Exclusief BTW", "ohne MwSt.", "incl. VAT", "Prijs incl. BTW".
_TAX_NEGATORS = re.compile(
    r"(?:excl|exclusief|exclusive|excluding|incl|inclusief|inclusive|including|inkl|ohne|"
    r"hors|sans|avant|before|w/o|not a|sin|senza|bez|prijs|prijzen zijn)\.?\s*$",
    re.IGNORECASE,
)


def negated(text_before: str) -> bool:
    """Whether the words just before a tax label turn it into something else ("excl. VAT")."""
    return bool(_TAX_NEGATORS.search(text_before))


@dataclass(frozen=True)
class Label:
    kind: Kind
    strength: float
    start: int
    end: int
    text: str


_SPACE = r"[ \u00a0]+"  # a label never spans a column break (a tab in the row text)
_LEGAL_AFTER = re.compile(
    r"\s+(?:GmbH|AG|KG|SE|UG|B\.?V\.?|N\.?V\.?|SAS|SARL|SA|S\.?L\.?|S\.?r\.?l\.?|S\.?p\.?A\.?|"
    r"Ltd\.?|Limited|LLC|Inc\.?|plc)(?![\w])"
)


def _shortest_match(fragment: str) -> int:
    """Roughly the length of the shortest text a fragment matches: ordering the alternation by
    it makes "razem netto" win over "razem(?: do zapłaty)?" on "Razem netto"."""
    core = re.sub(r"\(\?:[^()]*\)\?", "", fragment)  # optional groups
    core = re.sub(  # a group of alternatives counts as its shortest alternative
        r"\(\?:([^()]*)\)", lambda m: min(m.group(1).split("|"), key=len), core
    )
    core = re.sub(r"\[[^\]]*\]", "x", core)  # a character class is one character
    core = re.sub(r"\\.", "x", core)  # an escape is one character
    core = re.sub(r".\?", "", core)  # an optional character
    return len(re.sub(r"[()?:|]", "", core))


def _leading_alternatives(fragment: str) -> list[str]:
    """ "(?:supply|service) date" -> ["supply date", "service date"]: a fragment is filed under
    the letter it starts with, so one that starts with a group is filed once per alternative."""
    m = re.match(r"\(\?:([^()]*)\)(?!\?)", fragment)
    if m is None:
        return [fragment]
    return [alternative + fragment[m.end() :] for alternative in m.group(1).split("|")]


_WORD_START = re.compile(r"(?<![^\W\d])[^\W\d_]")


def _compile() -> dict[str, tuple[re.Pattern[str], list[tuple[Kind, float]]]]:
    """One alternation per first letter, longest fragment first (alternation is ordered).

    Trying only the fragments that can start with the letter at hand keeps this cheap: one big
    alternation of every fragment at every word start cost ~1 ms per row.
    """
    entries = [
        (kind, strength, alternative)
        for kind, strength, frags in _VOCAB
        for frag in frags
        for alternative in _leading_alternatives(frag)
    ]
    entries.sort(key=lambda e: _shortest_match(e[2]), reverse=True)
    by_letter: dict[str, list[tuple[Kind, float, str]]] = {}
    for entry in entries:
        by_letter.setdefault(entry[2][0].lower(), []).append(entry)
    compiled = {}
    for letter, group in by_letter.items():
        parts = [f"(?P<g{i}>{frag.replace(' ', _SPACE)})" for i, (_, _, frag) in enumerate(group)]
        # Not inside a word: no letter or underscore after ("invoice_number_1" is a value),
        # unless the label ends in a sign ("N°F-20240000014": the value follows at once).
        pattern = "(?:" + "|".join(parts) + r")(?:(?<=[°º#№])|(?![^\W\d]))"
        compiled[letter] = (re.compile(pattern, re.IGNORECASE), [(k, st) for k, st, _ in group])
    return compiled


_BY_LETTER = _compile()


def _inside_cell(text: str, start: int, end: int) -> bool:
    """Words of the same cell both before the label and after it, without a colon: the label
    word is part of a longer text ("123 Seller St"), not a label ("Seller:", "Lieferant")."""
    before = text[:start].rsplit("\t", 1)[-1]
    after = text[end:].split("\t", 1)[0]
    return bool(re.search(r"\w", before)) and bool(re.match(r"\s+\w", after))


def _inside_parentheses(text: str, pos: int) -> bool:
    cell = text[:pos].rsplit("\t", 1)[-1]
    return cell.count("(") > cell.count(")")


def find_labels(text: str) -> list[Label]:
    out = []
    pos = 0
    for start in _WORD_START.finditer(text):
        if start.start() < pos:
            continue
        compiled = _BY_LETTER.get(start.group(0).lower())
        m = compiled[0].match(text, start.start()) if compiled else None
        if not m or not compiled:
            continue
        kind, strength = compiled[1][int((m.lastgroup or "g0")[1:])]
        pos = m.end()
        if kind in (Kind.SELLER, Kind.BUYER) and m.start() > 0 and text[m.start() - 1] == "-":
            continue  # the end of a compound ("Art-Nr-Kunde", "Rechnungs-Empfänger-ID")
        if kind in (Kind.SELLER, Kind.BUYER) and _LEGAL_AFTER.match(text, m.end()):
            continue  # "Lieferant GmbH", "Client SAS": a company's name, not a label
        if kind in (Kind.SELLER, Kind.BUYER) and _inside_cell(text, m.start(), m.end()):
            continue  # "· 12345 Seller City": a word inside an address line, not a label
        if kind is Kind.TAX and _inside_parentheses(text, m.start()):
            continue  # a qualifier of the label before it: "Nettobetrag (zzgl. 19 % MwSt.)"
        if kind is Kind.TAX and negated(text[: m.start()]):
            continue  # part of the phrase before it ("Total incl. VAT", "Prijs incl. BTW")
        out.append(Label(kind, strength, m.start(), m.end(), m.group(0)))
    return out
