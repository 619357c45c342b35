"""Booking fields from page text: seller VAT id, buyer name, IBAN, BIC, order reference,
payment terms, line items, and whether the document is a credit note.

General rules only:
- a VAT id has a country prefix and the country's shape; the seller's is the first one not
  introduced as the customer's ("Ihre USt-IdNr.", "your VAT", "client", …);
- an IBAN is any ``CC99…`` run whose ISO 13616 checksum holds (an IBAN that fails is not
  extracted); the BIC stands after a "BIC"/"SWIFT" label;
- the buyer is the first line of the block a buyer label introduces ("Rechnung an", "Bill to",
  "Käufer", …);
- order reference and payment terms stand after their labels;
- line items: rows of a table whose header names a description and an amount column, each row
  with a quantity, a unit price and a net amount that multiply out.
"""

from __future__ import annotations

import re
from decimal import Decimal

from api.invoice_checks import iban_is_valid, normalize_iban
from worker.extraction.candidates import Candidate, best
from worker.extraction.labels import Kind, Label, find_labels
from worker.extraction.layout import Layout, Row
from worker.extraction.numbers import find_amounts, format_amount
from worker.extraction.terms import terms_matches

# Country prefix and the national part (loosely: letters/digits of the usual length).
_VAT_RE = re.compile(
    r"(?<![A-Z0-9])(?P<vat>"
    r"ATU\s?\d{8}|BE\s?[01]\d{3}[.\s]?\d{3}[.\s]?\d{3}|BG\d{9,10}|CY\d{8}[A-Z]|CZ\d{8,10}|"
    r"DE\s?\d{3}\s?\d{3}\s?\d{3}|DK\d{8}|EE\d{9}|EL\d{9}|ES\s?[A-Z0-9]\d{7}[A-Z0-9]|FI\d{8}|"
    r"FR\s?[A-HJ-NP-Z0-9]{2}\s?\d{3}\s?\d{3}\s?\d{3}|HR\d{11}|HU\d{8}|IE\d[A-Z0-9+*]\d{5}[A-Z]{1,2}|"
    r"IT\s?\d{11}|LT\d{9,12}|LU\d{8}|LV\d{11}|MT\d{8}|NL\s?\d{9}\s?B\s?\d{2}|PL\d{10}|"
    r"PT\d{9}|RO\d{2,10}|SE\d{12}|SI\d{8}|SK\d{10}|GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\d{3})?|"
    r"CHE[-\s]?\d{3}\.?\d{3}\.?\d{3}(?:\s?(?:MWST|TVA|IVA))?)(?![A-Z0-9])"
)
# Words that mark the buyer's identifiers ("Ihre USt-IdNr.", "Customer VAT", "TVA client").
_BUYER_ID_RE = re.compile(
    r"\b(?:ihre|your|votre|uw|su|vostra|vostro|vs|kunde\w*|customer|client\w*|klant\w*|"
    r"cliente|käufer|buyer|acheteur|koper|comprador|acquirente|empfänger)\b",
    re.IGNORECASE,
)
_IBAN_START = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?=[ A-Z0-9])")
_BIC_RE = re.compile(
    r"(?:\bBIC|\bSWIFT(?:[-/\s]?(?:BIC|code))?|\bBIC[-/]SWIFT)\s*[:.]?\s*"
    r"(?P<bic>[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Z0-9])",
    re.IGNORECASE,
)
# A BIC without its label: bank (4 letters), country (2), location (2), maybe a branch (3);
# upper case and alone (not inside an IBAN or a word). Only trusted near the IBAN.
_BARE_BIC_RE = re.compile(r"(?<![\w/.-])(?P<bic>[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![\w/.-])")
_BARE_BIC = 0.6
_ORDER_LABEL_RE = re.compile(
    r"(?:(?:your|ihre|uw|votre)\s+)?(?:"
    r"purchase\s+order(?:\s+(?:no\.?|number|#))?|p\.?\s?o\.?\s?(?:no\.?|number|#)|order\s+(?:no\.?|number|#|id)|"
    r"buyer\s+reference|bestell(?:ung|nummer|-?nr\.?|\s?nr\.?)|auftrags?(?:nummer|-?nr\.?)|"
    r"leitweg-?id|käuferreferenz|bon\s+de\s+commande|n[°º]\s+(?:de\s+)?commande|"
    r"numéro\s+de\s+commande|commande|inkoopordernummer|ordernummer|bestelnummer|"
    r"uw\s+referentie|n[úu]mero\s+de\s+pedido|pedido|numero\s+(?:d['’])?ordine|ordine\s+n\.?)"
    r"\s*[:.#]?",
    re.IGNORECASE,
)
_ORDER_ID_RE = re.compile(r"[#№]?\s?(?P<id>[A-Za-z0-9][\w/\-.]*[A-Za-z0-9]|\d)")
_CREDIT_TITLE_RE = re.compile(
    r"^\s*(?:gutschrift|rechnungskorrektur|stornorechnung|credit\s?note|credit\s+memo|avoir|"
    r"facture\s+d['’]avoir|creditnota|creditfactuur|nota\s+de\s+cr[ée]dito|"
    r"factura\s+rectificativa|nota\s+di\s+credito)\b",
    re.IGNORECASE,
)
# What payment terms say: a number of days, "net", "immediately", a discount, "on receipt", …
_TERMS_WORDS = re.compile(
    r"\d|net|sofort|immediate|immédiat|direct|onmiddellijk|inmediato|immediato|skonto|abzug|"
    r"escompte|receipt|réception|ontvangst|recepción|ricevimento|vista|lastschrift|"
    r"prélèvement|incasso|domiciliación|bonifico|virement|überweisung|transfer",
    re.IGNORECASE,
)
_ATTENTION = re.compile(
    r"z\.\s?hd|attn|t\.a\.v|ter attentie|à l'attention|a l'attention|c/o|a/a\b|att\.|"
    r"(?:alla\s)?c\.a\.|fao\b|ansprechpartner|contact\s?:",
    re.IGNORECASE,
)
_DELIVERY = re.compile(
    r"ship|deliver|liefer|leistungsadr|livr|aflever|lever|consegna|entrega|warenempf|"
    r"destinatario merci",
    re.IGNORECASE,
)
_LABELLED_VAT = re.compile(
    r"ust\.?-?\s?id|umsatzsteuer-?id|vat|tva|btw|iva|p\.?\s?iva|mwst|tax\s+id|nif|cif",
    re.IGNORECASE,
)


