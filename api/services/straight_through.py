"""Straight-through processing (opt-in, ``PAPERLANE_STRAIGHT_THROUGH``): the worker finalizes by
itself a document nobody needs to look at.

- ``xml``: a document read from an e-invoice XML (sent alone, or every value came from the XML
  embedded in a PDF) whose checks all hold.
- ``all``: that, and a text/OCR document whose every extracted value has evidence at least
  ``PAPERLANE_STRAIGHT_THROUGH_THRESHOLD`` confident and whose checks all hold.

Either way the vendor, invoice number and total must be known, at least one check must have run,
and a possible duplicate is never finalized by the rule (that needs a person). The audit trail
records the rule as the actor (kind ``system``, name ``straight-through rule``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import Actor
from api.errors import InvalidState
from api.services.fields import SCALAR_NAMES, checks_hold, checks_of, extracted_fields
from api.services.reviews import ReviewService
from api.settings import Settings
from db.models import DocumentStatus, ExtractedResult, Role
from db.repositories import DocumentRepository, ResultRepository

RULE = Actor(kind="system", id=None, label="straight-through rule", role=Role.ADMIN)
REQUIRED = ("vendorName", "invoiceNumber", "totalAmount")
XML_SOURCE = "embedded_xml"
XML_MIME = "application/xml"


def _evidence(result: ExtractedResult) -> list[dict[str, Any]]:
    raw = (result.structured_output_json or {}).get("evidence")
    return [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []


def read_from_xml(mime_type: str, result: ExtractedResult) -> bool:
    evidence = _evidence(result)
    if mime_type == XML_MIME:
        return True
    return bool(evidence) and all(e.get("source") == XML_SOURCE for e in evidence)


def confident(result: ExtractedResult, threshold: float) -> bool:
    """Every extracted scalar value has evidence with at least ``threshold`` confidence."""
    best: dict[str, float] = {}
    for item in _evidence(result):
        try:
            name, value = str(item["field"]), float(item.get("confidence", 0.0))
        except (KeyError, TypeError, ValueError):
            return False
        best[name] = max(value, best.get(name, 0.0))
    fields = extracted_fields(result)
    present = [n for n in SCALAR_NAMES if fields.get(n) not in (None, "")]
    return all(best.get(n, 0.0) >= threshold for n in present)


def qualifies(settings: Settings, mime_type: str, result: ExtractedResult) -> bool:
    mode = settings.straight_through
    if mode == "off" or result.is_finalized:
        return False
    fields = extracted_fields(result)
    if any(fields.get(n) in (None, "") for n in REQUIRED):
        return False
    if not checks_hold(checks_of(result)):
        return False
    if read_from_xml(mime_type, result):
        return True
    return mode == "all" and confident(result, settings.straight_through_threshold)


async def apply(session: AsyncSession, settings: Settings, document_id: uuid.UUID) -> bool:
    """Finalize the just-completed document if the rule allows it; True if it did."""
    if settings.straight_through == "off":
        return False
    document = await DocumentRepository(session).get(document_id)
    result = await ResultRepository(session).for_document(document_id)
    if document is None or result is None:
        return False
    if document.current_status != DocumentStatus.COMPLETED.value:
        return False
    if not qualifies(settings, document.mime_type, result):
        return False
    try:
        async with session.begin_nested():
            _, finalized = await ReviewService(session).finalize(document_id, RULE)
    except InvalidState:  # a possible duplicate, or no longer COMPLETED
        return False
    return finalized
