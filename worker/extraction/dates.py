"""Dates as printed on invoices: ISO, numeric with ``.``/``/``/``-``, and month names in seven
languages (EN, DE, FR, NL, ES, IT, PL).

Numeric dates are ambiguous (``03/04/2023``). The caller decides the order once per document
with :func:`numeric_order`: a part greater than 12 anywhere on the document settles it; otherwise
dots mean day-first (they are never used month-first), and the document's locale decides.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Order = Literal["DMY", "MDY"]

_MONTHS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "januari",
        "enero",
        "ene",
        "gennaio",
        "gen",
        "stycznia",
        "styczeń",
        "styczen",
        "sty",
    ),
    2: (
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "februari",
        "febrero",
        "febbraio",
        "lutego",
        "luty",
        "lut",
    ),
    3: ("march", "mar", "märz", "maerz", "mars", "maart", "mrt", "marzo", "marca", "marzec"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "kwiecień", "kwi"),
    5: ("may", "mai", "mei", "mayo", "maggio", "mag", "maja", "maj"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "giu", "czerwca", "czerwiec", "cze"),
    7: (
        "july",
        "jul",
        "juli",
        "juillet",
        "juil",
        "julio",
        "luglio",
        "lug",
        "lipca",
        "lipiec",
        "lip",
    ),
    8: (
        "august",
        "aug",
        "août",
        "aout",
        "augustus",
        "agosto",
        "ago",
        "sierpnia",
        "sierpień",
        "sie",
    ),
    9: (
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "set",
        "września",
        "wrzesień",
        "wrz",
    ),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "ottobre",
        "ott",
        "października",
        "październik",
        "paź",
        "paz",
    ),
    11: ("november", "nov", "novembre", "noviembre", "listopada", "listopad", "lis"),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "grudnia",
        "grudzień",
        "gru",
    ),
}
MONTH_BY_NAME = {name: month for month, names in _MONTHS.items() for name in names}
_MONTH = "|".join(sorted(MONTH_BY_NAME, key=len, reverse=True))

_ISO = r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d)"
_YMD = r"(?P<yy>\d{4})[./](?P<ym>\d{1,2})[./](?P<yd>\d{1,2})(?!\d)"
_NUMERIC = r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{4}|\d{2})(?![\d])"
# "7. Mai 2014", "19 april 2014", "1er juillet 2015", "31 de diciembre de 2023"
_DAY_MONTH = (
    rf"(?P<dd>\d{{1,2}})(?:\.|er|st|nd|rd|th)?[\s-]*(?:de\s+)?(?P<dm>{_MONTH})\.?,?[\s-]*"
    r"(?:de\s+)?(?P<dy>\d{4})"
)
# "August 3 , 2014", "Jan 1, 2022", "05-May-2023" is above
_MONTH_DAY = rf"(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<my>\d{{4}})"

DATE_RE = re.compile(
    rf"(?<![\w/.-])(?:{_ISO}|{_YMD}|{_NUMERIC}|{_DAY_MONTH}|{_MONTH_DAY})(?![^\W\d_])",
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(rf"(?<![\w/.-]){_NUMERIC}")


@dataclass(frozen=True)
class DateMatch:
    value: dt.date
    start: int
    end: int


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 and len(text) <= 2 else year  # "0001" is the year 1


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if 1990 <= date.year <= 2100 else None


def find_dates(text: str, order: Order = "DMY") -> list[DateMatch]:
    out = []
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        if g["iy"]:
            date = _make(int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["yy"]:
            date = _make(int(g["yy"]), int(g["ym"]), int(g["yd"]))
        elif g["a"]:
            first, second = int(g["a"]), int(g["b"])
            day, month = (first, second) if order == "DMY" else (second, first)
            if month > 12:  # this one settles itself, whatever the document order says
                day, month = month, day
            date = _make(_year(g["c"]), month, day)
        elif g["dd"]:
            date = _make(int(g["dy"]), MONTH_BY_NAME[g["dm"].lower()], int(g["dd"]))
        else:
            date = _make(int(g["my"]), MONTH_BY_NAME[g["mm"].lower()], int(g["md"]))
        if date is not None:
            out.append(DateMatch(date, m.start(), m.end()))
    return out


def numeric_order(text: str, month_first_locale: bool) -> Order:
    """Decide day-first or month-first for the whole document's numeric dates."""
    dotted = False
    for m in _NUMERIC_RE.finditer(text):
        first, second = int(m.group("a")), int(m.group("b"))
        if first > 12 >= second:
            return "DMY"
        if second > 12 >= first:
            return "MDY"
        dotted = dotted or m.group("sep") == "."
    if dotted:
        return "DMY"
    return "MDY" if month_first_locale else "DMY"