# National VAT numbers printed without their country prefix after a national label: a Spanish
# CIF/NIF ("CIF: B12345678") and an Italian partita IVA ("P.IVA 01234567890").
_NATIONAL_VAT = (
    (
        "ES",
        re.compile(
            r"(?<![\w.])(?:C\.?\s?I\.?\s?F|N\.?\s?I\.?\s?F)\.?\s*[:.]?\s*"
            r"(?P<vat>[A-HJNP-SUVW]-?\d{7}[0-9A-J]|\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z])(?![\w])",
            re.IGNORECASE,
        ),
    ),
    (
        "IT",
        re.compile(
            r"(?<![\w.])(?:P\.?\s?IVA|Partita\s+IVA)\s*[:.]?\s*(?P<vat>\d{11})(?!\d)",
            re.IGNORECASE,
        ),
    ),
)
_NATIONAL_VAT_CONFIDENCE = 0.8


_OCR_ZERO = re.compile(r"(?<=\b[A-Z]{2})O(?=[\dO]{7,})|(?<=\d)O(?=\d)")


def _row_candidate(value: str, confidence: float, row: Row, start: int, end: int) -> Candidate:
    return Candidate.at(value, confidence, row, row.bbox(start, end))


def seller_vat_id(layout: Layout, buyer: Candidate | None = None) -> Candidate | None:
    """The VAT id the seller prints (labelled, with its legal details or in the footer); never
    one labelled as the buyer's or printed in the buyer's address block."""
    found = []
    buyer_rows = _block_under(layout, buyer)
    for row in layout.rows():
        if (row.page.number, row.index) in buyer_rows:
            continue
        # OCR reads a zero as the letter O ("FRO3236152390"); the same length keeps positions
        text = _OCR_ZERO.sub("0", row.text)
        for m in _VAT_RE.finditer(text):
            before = row.text[max(0, m.start() - 40) : m.start()]
            if _BUYER_ID_RE.search(_label_text(layout, row, m.start())):
                continue
            confidence = 0.85 if _LABELLED_VAT.search(before) else 0.6
            if _in_legal_footer(row):
                confidence += _FOOTER_BONUS
            vat = re.sub(r"[\s.\-]", "", m.group("vat"))
            found.append(_row_candidate(vat, confidence, row, m.start("vat"), m.end("vat")))
        for country, pattern in _NATIONAL_VAT:
            for m in pattern.finditer(row.text):
                if _BUYER_ID_RE.search(_label_text(layout, row, m.start())):
                    continue
                vat = country + re.sub(r"[\s.\-]", "", m.group("vat")).upper()
                found.append(
                    _row_candidate(vat, _NATIONAL_VAT_CONFIDENCE, row, m.start("vat"), m.end("vat"))
                )
    return best(found)


