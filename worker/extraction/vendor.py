"""The vendor: the party that issued the invoice, never the buyer it is addressed to.

Evidence, strongest first:
- a seller label ("Sold by", "Lieferant", "Fournisseur", "Sprzedawca", …) or a payee label
  ("Payable to", "Titulaire du compte", "Kontoinhaber", …) with the name beside or under it;
- the sender line above a window envelope's address ("Müller GmbH · Hauptstr. 5 · 80331 München"),
  which also marks the address under it as the buyer's;
- a company name with a legal form ("… GmbH", "… B.V.", "… SAS", "… Sp. z o.o.", "… Ltd");
- the letterhead: a short name at the top of the first page, more so when an address or contact
  line follows it.
Names inside a buyer block ("Bill to", "Rechnungsadresse", "Factuuradres", "Nabywca", …) are
never candidates. The same name found several ways, or matching a web or mail domain printed on
the invoice, gains a little confidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from worker.extraction.candidates import Candidate, best
from worker.extraction.dates import DATE_RE
from worker.extraction.labels import Kind, Label, find_labels
from worker.extraction.layout import Layout, Row, Value
from worker.extraction.numbers import find_amounts

# Two-letter forms only in capitals ("AG", not the French "se"); longer ones in any case.
_LEGAL_FORM = (
    r"AG|SE|KG|UG|BV|NV|SA|SL|"
    r"(?i:gmbh\s?&\s?co\.?\s?kg|g?gmbh|ohg|e\.\s?k\.|b\.\s?v(?:\.|\b)|n\.\s?v(?:\.|\b)|sasu?|sarl|s\.a\.r\.l\.|"
    r"eurl|s\.a\.(?:u\.)?|s\.p\.a\.|spa|s\.r\.l\.|srl|s\.l\.(?:u\.)?|s\.n\.c\.|s\.a\.s\.|gbr|sp\.\s?z\s?o\.\s?o\.|s\.c\.|"
    r"sp\.\s?[jk]\.|spółka (?:jawna|akcyjna|komandytowa|z o\.\s?o\.)|pvt\.?\s?ltd\.?|"
    r"private\s+limited|pty\.?\s?ltd\.?|ltd\.?|limited|llc|l\.l\.c\.|inc\.?|corp\.?|"
    r"corporation|plc|llp|v\.?o\.?f\.?|bvba|sprl)"
)
_LEGAL_RE = re.compile(rf"[,]?\s+(?P<form>{_LEGAL_FORM})(?![\w&])")
_LEGAL_SUFFIX_RE = re.compile(rf"[\s,]+(?:{_LEGAL_FORM})\W*$")
_CONNECTORS = {
    "&",
    "+",
    "und",
    "and",
    "et",
    "en",
    "y",
    "e",
    "i",
    "de",
    "van",
    "der",
    "den",
    "von",
    "la",
    "le",
    "di",
    "del",
}
_DOMAIN_RE = re.compile(
    r"(?<![\w.-])(?:[a-z0-9-]+\.)*(?P<name>[a-z0-9-]{3,})\."
    r"(?:com|net|org|de|fr|nl|be|es|it|pl|eu|at|ch|uk|co|in|io|info|biz)\b",
    re.IGNORECASE,
)
# A line that reads like an address or contact line under a name.
_ADDRESS_RE = re.compile(
    r"@|www\.|https?://|\b\d{4,5}\b|\b\d+[a-z]?\s+[A-Z]\w+|[A-Z]\w+\s+\d+[a-z]?\b|"
    r"\b\d+[a-z]?,?\s+(?i:rue|avenue|av\.|bd|boulevard|place|chemin|allée|impasse|quai|route|"
    r"via|viale|piazza|calle|avda\.?|plaza|paseo|straat|weg|laan|plein)\b|"
    r"\+?\d[\d ()/.-]{7,}\d"
)

_DOMAIN_NAME = re.compile(
    r"[a-z0-9][a-z0-9-]{2,}\.(?:com|de|net|io|eu|fr|nl|it|es|at|ch|shop)", re.IGNORECASE
)
# "Müller GmbH · Hauptstr. 5 · 80331 München"; OCR reads a small "·" as ":" or "-" too.
# an em dash too: a typesetter's choice, and how OCR reads an en dash
_SENDER_SPLIT = re.compile(r"\s*[·•●▪■◦∙]\s*|\s+[|–—/-]\s+|\s*:\s+|,\s+")
# "Abs.: Müller GmbH · …": the sender line's own label ("Absender"), not part of the name.
_SENDER_PREFIX = re.compile(r"abs(?:\.|ender\b|\b)\s*:?\s*", re.IGNORECASE)
# A separator set in a column of its own ("Bei Spiel GmbH  ●  Ecke 12  ●  12345 Stadthausen"):
# the row reads it as column breaks around the bullet.
_TABBED_SEPARATOR = re.compile(r"\t([·•●▪■◦∙|–—-])\t")
# OCR reads a small bullet as a letter or a sign ("Bei SpielGmbH e Ecke12 e 12345 Stadthausen"),
# or as a hyphen glued to the word before it ("Kraxi GmbH- Flugzeugallee 17"): on OCR'd pages
# only (in printed text " e " is the Italian "and", "Ein- und Verkauf" a German ellipsis).
_OCR_BULLET = re.compile(r"(?:\t|\s)[eo©®*°](?:\t|\s)|(?<=[^\W\d_])-(?:\t|\s)")
# A salutation on the first line of an address ("Herrn", "Frau", "Mr", "Sig.ra"), alone on its
# line or before a person's name: not part of the addressee's name ("Firma" is kept before a
# company's name, as printed).
SALUTATION = re.compile(
    r"^(?:herrn?|frau|firma|familie|fam\.|mr\.?|mrs\.?|ms\.?|miss|messrs\.?|m\.|mme\.?|"
    r"mlle\.?|monsieur|madame|dhr\.?|mevr\.?|mw\.?|de heer|mevrouw|sr\.?|sra\.?|srta\.?|"
    r"sig\.?(?:ra|\.ra)?|spett\.?le|egr\.?|gent\.?(?:mo|ma))(?=\s|$)\s*",
    re.IGNORECASE,
)
_POSTCODE_RE = re.compile(r"\b(?:[A-Z]{1,2}-)?\d{4,6}\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b")

_LABELLED = 0.9  # scaled by the label's strength
_SENDER = 0.75
_LEGAL = 0.7
_LEGAL_IN_BODY = 0.5
_LETTERHEAD = 0.45
_DOMAIN_NAMED = 0.5
_FOLLOWED_BY_ADDRESS = 0.15
_SUPPORT = 0.05  # per extra sighting, at most two
_DOMAIN = 0.2  # the issuer's own web or mail domain names it
_FOOTER_ECHO = 0.2  # the name again in a page's footer, where only the issuer prints its details
_TOP_SHARE = 0.25  # the letterhead lives in the top quarter of page 1
_SENDER_SHARE = 0.35
_FOOTER_SHARE = 0.15
_WINDOW_GAP = 90.0  # points between a sender line and the window address under it


_GLUED_FORM = re.compile(r"(?:gmbh|ag|kg|se|sarl|sas|bv|nv|srl|spa|ltd|inc|llc)$")


def _key(name: str) -> str:
    core = _LEGAL_SUFFIX_RE.sub("", name)
    return re.sub(r"[^\w]+", " ", core).strip().lower()


def _squashed(name: str) -> str:
    """A name as a domain spells it: "RDO 18" -> "rdo18"."""
    return re.sub(r"[^a-z0-9]", "", _key(name))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:-–|")


def _capitalised(word: str) -> bool:
    return any(ch.isupper() or ch.isdigit() for ch in word)


def _legal_names(text: str) -> list[tuple[str, int, int]]:
    """Company names ending in a legal form: ("Coolblue B.V.", start, end)."""
    out = []
    for m in _LEGAL_RE.finditer(text):
        words = list(re.finditer(r"\S+", text[: m.start()]))
        kept: list[re.Match[str]] = []
        for w in reversed(words[-6:]):
            token = w.group(0)
            gap = text[w.end() : kept[0].start() if kept else m.start()]
            if token.endswith(":") or "\t" in gap:
                break  # a label or a column break ends the name
            if _capitalised(token) or (kept and token.lower() in _CONNECTORS):
                kept.insert(0, w)
            else:
                break
        while kept and kept[0].group(0) in _CONNECTORS:  # "und Söhne GmbH"; "Van Dijk" stays
            kept.pop(0)
        if kept:
            start = kept[0].start()
            out.append((_clean(text[start : m.end()]), start, m.end()))
    return out


def _is_label(text: str) -> bool:
    """A label word or a bare legal form ("Nummer", "Käufer", "GmbH") is never a name."""
    labels = find_labels(text)
    covered = sum(lb.end - lb.start for lb in labels)
    letters = re.sub(r"[\W\d_]+", "", text)
    if labels and covered >= len(re.sub(r"\s+", "", text)) * 0.6:
        return True
    bare = text.strip(" /:-")
    if _NAME_LABEL.match(bare) and len(bare.split()) == 1:
        return True  # "Name", "/ Firma": the rest of a field's label
    return bool(re.fullmatch(rf"\W*(?:{_LEGAL_FORM})\W*", text)) or len(letters) < 2


# The date after the place in a letter's dateline ("München, den 1. März 2024").
_PLACE_DATE = re.compile(rf"\s*(?:le|den|am|il|el|the)?\s*(?:{DATE_RE.pattern})", re.IGNORECASE)
_NAME_LABEL = re.compile(r"^(?:name|firma|company|nom|raison sociale|naam|nombre|nome)\b", re.I)


def section_name(layout: Layout, row: Row, label: Label) -> Candidate | None:
    """A party section: a heading ("Verkäufer", "Seller") alone on its row, fields under it
    ("Nummer: 5499", "Name: Lieferant GmbH", "Anschrift: …"). The name is the "Name:" field, else
    the first line that reads as a name."""
    cell = row.text.split("\t")[0]
    residue = cell
    for lb in sorted(row.labels, key=lambda lb: lb.start, reverse=True):
        if lb.end <= len(cell):
            residue = residue[: lb.start] + residue[lb.end :]
    if label.start >= len(cell) or residue.strip(" :/-&"):
        return None  # not a heading: the label is inside a sentence or has a value beside it
    box = row.bbox(label.start, label.end)
    if box is None:
        return None
    rows = layout.pages[row.page.number - 1]
    last_y = row.y1
    first_plain: Candidate | None = None
    for below in rows[row.index + 1 : row.index + 8]:
        if below.y0 - last_y > 3 * row.height:
            break
        last_y = below.y1
        cells = [c for c in below.text.split("\t")]
        if any(lb.start == 0 and lb.kind in (Kind.SELLER, Kind.BUYER) for lb in below.labels):
            break  # the next section starts
        if len(cells) >= 2 and _NAME_LABEL.match(cells[0].strip()):
            name = _clean(cells[1])
            start = below.text.find(cells[1])
            if name and not _is_label(name):
                return Candidate.at(name, 0.9, below, below.bbox(start, start + len(cells[1])))
        text = _clean(cells[0])
        if (
            first_plain is None
            and len(cells) == 1
            and not cells[0].rstrip().endswith(":")
            and len(text.split()) >= 2
            and _plausible_name(text)
            and not _is_label(text)
            and not any(lb.start == 0 for lb in below.labels)
        ):
            first_plain = Candidate.at(text, 0.8, below, below.bbox(0, len(cells[0])))
    return first_plain


# Address words that stand where a label would ("Aan", "An", "To", "À"): never a party's name.
_ADDRESS_WORDS = {"aan", "an", "to", "à", "a", "van", "von", "from", "de", "da", "für", "for"}


# A country alone, or a line starting with a street word: part of an address, never a name.
_COUNTRY_OR_STREET = re.compile(
    r"(?:france|deutschland|germany|allemagne|nederland|netherlands|the netherlands|belgi[eë]|"
    r"belgique|belgium|österreich|austria|schweiz|suisse|switzerland|italia|italy|españa|spain|"
    r"luxembourg|polska|poland|united kingdom|uk|usa|united states)\W*$|"
    r"(?:rue|route|avenue|av\.|boulevard|bd|chemin|allée|impasse|quai|via|viale|piazza|calle|avenida|"
    r"plaza|paseo|straße|strasse|street|road|parc d['’]activités?|"
    r"zone (?:industrielle|artisanale|d['’]activités?)|gewerbe(?:gebiet|park)|industriegebiet)\b",
    re.IGNORECASE,
)

# A street named in one word with its house number ("Lindenweg 3a", "Havenweg 31"), also when
# OCR debris follows ("Lindenweg 3a g"): an address line, never a name.
_STREET_NUMBER = re.compile(
    r"[^\W\d_]{2,}(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|straat|laan|"
    r"plein|gracht|kade|steeg)\s+\d{1,4}\s?[a-z]?\b",
    re.IGNORECASE,
)

_OWNER = re.compile(r"(?:inh\.|inhaber(?:in)?\b|owner\b|prop\.|propriétaire\b|eigenaar\b)", re.I)
_SHARE_CAPITAL = re.compile(
    r"\b(?:au|de|du|with\s+a)\s+(?:share\s+)?capital\b|\b(?:stamm|grund)kapital|"
    r"\bcapital(?:e)?\s+social[e]?\b|\bshare\s+capital\b",
    re.IGNORECASE,
)


def _plausible_name(text: str) -> bool:
    """Short, mostly capitalised, not a date, an amount, a contact or a street line."""
    if re.search(r"^\d|\d+[a-z]?$", text):  # "12 Harbour Road", "Hauptstraße 5"
        return False
    if text.strip(" :").lower() in _ADDRESS_WORDS or _COUNTRY_OR_STREET.match(text.strip()):
        return False
    if _STREET_NUMBER.search(text):
        return False
    if _SHARE_CAPITAL.search(text):  # "SARL au capital de 50 000 Euros": a legal detail
        return False
    if re.search(r"[^\W\d_]:\s", text):  # "Produkt ID: TECH-789": a field and its value
        return False
    if _OWNER.match(text):  # "Inh. Anna Weber": the owner of "Foto Weber", not its name
        return False
    if len(text.strip()) <= 2 and not text.strip().isupper():
        return False  # "Bj": OCR debris of a line it could not read ("3M", "HP" are names)
    words = _LEGAL_SUFFIX_RE.sub("", text).split() or text.split()
    letters = sum(ch.isalpha() for ch in text)
    if not words or len(words) > 8 or letters < 2 or "@" in text or "www." in text.lower():
        return False
    if DATE_RE.search(text) or any(a.plausible_money for a in find_amounts(text)):
        return False
    digits = sum(ch.isdigit() for ch in text)
    if digits > letters / 2:
        return False
    if len(words) == 1 and _DOMAIN_NAME.fullmatch(words[0]):
        return True  # "weclapp.com": a web address used as the company's name
    if _LEGAL_SUFFIX_RE.search(text) and _capitalised(words[0]):
        return True  # "Au bon moulin SARL": a legal form vouches for lower-case words
    lower_words = sum(1 for w in words if w[0].islower() and w.lower() not in _CONNECTORS)
    return lower_words * 2 < len(words) or (len(words) == 1 and _capitalised(words[0]))


class _Finder:
    def __init__(self, layout: Layout):
        self.layout = layout
        self.buyer_words = self._buyer_words()
        # Each footer row's key, padded for whole-word matching, read once per document.
        self.footer_keys = [
            ((row.page.number, row.index), f" {_key(row.text)} ")
            for row in layout.rows()
            if row.y0 >= row.page.height * (1 - _FOOTER_SHARE)
        ]
        self.domains = {
            m.group("name").replace("-", "").lower()
            for m in _DOMAIN_RE.finditer(layout.doc.raw_text)
        }

    def _buyer_words(self) -> set[tuple[int, float, float]]:
        """Words in blocks introduced by a buyer label (the label's row and the rows under it),
        and the window address under a sender line."""
        marked: set[tuple[int, float, float]] = set()
        for row, label in self.layout.labelled(Kind.BUYER):
            box = row.bbox(label.start, label.end)
            if box is None:
                continue
            end = next((lb.start for lb in row.labels if lb.start >= label.end), len(row.text))
            for w in row.words_in(label.start, end):
                marked.add((row.page.number, w.x0, w.y0))
            marked |= self._block_under(row, box[0], first_gap=2.5 * row.height)
        for row, _name, start, _end in self._sender_lines():
            box = row.bbox(start, start + 1)
            if box is not None:
                marked |= self._block_under(row, box[0], first_gap=_WINDOW_GAP)
        return marked

    def _block_under(self, row: Row, x0: float, first_gap: float) -> set[tuple[int, float, float]]:
        """The address block starting under ``row`` at ``x0``, until a gap or another label."""
        marked: set[tuple[int, float, float]] = set()
        last_y, gap = row.y1, first_gap
        for below in self.layout.pages[row.page.number - 1][row.index + 1 :]:
            if below.y0 - last_y > gap:
                break
            column = [w for w in below.words if x0 - row.height <= w.x0 <= x0 + 6 * row.height]
            if not column:
                continue
            column_text = " ".join(w.text for w in column)
            if any(lb.start == 0 and lb.kind is not Kind.BUYER for lb in find_labels(column_text)):
                break
            marked.update((below.page.number, w.x0, w.y0) for w in column)
            last_y, gap = below.y1, 2.5 * below.height
        return marked

    def _sender_lines(self) -> list[tuple[Row, str, int, int]]:
        """The one-line return address printed above a window envelope's address field
        ("Müller GmbH · Hauptstr. 5 · 80331 München"): its first part is the sender."""
        found = []
        for row in self.layout.pages[0] if self.layout.pages else []:
            if row.y1 > row.page.height * _SENDER_SHARE:
                break
            pos = 0
            text = _TABBED_SEPARATOR.sub(" · ", row.text)
            if row.page.source == "ocr":
                text = _OCR_BULLET.sub(" · ", text)
            for segment in text.split("\t"):
                start = row.text.find(segment.split(" ", 1)[0], pos) if text != row.text else pos
                pos += len(segment) + 1
                prefix = _SENDER_PREFIX.match(segment)
                if prefix and start >= 0:
                    segment, start = segment[prefix.end() :], start + prefix.end()
                parts = _SENDER_SPLIT.split(segment)
                if len(parts) >= 3 and any(_POSTCODE_RE.search(p) for p in parts[1:]):
                    name = _clean(parts[0])
                    if _plausible_name(name) and not _is_label(name) and start >= 0:
                        found.append((row, name, start, start + len(parts[0])))
        return found

    def sender_line(self) -> list[Candidate]:
        return [
            self._candidate(name, _SENDER, row, start, end)
            for row, name, start, end in self._sender_lines()
        ]

    def _in_buyer_block(self, row: Row, start: int, end: int) -> bool:
        return any(
            (row.page.number, w.x0, w.y0) in self.buyer_words for w in row.words_in(start, end)
        )

    def _candidate(self, name: str, score: float, row: Row, start: int, end: int) -> Candidate:
        return Candidate.at(name, score, row, row.bbox(start, end))

    def labelled(self) -> list[Candidate]:
        found = []
        for row, label in self.layout.labelled(Kind.SELLER):
            score = _LABELLED * label.strength / 0.9
            for value in self.layout.values(row, label):
                name, start, end = self._name_in(value)
                if name and _plausible_name(name) and not _is_label(name):
                    found.append(Candidate.at(name, score, value.row, value.bbox(start, end)))
                    break
            else:
                section = section_name(self.layout, row, label)
                if section is not None:
                    found.append(replace(section, confidence=round(score, 3)))
        return found

    @staticmethod
    def _name_in(value: Value) -> tuple[str, int, int]:
        text = value.text.split("\t")[0]
        legal = _legal_names(" " + text)
        if legal:
            name, start, end = legal[0]
            return name, start - 1, end - 1
        name, _, rest = text.partition(",")
        if not any(ch.isdigit() for ch in rest):  # "ACME, 1 Main St, Springfield": the name
            name = text
        elif _PLACE_DATE.match(rest):  # "Issy les Moulineaux, le 31 octobre 2017": a place
            return "", 0, 0
        return _clean(name), 0, len(name)

    def legal(self) -> list[Candidate]:
        """Company names with a legal form. A company identifies itself in the header or the
        footer; a name in the body is more likely a product's maker or a line item."""
        found = []
        for row in self.layout.rows():
            height = row.page.height
            in_frame = row.y1 <= height * _TOP_SHARE or row.y0 >= height * (1 - _FOOTER_SHARE)
            for name, start, end in _legal_names(" " + row.text):
                if (
                    not self._in_buyer_block(row, start - 1, end - 1)
                    and _plausible_name(name)
                    and not _is_label(name)
                ):
                    score = _LEGAL if in_frame else _LEGAL_IN_BODY
                    found.append(self._candidate(name, score, row, start - 1, end - 1))
        return found

    def letterhead(self) -> list[Candidate]:
        if not self.layout.pages:
            return []
        rows = self.layout.pages[0]
        found = []
        for row in rows:
            if row.y1 > row.page.height * _TOP_SHARE:
                break
            pos = 0
            for segment in row.text.split("\t"):
                start, end = pos, pos + len(segment)
                pos = end + 1
                if any(lb.kind is not Kind.TITLE and lb.start < start for lb in row.labels):
                    break  # the rest of the row is the value of a label such as "Terms:"
                name = self._strip_labels(segment)
                if (
                    not name
                    or not _plausible_name(name)
                    or _is_label(name)
                    or self._in_buyer_block(row, start, end)
                ):
                    continue
                score = _LETTERHEAD
                if self._followed_by_address(row, start, end):
                    score += _FOLLOWED_BY_ADDRESS
                found.append(self._candidate(_clean(name), score, row, start, end))
        return found

    @staticmethod
    def _strip_labels(segment: str) -> str:
        """ "Amazon Web Services Invoice" -> "Amazon Web Services"; a label alone -> ""."""
        labels = find_labels(segment)
        if any(lb.kind is not Kind.TITLE for lb in labels):
            return ""
        for lb in sorted(labels, key=lambda lb: lb.start, reverse=True):
            segment = segment[: lb.start] + segment[lb.end :]
        return _clean(segment)

    def _followed_by_address(self, row: Row, start: int, end: int) -> bool:
        box = row.bbox(start, end)
        if box is None:
            return False
        x0, _, x1, y1 = box
        for below in self.layout.pages[row.page.number - 1][row.index + 1 : row.index + 3]:
            if below.y0 - y1 > 2 * row.height:
                return False
            column = " ".join(w.text for w in below.words if w.x0 < x1 and w.x1 > x0)
            if column:
                return bool(_ADDRESS_RE.search(column)) and not DATE_RE.search(column)
        return False

    def in_footer(self, name: str, members: list[Candidate]) -> bool:
        """Whether ``name`` is printed in a page's footer other than where it was found."""
        key = _key(name)
        own = {m.order for m in members}
        return len(key) >= 3 and any(
            order not in own and f" {key} " in text for order, text in self.footer_keys
        )

    def domain_named(self) -> list[Candidate]:
        """A cell of page 1 that is exactly the name of the web or mail domain printed on the
        invoice ("RDO18" over "contact@rdo18.com"): the issuer's name, even where it would not
        read as one (digits at its end, as a house number has)."""
        found = []
        for row in self.layout.pages[0] if self.layout.pages else []:
            pos = 0
            for cell in row.text.split("\t"):
                start, end = pos, pos + len(cell)
                pos = end + 1
                name = _clean(cell)
                if (
                    _squashed(name) in self.domains
                    and not _is_label(name)
                    and not self._in_buyer_block(row, start, end)
                ):
                    found.append(self._candidate(name, _DOMAIN_NAMED, row, start, end))
        return found

    def domain_match(self, name: str) -> bool:
        squashed = _squashed(name)
        return len(squashed) >= 3 and any(
            squashed in domain or (len(domain) >= 3 and domain in squashed)
            for domain in self.domains
        )


def vendor(layout: Layout) -> Candidate | None:
    finder = _Finder(layout)
    groups: dict[str, list[Candidate]] = defaultdict(list)
    labelled = finder.labelled()
    found = labelled + finder.sender_line() + finder.legal() + finder.letterhead()
    found += finder.domain_named()
    for candidate in found:
        # spaces dropped: OCR splits large type into pieces ("La ure nt Inform atiq ue SA") and
        # glues a legal form to the name ("Bei SpielGmbH")
        key = _GLUED_FORM.sub("", _key(candidate.value).replace(" ", ""))
        if key:
            groups[key].append(candidate)
    _absorb_short_forms(groups)
    scored = []
    body_height = _median_height(layout)
    senders = {(row.page.number, row.index) for row, *_ in finder._sender_lines()}
    window = _window_rows(layout) - senders
    for members in groups.values():
        top = best(members)
        assert top is not None
        spelled = [m for m in members if _LEGAL_SUFFIX_RE.search(m.value)]
        if spelled and not _LEGAL_SUFFIX_RE.search(top.value):
            top = replace(top, value=best(spelled).value)  # type: ignore[union-attr]
        bonus = _SUPPORT * min(len(members) - 1, 2)
        if finder.in_footer(top.value, members):
            bonus += _FOOTER_ECHO  # and a recipient's name is never in the footer
        elif all(m.order in window for m in members) and not any(
            m.confidence >= _LABELLED * 0.5 and m in labelled for m in members
        ):
            bonus -= _WINDOW_ONLY  # seen only as the name of an unlabelled window address
        if finder.domain_match(top.value):
            bonus += _DOMAIN
        if any(_prominent(m, body_height) for m in members):
            bonus += _PROMINENT
        confidence = min(top.confidence + bonus, 1.0)
        if _DOMAIN_NAME.fullmatch(top.value):
            confidence = min(confidence, _BRAND)
        scored.append(
            Candidate(
                top.value,
                round(confidence, 3),
                top.page,
                top.bbox,
                top.source,
                top.order,
            )
        )
    return best(scored)


def _absorb_short_forms(groups: dict[str, list[Candidate]]) -> None:
    """A letterhead's short form ("GIRARD") and the company's full name with its legal form
    ("Girard Informatique SA") are one party: the short form's sightings count for the name."""
    spaced = {key: _key(members[0].value) for key, members in groups.items()}
    for short, prefix in spaced.items():
        full = next(
            (
                key
                for key, name in spaced.items()
                if key in groups
                and name.startswith(prefix + " ")
                and any(_LEGAL_SUFFIX_RE.search(m.value) for m in groups[key])
            ),
            None,
        )
        if full is not None:
            groups[full].extend(groups.pop(short))


_PROMINENT = 0.15
# A name spelled as a web address ("mueller-shop.de" over the page) is a shop's brand: it
# counts as a letterhead at most, so the company's legal name (sender line, footer) wins when
# the invoice prints one.
_BRAND = 0.6
_PROMINENT_RATIO = 1.25
_WINDOW_ONLY = 0.3
_WINDOW_TOP = 0.12  # a window address starts below the letterhead …
_WINDOW_LEFT = 0.5  # … in the left half of the page


def _window_rows(layout: Layout) -> set[tuple[int, int]]:
    """Rows holding the first line of an unlabelled address block (a name over a street and a
    postcode line) where a window envelope shows the addressee: the left half of page 1, below
    the letterhead. A name seen only there is the buyer's, not the issuer's."""
    from worker.extraction.booking import address_blocks  # booking imports this module

    rows = set()
    for block in address_blocks(layout):
        if block.bbox is None or block.page != 1 or not layout.pages:
            continue
        page = layout.pages[0][0].page
        x0, y0, _x1, _y1 = block.bbox
        if x0 < page.width * _WINDOW_LEFT and y0 > page.height * _WINDOW_TOP:
            rows.add(block.order)
    return rows


def _median_height(layout: Layout) -> float:
    heights = sorted(row.height for row in (layout.pages[0] if layout.pages else []))
    return heights[len(heights) // 2] if heights else 0.0


def _prominent(candidate: Candidate, body_height: float) -> bool:
    """Set in large type near the top of page 1: how an issuer prints its own name (a logo in
    text); an addressee is set in body type."""
    if candidate.page != 1 or candidate.bbox is None or body_height <= 0:
        return False
    _x0, y0, _x1, y1 = candidate.bbox
    return (y1 - y0) >= _PROMINENT_RATIO * body_height and y0 < 250


def plausible_name(text: str) -> bool:
    """Whether ``text`` reads as a party's name (shared with the buyer-name rule)."""
    return _plausible_name(text) and not _is_label(text)


def name_in(value: Value) -> tuple[str, int, int]:
    """The party name at the start of a value ("ACME GmbH, Hauptstr. 1" -> "ACME GmbH")."""
    return _Finder._name_in(value)


def window_address_name(layout: Layout) -> Candidate | None:
    """The first line of the address under a window envelope's sender line: the buyer."""
    finder = _Finder(layout)
    senders = finder._sender_lines()
    sender_rows = {(row.page.number, row.index) for row, *_ in senders}
    for row, _name, start, _end in senders:
        cell = row.text.rfind("\t", 0, start) + 1  # where the line starts ("Abs.: …" included)
        box = row.bbox(cell, cell + 1)
        if box is None:
            continue
        for below in layout.pages[row.page.number - 1][row.index + 1 : row.index + 4]:
            if below.y0 - row.y1 > _WINDOW_GAP or (below.page.number, below.index) in sender_rows:
                break  # (a letterhead's contact line over the sender line: the window is lower)
            column = [
                w for w in below.words if box[0] - 2 * row.height <= w.x0 <= box[0] + 6 * row.height
            ]
            if not column:
                continue
            s0 = below.spans[below.words.index(column[0])][0]
            e0 = below.text.find("\t", s0)
            e0 = len(below.text) if e0 < 0 else e0  # the whole cell: "Firma Kunde AG"
            text = _clean(below.text[s0:e0])
            salutation = SALUTATION.match(text)
            if salutation and salutation.end() == len(text):
                continue  # "Herrn" alone: the name is on the next line
            if salutation and not text.lower().startswith("firma"):  # "Firma Kunde AG" stays
                text = text[salutation.end() :]
                s0 = max(s0, below.text.find(text.split(" ", 1)[0], s0))
            if _plausible_name(text) and not _is_label(text):
                return Candidate.at(text, 0.7, below, below.bbox(s0, e0))
            break
    return None
