"""api.invoice_checks: the arithmetic checks the extractor and the review API share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.invoice_checks import iban_is_valid, run_checks


def _by_name(checks):
    return {c["name"]: c for c in checks}


def test_valid_ibans_pass_checksum():
    for iban in (
        "DE89 3704 0044 0532 0130 00",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "de89370400440532013000",
    ):
        assert iban_is_valid(iban), iban


def test_invalid_ibans_fail():
    for iban in (
        "DE89 3704 0044 0532 0130 01",  # checksum
        "DE89370400440532013",  # length for DE
        "XX",
        "",
        "1234567890123456",
        "DE00370400440532013000",
    ):
        assert not iban_is_valid(iban), iban


def test_net_plus_tax_equals_total_with_rounding_tolerance():
    checks = _by_name(
        run_checks({"netAmount": "100.00", "taxAmount": "19.00", "totalAmount": "119.01"})
    )
    assert checks["NET_PLUS_TAX_EQUALS_TOTAL"]["passed"]
    checks = _by_name(
        run_checks({"netAmount": "100.00", "taxAmount": "19.00", "totalAmount": "120.00"})
    )
    c = checks["NET_PLUS_TAX_EQUALS_TOTAL"]
    assert not c["passed"] and c["fields"] == ["netAmount", "taxAmount", "totalAmount"]
    assert "off by 1.00" in c["message"]


def test_checks_with_missing_inputs_are_left_out():
    assert run_checks({"netAmount": "100.00", "taxAmount": None, "totalAmount": "119.00"}) == []
    assert run_checks({}) == []
    assert run_checks({"netAmount": "abc", "taxAmount": "1", "totalAmount": "2"}) == []


def test_breakdown_and_lines():
    fields = {
        "netAmount": "300.00",
        "taxAmount": "26.00",
        "totalAmount": "326.00",
        "taxBreakdown": [
            {"rate": "19.00", "netAmount": "100.00", "taxAmount": "19.00"},
            {"rate": "7.00", "netAmount": "100.00", "taxAmount": "7.00"},
            {"rate": "0.00", "netAmount": "100.00", "taxAmount": "0.00"},
        ],
        "lineItems": [
            {
                "description": "a",
                "quantity": "1",
                "unit": "C62",
                "unitPrice": "150",
                "netAmount": "150.00",
                "taxRate": "19.00",
            },
            {
                "description": "b",
                "quantity": "1",
                "unit": "C62",
                "unitPrice": "150",
                "netAmount": "150.00",
                "taxRate": "7.00",
            },
        ],
        "iban": "DE89370400440532013000",
    }
    checks = _by_name(run_checks(fields))
    assert set(checks) == {
        "NET_PLUS_TAX_EQUALS_TOTAL",
        "TAX_BREAKDOWN_SUMS_TO_TAX",
        "BREAKDOWN_NET_SUMS_TO_NET",
        "LINES_SUM_TO_NET",
        "IBAN_CHECKSUM",
    }
    assert all(c["passed"] for c in checks.values())
    fields["lineItems"][0]["netAmount"] = "149.00"
    fields["taxBreakdown"][0]["taxAmount"] = "18.00"
    fields["iban"] = "DE89370400440532013001"
    checks = _by_name(run_checks(fields))
    assert not checks["LINES_SUM_TO_NET"]["passed"]
    assert not checks["TAX_BREAKDOWN_SUMS_TO_TAX"]["passed"]
    assert checks["BREAKDOWN_NET_SUMS_TO_NET"]["passed"]
    assert not checks["IBAN_CHECKSUM"]["passed"]


def test_credit_note_negative_amounts_balance():
    checks = _by_name(
        run_checks({"netAmount": "-100.00", "taxAmount": "-19.00", "totalAmount": "-119.00"})
    )
    assert checks["NET_PLUS_TAX_EQUALS_TOTAL"]["passed"]


@given(
    st.dictionaries(
        st.sampled_from(
            ["netAmount", "taxAmount", "totalAmount", "iban", "taxBreakdown", "lineItems"]
        ),
        st.one_of(
            st.none(),
            st.text(max_size=40),
            st.integers(),
            st.floats(),
            st.lists(
                st.one_of(st.none(), st.dictionaries(st.text(max_size=10), st.text(max_size=10))),
                max_size=3,
            ),
        ),
    )
)
def test_run_checks_never_raises(fields):
    for check in run_checks(fields):
        assert set(check) == {"name", "passed", "message", "fields"}


@given(st.text(max_size=60))
def test_iban_is_valid_never_raises(value):
    assert isinstance(iban_is_valid(value), bool)