_BLOCK_LINES = 8  # name, street, postcode and city, country, registration and VAT lines


def _block_under(layout: Layout, name: Candidate | None) -> set[tuple[int, int]]:
    """The rows of the address block a party's name heads: the lines right under it that
    start where it starts ("SARL LA PLATINE / LD Poiriers / 97180 Saint-Anne / TVA: FR49…")."""
    if name is None or name.bbox is None or name.page is None:
        return set()
    rows = layout.pages[name.page - 1]
    _page, index = name.order
    x0 = name.bbox[0]
    block = {name.order}
    last = rows[index].y1
    for below in rows[index + 1 : index + 1 + _BLOCK_LINES]:
        if below.y0 - last > 2 * below.height or not any(abs(w.x0 - x0) < 3 for w in below.words):
            break
        block.add((below.page.number, below.index))
        last = below.y1
    return block


# A row of the issuer's legal details: share capital, trade register, registration numbers.
_REGISTRATION = re.compile(
    r"capital|r\.?\s?c\.?\s?s\b|siren|siret|\bape\b|hrb?\s?\d|handelsregister|amtsgericht|"
    r"registergericht|geschäftsführ|steuer-?nr|steuernummer|\bkvk\b|handelsregist|\bcoc\b|"
    r"company (?:no|number|reg)|registered (?:office|in)|\bcif\b|\brea\b|registro",
    re.IGNORECASE,
)
_FOOTER_BONUS = 0.05
_FOOTER_SHARE = 0.15


def _in_legal_footer(row: Row) -> bool:
    """The issuer prints its VAT id with its legal details, often in the page's footer; a buyer's
    VAT id stands in its address block."""
    return row.y0 >= row.page.height * (1 - _FOOTER_SHARE) or bool(_REGISTRATION.search(row.text))


def _label_text(layout: Layout, row: Row, start: int) -> str:
    """What labels a value starting at ``start``: the words before it in its cell; for a value
    alone at the start of its cell, the cell before it on the row ("Ihre USt-IdNr.  DE…") or,
    with nothing there, the words just above it (a label over its value)."""
    before = row.text[max(0, start - 40) : start]
    cells = row.text[:start].split("\t")
    if cells[-1].strip():
        return before.rsplit("\t", 1)[-1]
    if len(cells) > 1 and cells[-2].strip():
        return cells[-2]
    box = row.bbox(start, start + 1)
    if box is None or row.index == 0:
        return ""
    above = layout.pages[row.page.number - 1][row.index - 1]
    if row.y0 - above.y1 > 2 * row.height:
        return ""
    return " ".join(w.text for w in above.words if abs(w.x0 - box[0]) < 3 * row.height)


