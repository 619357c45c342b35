"""Which documents the straight-through rule may finalize (pure decisions, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from api.services.straight_through import qualifies
from api.settings import Settings
from db.models import ExtractedResult

FIELDS = {
    "vendorName": "Acme GmbH",
    "invoiceNumber": "A-1",
    "totalAmount": "119.00",
    "netAmount": "100.00",
    "taxAmount": "19.00",
}


def result(
    fields: dict[str, Any], confidence: float = 0.99, source: str = "text"
) -> ExtractedResult:
    evidence = [{"field": n, "confidence": confidence, "source": source} for n in fields]
    return ExtractedResult(
        structured_output_json={"fields": fields, "evidence": evidence, "checks": []},
        is_finalized=False,
    )


def settings(mode: str, threshold: float = 0.95) -> Settings:
    return Settings(straight_through=mode, straight_through_threshold=threshold)


@pytest.mark.parametrize(
    ("mode", "mime", "row", "expected"),
    [
        ("off", "application/xml", result(FIELDS, source="embedded_xml"), False),
        ("xml", "application/xml", result(FIELDS, source="embedded_xml"), True),
        # A PDF whose every value came from its embedded XML counts as XML.
        ("xml", "application/pdf", result(FIELDS, source="embedded_xml"), True),
        ("xml", "application/pdf", result(FIELDS), False),
        ("all", "application/pdf", result(FIELDS), True),
        ("all", "application/pdf", result(FIELDS, confidence=0.9), False),
        # Checks fail: 100 + 19 ≠ 120.
        ("all", "application/xml", result({**FIELDS, "totalAmount": "120.00"}), False),
        # No check could run (no net/tax): nothing vouches for the values.
        ("all", "application/xml", result({"vendorName": "A", "invoiceNumber": "1",
                                           "totalAmount": "1.00"}), False),
        # A required field is missing.
        ("all", "application/xml", result({**FIELDS, "invoiceNumber": None}), False),
    ],
)  # fmt: skip
def test_qualifies(mode: str, mime: str, row: ExtractedResult, expected: bool) -> None:
    assert qualifies(settings(mode), mime, row) is expected


def test_a_value_without_evidence_is_not_confident() -> None:
    row = result(FIELDS)
    row.structured_output_json["evidence"] = row.structured_output_json["evidence"][1:]
    assert qualifies(settings("all"), "application/pdf", row) is False
    assert qualifies(settings("all", threshold=0.0), "application/pdf", row) is True
