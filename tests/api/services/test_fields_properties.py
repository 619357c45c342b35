"""Property-based: review input validation (api.services.fields.validate_patch) never raises
anything but ValidationFailed, whatever JSON a client sends, and what it accepts is JSON that
validates again unchanged (idempotent)."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from api.errors import ValidationFailed
from api.services.fields import FIELD_NAMES, validate_patch

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=()), max_size=80
) | st.sampled_from(
    [
        "",
        "\x00",
        "Acme\x00GmbH",
        "1e999999",
        "-1e-999999",
        "NaN",
        "Infinity",
        "9999-12-31T23:59:59-14:00",
        "0000-00-00",
        "²",
        "٣",
        "1,234.50",
        "１２３",
        "\u202e",
        "DE89 3704 0044 0532 0130 00",
        "x" * 5000,
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | TEXT, children, max_size=6)
    ),
    max_leaves=30,
)
PATCH = st.dictionaries(st.sampled_from(FIELD_NAMES) | TEXT, JSON, max_size=8)


@settings(max_examples=400)
@given(patch=PATCH)
def test_validate_patch_only_ever_raises_validation_failed(patch: dict[str, Any]) -> None:
    try:
        accepted = validate_patch(patch)
    except ValidationFailed as error:
        assert error.code and error.message
        assert len(error.message) < 1000, "the input is not echoed in full"
        return
    # What is accepted is storable JSON (no NaN, no NUL) and is accepted again as it is.
    text = json.dumps(accepted, allow_nan=False)
    assert "\\u0000" not in text
    assert validate_patch(json.loads(text)) == accepted


@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_non_finite_amounts_are_refused(value: float) -> None:
    if math.isfinite(value):
        return
    try:
        validate_patch({"totalAmount": value})
    except ValidationFailed:
        return
    raise AssertionError(f"{value!r} accepted as an amount")