def iban(layout: Layout) -> Candidate | None:
    """The first run that passes the IBAN checksum; runs that fail are not IBANs."""
    for row in layout.rows():
        text = row.text.upper()
        for m in _IBAN_START.finditer(text):
            chars: list[tuple[str, int]] = []
            pos = m.start()
            while pos < len(text) and len(chars) < 34:
                ch = text[pos]
                if ch.isalnum():
                    chars.append((ch, pos))
                elif ch != " " or (pos + 1 < len(text) and text[pos + 1] == " "):
                    break
                pos += 1
            for length in range(len(chars), 14, -1):
                candidate = "".join(ch for ch, _ in chars[:length])
                if iban_is_valid(candidate):
                    end = chars[length - 1][1] + 1
                    return _row_candidate(normalize_iban(candidate), 0.9, row, m.start(), end)
    return None


def bic(layout: Layout, account: Candidate | None = None) -> Candidate | None:
    """The BIC after its label ("BIC", "SWIFT"); else, unlabelled, a BIC-shaped code of the
    IBAN's country on the IBAN's row or the rows next to it ("DE12 3704 … · COBADEFFXXX")."""
    for row in layout.rows():
        m = _BIC_RE.search(row.text)
        if m:
            value = m.group("bic").upper()
            return _row_candidate(value, 0.85, row, m.start("bic"), m.end("bic"))
    if account is None or not layout.pages:
        return None
    page, at = account.order
    rows = layout.pages[page - 1]
    country = account.value[:2]
    for row in rows[max(0, at - 2) : at + 3]:
        for m in _BARE_BIC_RE.finditer(row.text):
            value = m.group("bic")
            if value[4:6] == country and not iban_is_valid(value):
                return _row_candidate(value, _BARE_BIC, row, m.start("bic"), m.end("bic"))
    return None


def _label_at(row: Row, start: int, end: int) -> Label:
    return Label(Kind.OTHER, 0.8, start, end, row.text[start:end])


def order_reference(layout: Layout) -> Candidate | None:
    found = []
    for row in layout.rows():
        for m in _ORDER_LABEL_RE.finditer(row.text):
            if m.start() > 0 and row.text[m.start() - 1].isalnum():
                continue
            label = _label_at(row, m.start(), m.end())
            for value in (layout.value_right(row, label), layout.value_below(row, label)):
                if value is None:
                    continue
                cell = value.text.split("\t")[0].strip()
                idm = _ORDER_ID_RE.match(cell)
                if not idm or not any(ch.isdigit() for ch in idm.group("id")):
                    continue
                token = idm.group("id")
                offset = value.text.find(token)
                confidence = 0.8 if not value.below else 0.7
                found.append(
                    Candidate.at(
                        token, confidence, value.row, value.bbox(offset, offset + len(token))
                    )
                )
                break
    return best(found)


def payment_terms(layout: Layout) -> Candidate | None:
    """The terms as printed: the text after a terms label, or a row stating "payable within
    N days" / "Net 30"."""
    found = []
    for row in layout.rows():
        for label in row.labels:
            if label.kind is not Kind.TERMS:
                continue
            value = layout.value_right(row, label) or layout.value_below(row, label)
            if value and _TERMS_WORDS.search(value.text):
                text = re.sub(r"\s+", " ", value.text).strip()
                found.append(Candidate.at(text, 0.7, value.row, value.bbox()))
        for cell_start, cell in _cells(row.text):
            if terms_matches(cell, labelled=False):
                text = re.sub(r"\s+", " ", cell).strip(" :")
                found.append(_row_candidate(text, 0.6, row, cell_start, cell_start + len(cell)))
    return best(found)


