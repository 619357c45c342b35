"""Currency markers (symbols, ISO codes, local abbreviations, words) mapped to ISO 4217 codes."""

from __future__ import annotations

import re
from collections import Counter

# Longer markers first so that "US$" wins over "$" and "EUR" over "€"-less fragments.
_MARKERS: dict[str, str] = {
    "US$": "USD",
    "USD": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "$": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "₹": "INR",
    "INR": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "zł": "PLN",
    "PLN": "PLN",
    "CHF": "CHF",
    "CAD": "CAD",
    "AUD": "AUD",
    "SEK": "SEK",
    "NOK": "NOK",
    "DKK": "DKK",
    "CZK": "CZK",
    "Kč": "CZK",
    "HUF": "HUF",
    "RON": "RON",
    "CNY": "CNY",
}

_OTHER_DOLLARS = ("CAD", "AUD", "NZD", "SGD", "HKD")

# Words that name a currency in running text ("All charges are in US Dollars", "… Euros").
_WORDS: dict[str, str] = {
    "us dollars": "USD",
    "us dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "rupees": "INR",
    "pounds sterling": "GBP",
    "złotych": "PLN",
    "zloty": "PLN",
    "franken": "CHF",
}


def _marker_pattern(markers: list[str]) -> str:
    """Letter codes must stand alone ("EUR", not "EUROPE"); symbols need no boundary. One
    lookbehind in front of all letter codes, and a first-character guard, keep it fast."""
    ordered = sorted(markers, key=len, reverse=True)
    words = [
        re.escape(m) + (r"(?![^\W\d_])" if m[-1].isalpha() else "")
        for m in ordered
        if m[0].isalpha()
    ]
    symbols = [re.escape(m) for m in ordered if not m[0].isalpha()]
    first = "".join(sorted({re.escape(m[0]) for m in ordered}))
    return rf"(?=[{first}])(?:(?<![^\W\d_])(?:{'|'.join(words)})|{'|'.join(symbols)})"


CURRENCY_MARKER = _marker_pattern(list(_MARKERS))
_MARKER_RE = re.compile(CURRENCY_MARKER)  # case matters: "EUR" is a code, "eur" is not
_WORD_RE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
)


def currency_code(marker: str | None) -> str | None:
    """The ISO code for one marker as matched (``"€"`` -> ``"EUR"``, ``"Rs."`` -> ``"INR"``)."""
    if not marker:
        return None
    return _MARKERS.get(marker)


def dollar_code(mentions: Counter[str]) -> str:
    """What a bare "$" means: USD, unless the document names another dollar currency and not
    USD (a Canadian invoice prints "$" and says "CAD" somewhere)."""
    if mentions.get("USD"):
        return "USD"
    return next((code for code in _OTHER_DOLLARS if mentions.get(code)), "USD")


def count_currencies(text: str) -> Counter[str]:
    """How often each currency is mentioned, by symbol, code or name."""
    counts: Counter[str] = Counter()
    dollars = 0
    for m in _MARKER_RE.finditer(text):
        if m.group(0) == "$":
            dollars += 1
            continue
        code = currency_code(m.group(0))
        if code:
            counts[code] += 1
    for m in _WORD_RE.finditer(text):
        counts[_WORDS[m.group(1).lower()]] += 1
    if dollars:
        counts[dollar_code(counts)] += dollars
    return counts
