"""A candidate value for one field, with the evidence the review screen highlights."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from worker.extraction.layout import BBox, Row


@dataclass(frozen=True)
class Candidate:
    value: str
    confidence: float
    page: int | None
    bbox: BBox | None
    source: str = "text"
    order: tuple[int, int] = (0, 0)  # (page, row): earlier wins a tie

    @classmethod
    def at(cls, value: str, confidence: float, row: Row, bbox: BBox | None) -> Candidate:
        return cls(
            value=value,
            confidence=round(min(max(confidence, 0.0), 1.0), 3),
            page=row.page.number,
            bbox=bbox,
            source=row.page.source,
            order=(row.page.number, row.index),
        )

    def evidence(self, field: str) -> dict[str, Any]:
        return {
            "field": field,
            "confidence": self.confidence,
            "page": self.page,
            "bbox": [round(v, 2) for v in self.bbox] if self.bbox else None,
            "source": self.source,
        }


def best(candidates: Iterable[Candidate]) -> Candidate | None:
    """Highest confidence; among equals, the one read first."""
    ranked = sorted(candidates, key=lambda c: (-c.confidence, c.order))
    return ranked[0] if ranked else None