def _cells(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in text.split("\t"):
        out.append((pos, part))
        pos += len(part) + 1
    return out


def buyer_name(layout: Layout, vendor: Candidate | None = None) -> Candidate | None:
    """The first line of a buyer block (after the label on its row, else under it, else the
    "Name:" field of a buyer section), or the window address under a sender line."""
    from worker.extraction.vendor import (  # vendor imports nothing from here
        name_in,
        plausible_name,
        section_name,
        window_address_name,
    )

    found = []
    for row, label in layout.labelled(Kind.BUYER):
        if _DELIVERY.search(label.text) or _ATTENTION.match(label.text):
            continue  # delivery address or attention line: not who is billed
        for value in layout.values(row, label):
            name, start, end = name_in(value)
            if name and plausible_name(name):
                confidence = 0.8 if not value.below else 0.75
                found.append(Candidate.at(name, confidence, value.row, value.bbox(start, end)))
                break
        else:
            section = section_name(layout, row, label)
            if section is not None:
                found.append(section)
    window = window_address_name(layout)
    if window is not None:
        found.append(window)
    found.extend(address_blocks(layout))
    if vendor is not None:
        found = [c for c in found if not _same_party(c.value, vendor.value)]
    return best(found)


def _same_party(name: str, vendor: str) -> bool:
    """Whether ``name`` is the vendor's: the same name, also with a particle dropped ("de
    Vries …"), or the letterhead's short form of it ("GIRARD" over "Girard Informatique SA")."""
    key, own = _core_key(name), _core_key(vendor)
    return key == own or key.startswith(own + " ") or own.startswith(key + " ")


_POSTCODE_CITY = re.compile(
    r"(?:^|\s)(?:[A-Z]{1,2}-)?\d{4,5}\s+[^\W\d_][\w.\- ]+|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|"
    r"\b\d{4}\s?[A-Z]{2}\s+[^\W\d_]+"
)
_ADDRESS_BLOCK = 0.45
_LEGAL_WORD = re.compile(
    r"\b(?:gmbh|ag|kg|se|ug|e\.\s?k\.|b\.?v\.?|n\.?v\.?|sas|sarl|sa|s\.?l\.?u?\.?|s\.?r\.?l\.?|"
    r"s\.?p\.?a\.?|ltd|limited|llp|plc|inc|llc)\b\.?",
    re.IGNORECASE,
)


_PARTICLES = {"de", "van", "der", "den", "von", "la", "le", "di", "del", "da"}


def _core_key(name: str) -> str:
    return " ".join(w for w in _name_key(name).split() if w not in _PARTICLES)


def _name_key(name: str) -> str:
    return re.sub(r"\W+", " ", _LEGAL_WORD.sub("", name)).strip().lower()


def address_blocks(layout: Layout) -> list[Candidate]:
    """An unlabelled address block in the upper part of page 1 (a name, then street and
    postcode lines starting at the same x): the addressee. The caller drops the vendor's own."""
    from worker.extraction.vendor import SALUTATION, plausible_name

    if not layout.pages:
        return []
    rows = layout.pages[0]
    found = []
    for i, row in enumerate(rows):
        if row.y0 > row.page.height * 0.45:
            break
        if row.y0 < row.page.height * 0.08:
            continue
        for start, cell in _cells(row.text):
            if any(start <= lb.start < start + len(cell) for lb in row.labels):
                continue  # a labelled cell ("Rechnung Nr. 12") is no addressee's name
            box = row.bbox(start, start + len(cell))
            name = re.sub(r"\s+", " ", cell).strip(" ,;")
            if box is None or len(name) < 4 or not plausible_name(name):
                continue
            if _ATTENTION.match(name):
                continue  # "z. Hd. Frau Schmidt", "À l'attention de …": a person to see
            salutation = SALUTATION.match(name)
            if salutation and salutation.end() == len(name):
                continue  # "Herrn" alone: the name is on the next line
            if salutation and not name.lower().startswith("firma"):
                name = name[salutation.end() :]
            lines = []
            last = row.y1
            for below in rows[i + 1 : i + 6]:
                if below.y0 - last > 4 * row.height:
                    break
                same_column = [w for w in below.words if abs(w.x0 - box[0]) < 3]
                if not same_column:
                    continue
                last = below.y1
                first = below.words.index(same_column[0])
                last_word = first  # the line goes on over a narrow gap (OCR: "Bristol BS1  5TR")
                while last_word + 1 < len(below.words) and (
                    below.words[last_word + 1].x0 - below.words[last_word].x1 < 3 * below.height
                ):
                    last_word += 1
                cell_start, cell_end = below.spans[first][0], below.spans[last_word][1]
                lines.append(below.text[cell_start:cell_end].replace("\t", " "))
            if len(lines) >= 1 and any(_POSTCODE_CITY.search(line) for line in lines[:5]):
                found.append(
                    Candidate.at(name, _ADDRESS_BLOCK, row, row.bbox(start, start + len(cell)))
                )
    return found


def is_credit_note(layout: Layout) -> bool:
    """A credit-note title in the upper part of the first page."""
    if not layout.pages:
        return False
    for row in layout.pages[0]:
        if row.y1 > row.page.height * 0.5:
            break
        if any(_CREDIT_TITLE_RE.match(cell) for _s, cell in _cells(row.text)):
            return True
    return False


def scalars(layout: Layout, vendor: Candidate | None = None) -> dict[str, Candidate | None]:
    account = iban(layout)
    buyer = buyer_name(layout, vendor)
    return {
        "sellerVatId": seller_vat_id(layout, buyer),
        "buyerName": buyer,
        "iban": account,
        "bic": bic(layout, account),
        "orderReference": order_reference(layout),
        "paymentTerms": payment_terms(layout),
    }


# --- line items ----------------------------------------------------------------------------

_QTY_RE = re.compile(r"(?<![\w.,])(\d{1,6}(?:[.,]\d{1,4})?)(?:\s?(?P<unit>[^\W\d_][^\s\d]{0,9}))?")
_RATE_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")


def line_items(layout: Layout) -> list[dict[str, str | None]]:
    """Rows that read as "description … quantity … unit price … net amount" where quantity ×
    unit price = net amount (to the cent): that arithmetic is what makes a row a line item, so
    addresses, totals and notes never pass."""
    items: list[dict[str, str | None]] = []
    for row in layout.rows():
        cells = [c for _s, c in _cells(row.text) if c.strip()]
        if len(cells) < 3:
            continue
        item = _line_from_cells(cells)
        if item:
            items.append(item)
    return items


def _line_from_cells(cells: list[str]) -> dict[str, str | None] | None:
    if len(cells) > 3 and re.fullmatch(r"\s*\d{1,3}\.?\s*", cells[0]):
        cells = cells[1:]  # a position number in a column of its own
    description = cells[0].strip()
    if not any(ch.isalpha() for ch in description) or find_labels(description):
        return None
    amounts = []
    for cell in cells[1:]:
        found = [a for a in find_amounts(cell) if a.plausible_money]
        if len(found) == 1:
            amounts.append(found[0].value)
    if len(amounts) < 2:
        return None
    net, price = amounts[-1], amounts[-2]
    rate = None
    quantity = None
    unit = None
    for cell in cells[1:]:
        rm = _RATE_RE.search(cell)
        if rm:
            rate = Decimal(rm.group(1).replace(",", "."))
            continue
        qm = _QTY_RE.fullmatch(cell.strip())
        if qm and quantity is None:
            try:
                q = Decimal(qm.group(1).replace(",", "."))
            except ArithmeticError:
                continue
            if price and abs(q * price - net) <= Decimal("0.01") * max(Decimal(1), abs(q)):
                quantity, unit = q, qm.group("unit")
    if quantity is None:
        if price == net:
            quantity = Decimal(1)
        else:
            return None
    return {
        "description": re.sub(r"^\d{1,3}\.?\s+(?=\D)", "", re.sub(r"\s+", " ", description)),
        "quantity": format_amount(quantity)
        if quantity == quantity.quantize(Decimal("0.01"))
        else f"{quantity.normalize():f}",
        "unit": unit,
        "unitPrice": format_amount(price),
        "netAmount": format_amount(net),
        "taxRate": format_amount(rate) if rate is not None else None,
    }
