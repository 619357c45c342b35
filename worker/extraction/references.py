"""Invoice number, invoice date, due date and printed payment status, found from their labels."""

from __future__ import annotations

import datetime as dt
import re

from worker.extraction.candidates import Candidate, best
from worker.extraction.dates import DATE_RE, Order, find_dates
from worker.extraction.labels import Kind, Label
from worker.extraction.layout import Layout, Row, Value
from worker.extraction.terms import terms_matches

# An identifier: letters, digits and the usual joiners, with at least one digit.
_ID_RE = re.compile(r"[#№]?\s?(?P<id>[\w][\w/\-.]*[\w]|\w)", re.UNICODE)
_BELOW = 0.95  # a value under its label is slightly less certain than one beside it
_GENERIC = 0.6  # below this, a number label is a bare abbreviation ("Nr.", "No.", "N°")
_TITLED_GENERIC = 0.9
_FULL = 0.9  # "Rechnungsnummer", "Invoice No.": a label that names the invoice's number
_TITLE_ONLY = 0.4  # below this, a number label counts only after a document title
# A VAT id or an IBAN is never an invoice number, whatever label stands before it.
_NOT_A_NUMBER = re.compile(
    r"(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)"
    r"(?:U?\d{8,12}|\d{9}B\d{2}|[A-Z0-9]{2}\d{9}|[A-Z]\d{7}[A-Z0-9])"
    r"|[A-Z]{2}\d{2}[A-Z0-9]{11,30}"
)
_QUALIFIED = 0.5
# An identifier, then (maybe after "du", "vom", "of", "dated", a comma) the date.
# "d.d." (Dutch "de dato") is one word of two abbreviated parts.
_NUMBER_THEN_DATE = re.compile(
    r"^\s*[#№:]?\s*\S*\d\S*[\s,]+(?:[^\W\d_]{1,6}\.?(?:[^\W\d_]{1,2}\.)?\s+){0,2}\d"
)
_QUALIFIER = re.compile(r"^[^\W\d_][^\d\t:]{1,40}:")
# "München, den 01.11.2024", "Paris, le 3 mai 2024"; or a weekday before the date, as letters
# date themselves ("Le lundi 21 novembre 2022", "Montag, 4. März 2024").
_PLACE_DATE = re.compile(
    r"[^\W\d_]{2,},\s*(?:den|le|el|il|am|dd\.?)\s+|"
    r"(?<!\w)(?:le\s+)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|"
    r"mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|lunes|martes|"
    r"miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|"
    r"domenica),?\s+(?:(?:den|le|el|il)\s+)?",
    re.IGNORECASE,
)
# A date printed without separators ("Date : 20260815"), trusted only right after its label.
_COMPACT_DATE = re.compile(
    r"^\s*[:.]?\s*(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)
_PLACE_DATE_CONFIDENCE = 0.75
_TITLE_WORD = re.compile(
    r"rechnung|invoice|facture|factuur|factura|fattura|gutschrift|avoir|credit\s?note|"
    r"creditnota|nota\s+di\s+credito",
    re.IGNORECASE,
)
# The column headers of a table of lines: a date column there holds each line's date.
_LINE_COLUMN = re.compile(
    r"\b(?:qty|quantity|quantité|qté|menge|anzahl|aantal|cantidad|quantità|"
    r"description|désignation|bezeichnung|beschreibung|artikel|omschrijving|descripción|"
    r"descrizione|unit price|prix unit|p\.u\.|einzelpreis|stückpreis|prijs|precio|prezzo)",
    re.IGNORECASE,
)
# A cell longer than this without a document title is prose ("La loi n°92/1442 du 31 décembre
# 1992 …"), not "Facture n° 12 du 2 mai".
_PROSE_WORDS = 8
# "Facture n° 123 du 02 Juillet 2015": a date right after the number is the invoice date.
_NUMBER_ROW_DATE = 0.6
_PAIRED_DATE = 0.9  # "Rechnungs-Nr./Datum: 4711 / 05.07.2024"
# Any date near the top of the first page, when no label names one.
_UNLABELLED_DATE = 0.3
# A due date computed from payment terms.
_TERMS_DUE = 0.5
# A stamp is a cell of its own ("PAID", "Status: BEZAHLT"); a phrase may sit in a sentence.
_PAID_STAMP = re.compile(
    r"^(?:paid(?: in full)?|bezahlt|payée?|betaald|pagad[oa]|pagato|zapłacono|opłacono)$", re.I
)
_PAID_PHRASE = re.compile(
    r"(?<!\w)(?:paid in full|payment received|bereits bezahlt|dankend erhalten|vooruitbetaald|"
    r"reeds betaald|déjà (?:payée?|réglée?)|facture acquittée|ya pagad[oa]|già pagat[oa])(?!\w)",
    re.IGNORECASE,
)
_DUE_STAMP = re.compile(
    r"^(?:unpaid|overdue|not paid|unbezahlt|überfällig|impayée?|non payée?|"
    r"niet betaald|no pagad[oa]|non pagat[oa]|nieopłacona)$",
    re.IGNORECASE,
)


def _identifier(value: Value, min_length: int = 3) -> tuple[str, int, int] | None:
    """The first token of a cell that reads as an identifier. Cells after the first count too:
    a stray heading can sit between a label and its value ("Invoice Number: Summary  4218")."""
    pos = 0
    for cell in value.text.split("\t"):
        m = _ID_RE.match(cell.lstrip())
        if m:
            token = m.group("id")
            offset = pos + len(cell) - len(cell.lstrip())
            if (
                any(ch.isdigit() for ch in token)
                and len(token) >= min_length
                and not DATE_RE.fullmatch(token)
                and not _NOT_A_NUMBER.fullmatch(token)
            ):
                return token, offset + m.start("id"), offset + m.end("id")
        pos += len(cell) + 1
    return None


# A combined label "Rechnungs-Nr./Datum: 900012345 / 05.07.2024" (SAP-style forms): the value
# holds the number, a slash, then the date.
_NUMBER_SLASH_DATE = re.compile(
    r"^(?P<num>.*?\S)\s*/\s*(?P<date>\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
    r"(?!\d)"
)


def _number_date_pair(layout: Layout, row: Row, label: Label) -> tuple[Value, Value] | None:
    """For a number label followed by "/" and a date label, (number value, date value)."""
    following = [lb for lb in row.labels if lb.start >= label.end]
    if not following:
        return None
    date_label = following[0]
    if (
        date_label.kind is not Kind.INVOICE_DATE
        or row.text[label.end : date_label.start].strip() != "/"
    ):
        return None
    for value in layout.values(row, date_label):
        m = _NUMBER_SLASH_DATE.match(value.text)
        if m:
            number = Value(m.group("num"), value.row, value.offset, value.below)
            date = Value(m.group("date"), value.row, value.offset + m.start("date"), value.below)
            return number, date
    return None


def invoice_number(layout: Layout) -> Candidate | None:
    """The identifier behind a number label, to the right or below. A bare "Nr." / "No." /
    "N°" counts fully only after a document title on its row ("Handelsrechnung (380) Nr. 4711",
    "FACTURE N° 12"); on its own it is weaker than any full label ("Rechnungsnummer")."""
    found = []
    for row, label in layout.labelled(Kind.INVOICE_NUMBER, Kind.TITLE):
        strength = label.strength
        if strength < _GENERIC and _TITLE_WORD.search(row.text[: label.start]):
            strength = _TITLED_GENERIC
        elif strength < _TITLE_ONLY:
            continue  # "n." away from a title
        pair = _number_date_pair(layout, row, label) if label.kind is Kind.INVOICE_NUMBER else None
        for value in [pair[0]] if pair else layout.values(row, label):
            # A small business's "Rechnung Nr.: 17": short numbers only right of a full label.
            short = label.kind is Kind.INVOICE_NUMBER and strength >= _FULL and not value.below
            hit = _identifier(value, 1 if short else 3)
            if hit:
                token, start, end = hit
                confidence = strength * (_BELOW if value.below else 1.0)
                if qualified(value):
                    confidence *= _QUALIFIED
                found.append(Candidate.at(token, confidence, value.row, value.bbox(start, end)))
    return best(found)


def _in_prose(row: Row, label: Label) -> bool:
    """The label stands in a sentence: its cell of the row holds many words."""
    start = row.text.rfind("\t", 0, label.start) + 1
    end = row.text.find("\t", label.end)
    return len(row.text[start : end if end >= 0 else None].split()) > _PROSE_WORDS


def _first_date(value: Value, order: Order, confidence: float) -> Candidate | None:
    dates = find_dates(value.text, order)
    if not dates:
        compact = _COMPACT_DATE.match(value.text)
        if compact is None:
            return None
        try:
            date = dt.date(int(compact["y"]), int(compact["m"]), int(compact["d"]))
        except ValueError:  # 20230231
            return None
        box = value.bbox(compact.start("y"), compact.end("d"))
        return Candidate.at(date.isoformat(), confidence, value.row, box)
    d = dates[0]
    return Candidate.at(d.value.isoformat(), confidence, value.row, value.bbox(d.start, d.end))


def dates(layout: Layout, order: Order) -> tuple[Candidate | None, Candidate | None]:
    """(invoice date, due date). Without a printed due date, payment terms ("Net 30",
    "zahlbar innerhalb von 14 Tagen") give one, counted from the invoice date."""
    issued: list[Candidate] = []
    due: list[Candidate] = []
    kinds = (Kind.INVOICE_DATE, Kind.DUE_DATE, Kind.INVOICE_NUMBER, Kind.TITLE)
    for row, label in layout.labelled(*kinds):
        pair = _number_date_pair(layout, row, label) if label.kind is Kind.INVOICE_NUMBER else None
        if pair is not None:
            found = _first_date(pair[1], order, _PAIRED_DATE)
            if found:
                issued.append(found)
            continue
        for value in layout.values(row, label):
            if label.kind in (Kind.INVOICE_NUMBER, Kind.TITLE):
                if label.strength < _TITLE_ONLY and not _TITLE_WORD.search(row.text[: label.start]):
                    continue  # "n." away from a title
                if value.below or not _NUMBER_THEN_DATE.match(value.text):
                    continue  # "Rechnung # RE-506 von 18.11.2017", "Facture n° 12 du 2 mai"
                if _in_prose(row, label) and not _TITLE_WORD.search(row.text):
                    continue  # a law or a reference cited in a sentence

                confidence = _NUMBER_ROW_DATE * (1.0 if label.kind is Kind.INVOICE_NUMBER else 0.9)
            elif value.below and len(_LINE_COLUMN.findall(row.text)) >= 2:
                continue  # the date column of the lines' table
            elif value.below and _in_prose(row, label):
                continue  # "Passée la date d'échéance ci-dessus, …": a label in a sentence
            else:
                confidence = label.strength * (_BELOW if value.below else 1.0)
            if qualified(value):
                confidence *= _QUALIFIED
            found = _first_date(value, order, confidence)
            if found:
                (due if label.kind is Kind.DUE_DATE else issued).append(found)
    issued.extend(_place_dates(layout, order))
    if not issued and layout.pages:
        for row in layout.pages[0]:
            if row.y1 > row.page.height / 3 or any(
                lb.kind in (Kind.OTHER, Kind.DUE_DATE) for lb in row.labels
            ):
                continue
            found = _first_date(Value(row.text, row, 0, below=False), order, _UNLABELLED_DATE)
            if found:
                issued.append(found)
                break
    invoice_date = best(issued)
    if not due and invoice_date:
        due.extend(_due_from_terms(layout, dt.date.fromisoformat(invoice_date.value)))
    return invoice_date, best(due)


def qualified(value: Value) -> bool:
    """The label is only the start of a longer one ("Date de facture associée : …", "N° de
    facture d'origine : …", "Datum der Lieferung: …"): words and a colon before the value."""
    return not value.below and bool(_QUALIFIER.match(value.text))


def _place_dates(layout: Layout, order: Order) -> list[Candidate]:
    """The letter convention "München, den 01.11.2024" / "Paris, le 3 mai 2024" in the upper
    half of the first page: the date the document was issued."""
    found = []
    for row in layout.pages[0] if layout.pages else []:
        if row.y0 > row.page.height / 2:
            break
        for m in _PLACE_DATE.finditer(row.text):
            value = Value(row.text[m.end() :], row, m.end(), below=False)
            candidate = _first_date(value, order, _PLACE_DATE_CONFIDENCE)
            if candidate and find_dates(row.text[m.end() :], order)[0].start == 0:
                found.append(candidate)
    return found


def _due_from_terms(layout: Layout, issued: dt.date) -> list[Candidate]:
    found = []
    for row in layout.rows():
        has_terms_label = any(lb.kind is Kind.TERMS for lb in row.labels)
        for days, start, end in terms_matches(row.text, labelled=has_terms_label):
            due = (issued + dt.timedelta(days=days)).isoformat()
            found.append(Candidate.at(due, _TERMS_DUE, row, row.bbox(start, end)))
    return found


def payment_status(layout: Layout) -> Candidate | None:
    """PAID or DUE when the invoice prints it (a stamp, "payment received", "vooruitbetaald")."""
    for row in layout.rows():
        for segment_start, segment in _segments(row.text):
            stamp = segment.rpartition(":")[2].strip(" .!*")
            box = row.bbox(segment_start, segment_start + len(segment))
            if _PAID_STAMP.match(stamp):
                return Candidate.at("PAID", 0.9, row, box)
            if _DUE_STAMP.match(stamp):
                return Candidate.at("DUE", 0.8, row, box)
            phrase = _PAID_PHRASE.search(segment)
            if phrase:
                start, end = segment_start + phrase.start(), segment_start + phrase.end()
                return Candidate.at("PAID", 0.7, row, row.bbox(start, end))
    return None


def _segments(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in text.split("\t"):
        out.append((pos, part))
        pos += len(part) + 1
    return out
