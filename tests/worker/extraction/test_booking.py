"""Line items read from text are kept only when they add up to the net amount."""

from __future__ import annotations

from worker.extraction.candidates import Candidate
from worker.extraction.fields import _confirmed_lines


def net(value: str) -> Candidate:
    return Candidate(value=value, page=1, bbox=None, confidence=0.9)


LINES = [
    {"description": "Paper", "quantity": "2", "unitPrice": "10.00", "netAmount": "20.00"},
    {"description": "Toner", "quantity": "1", "unitPrice": "30.00", "netAmount": "30.00"},
]


def test_lines_that_sum_to_the_net_amount_are_kept() -> None:
    assert _confirmed_lines(LINES, net("50.00")) == LINES


def test_a_partly_read_table_is_dropped() -> None:
    # A wrapped row or a subtotal read as a line: the sum misses the net amount.
    assert _confirmed_lines(LINES, net("80.00")) == []


def test_without_a_net_amount_nothing_can_confirm_them_and_they_stay() -> None:
    assert _confirmed_lines(LINES, None) == LINES
    assert _confirmed_lines([], net("50.00")) == []
