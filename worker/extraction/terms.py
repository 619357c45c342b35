"""Payment terms: the due date a phrase such as "Net 30" or "zahlbar innerhalb von 14 Tagen"
implies, counted from the invoice date. Shared by the text path and the XML path (an XML that
gives payment terms but no due date)."""

from __future__ import annotations

import datetime as dt
import re

_DAYS = r"(?:days?|tagen?|jours|dagen|d[ií]as|giorni|gg\.?|dni)"
# "30 days net", "14 Tage netto", "Net 30", "zahlbar innerhalb von 14 Tagen"; and after a
# payment-terms label any "N days": "à 30 jours", "binnen 14 dagen", "30 días", "30 giorni",
# "14 dni". Elsewhere a bare "N days" is not a due date ("return within 30 days").
TERMS_RE = re.compile(
    rf"(?P<net_after>(?<!\d)(\d{{1,3}})\s*{_DAYS}\s+(?:net|netto|neto)(?!\w))"
    rf"|(?P<net_before>(?<!\w)net\s*(\d{{1,3}})(?!\d)(?:\s*{_DAYS}(?!\w))?)"
    rf"|(?P<payable>(?:zahlbar|payable|payment due|due|te betalen|pagadero|pagabile|płatne|"
    rf"payer|payable|betaling|pago|pagamento|zahlungsziel|zahlung|binnen|entro|dentro de|sous)"
    rf"[\w\s.,:]{{0,30}}?(?<!\d)(\d{{1,3}})\s*{_DAYS}(?!\w))"
    rf"|(?P<plain>(?<!\d)(\d{{1,3}})\s*{_DAYS}(?!\w))",
    re.IGNORECASE,
)
MONTH_END_RE = re.compile(
    r"end of (?:the )?month|fin de mois|monatsende|fine mese|einde maand|fin de mes|EOM|FDM",
    re.IGNORECASE,
)
# A discount for early payment ("2 % Skonto bei Zahlung innerhalb 10 Tagen"): not the due date.
_DISCOUNT_RE = re.compile(r"skonto|escompte|discount|korting|descuento|sconto|%", re.IGNORECASE)


def terms_matches(text: str, labelled: bool) -> list[tuple[int, int, int]]:
    """(days, start, end) for each terms phrase; bare "N days" only when ``labelled``."""
    if MONTH_END_RE.search(text):
        return []
    out = []
    for m in TERMS_RE.finditer(text):
        if m.group("plain") and not labelled:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if _DISCOUNT_RE.search(before + m.group(0)) and not m.group("net_before"):
            continue
        days = int(next(g for g in m.groups()[1::2] if g))
        out.append((days, m.start(), m.end()))
    return out


def due_from_terms(text: str, issued: dt.date) -> dt.date | None:
    """The due date the longest-standing terms phrase of ``text`` implies (a payment-terms text
    such as BT-20, so a bare "30 days" counts), or ``None``."""
    found = terms_matches(text, labelled=True)
    if not found:
        return None
    days = max(d for d, _s, _e in found)
    return issued + dt.timedelta(days=days)
