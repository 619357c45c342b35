"""The one definition of the invoice fields: review validation of every kind, lists, and the
readable text of an XML invoice. Pure: no servers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.errors import ValidationFailed
from api.services.fields import (
    FIELD_NAMES,
    LIST_NAMES,
    MAX_LINE_ITEMS,
    SCALAR_NAMES,
    normalise,
    readable_text,
    validate_patch,
)

LINE = {
    "description": "Widget",
    "quantity": "2",
    "unit": "C62",
    "unitPrice": "12.3456",
    "netAmount": "24.69",
    "taxRate": "19",
}


def test_names_in_api_order():
    assert FIELD_NAMES == (
        "vendorName", "invoiceNumber", "invoiceDate", "dueDate", "totalAmount", "taxAmount",
        "currency", "status", "netAmount", "sellerVatId", "buyerName", "iban", "bic",
        "orderReference", "paymentTerms", "taxBreakdown", "lineItems",
    )  # fmt: skip
    assert LIST_NAMES == ("taxBreakdown", "lineItems")
    assert set(SCALAR_NAMES) | set(LIST_NAMES) == set(FIELD_NAMES)


def test_normalise_fills_every_key_and_lists():
    fields = normalise({"vendorName": "A", "lineItems": [{"description": "x", "junk": 1}, "bad"]})
    assert list(fields) == list(FIELD_NAMES)
    assert fields["taxBreakdown"] == []
    assert fields["lineItems"] == [
        {"description": "x", "quantity": None, "unit": None, "unitPrice": None,
         "netAmount": None, "taxRate": None},
    ]  # fmt: skip


def test_valid_booking_fields_are_normalised():
    clean = validate_patch(
        {
            "netAmount": "100",
            "sellerVatId": " de 123 456 789 ",
            "buyerName": "  Rhein   Logistik AG ",
            "iban": "de89 3704 0044 0532 0130 00",
            "bic": "cobadeffxxx",
            "orderReference": "PO-1",
            "paymentTerms": "30 days net",
            "taxBreakdown": [{"rate": Decimal("19"), "netAmount": "100", "taxAmount": "19"}],
            "lineItems": [LINE, {"description": "only a text line"}],
        }
    )
    assert clean["netAmount"] == "100.00"
    assert clean["sellerVatId"] == "DE123456789"
    assert clean["buyerName"] == "Rhein Logistik AG"
    assert clean["iban"] == "DE89370400440532013000"
    assert clean["bic"] == "COBADEFFXXX"
    assert clean["taxBreakdown"] == [{"rate": "19.00", "netAmount": "100.00", "taxAmount": "19.00"}]
    assert clean["lineItems"][0] == {**LINE, "taxRate": "19.00"}
    assert clean["lineItems"][1]["quantity"] is None


def test_null_clears_and_empties():
    assert validate_patch({"iban": None, "lineItems": None, "taxBreakdown": []}) == {
        "iban": None,
        "lineItems": [],
        "taxBreakdown": [],
    }


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"iban": "DE89370400440532013001"}, "iban"),  # checksum
        ({"iban": "DE8937040044053201300"}, "iban"),  # length
        ({"iban": "hello"}, "iban"),
        ({"bic": "COBADE"}, "bic"),
        ({"bic": "COBA DE FF X"}, "bic"),
        ({"sellerVatId": "123456789"}, "sellerVatId"),
        ({"sellerVatId": "DE" + "1" * 20}, "sellerVatId"),
        ({"netAmount": "1.234"}, "netAmount"),
        ({"netAmount": True}, "netAmount"),
        ({"netAmount": 1.5}, "netAmount"),
        ({"buyerName": "x" * 501}, "buyerName"),
        ({"buyerName": "NUL\x00byte"}, "buyerName"),
        ({"paymentTerms": "bell\x07"}, "paymentTerms"),
        ({"orderReference": 12}, "orderReference"),
        ({"lineItems": "not a list"}, "lineItems"),
        ({"lineItems": {"description": "x"}}, "lineItems"),
        ({"lineItems": [LINE] * (MAX_LINE_ITEMS + 1)}, "lineItems"),
        ({"lineItems": ["row"]}, "lineItems[0]"),
        ({"lineItems": [LINE, {"price": "1"}]}, "lineItems[1]"),
        ({"lineItems": [{"taxRate": "101"}]}, "lineItems[0].taxRate"),
        ({"lineItems": [{"taxRate": "-1"}]}, "lineItems[0].taxRate"),
        ({"lineItems": [{"quantity": "1.0000001"}]}, "lineItems[0].quantity"),
        ({"lineItems": [{"unitPrice": "NaN"}]}, "lineItems[0].unitPrice"),
        ({"lineItems": [{"netAmount": "1e30"}]}, "lineItems[0].netAmount"),
        ({"lineItems": [{"description": "a\x00b"}]}, "lineItems[0].description"),
        ({"lineItems": [{"description": "d" * 1001}]}, "lineItems[0].description"),
        ({"lineItems": [{"unit": ["h"]}]}, "lineItems[0].unit"),
        ({"taxBreakdown": [{"rate": "19.001"}]}, "taxBreakdown[0].rate"),
        ({"taxBreakdown": [{}] * 51}, "taxBreakdown"),
        ({"unknownField": "x"}, "unknownField"),
    ],
)
def test_invalid_values_name_their_field(patch, field):
    with pytest.raises(ValidationFailed) as error:
        validate_patch(patch)
    assert error.value.field == field, error.value.message


def test_readable_text_of_an_xml_invoice():
    text = readable_text(
        {
            "vendorName": "Tulip Software B.V.",
            "totalAmount": "605.00",
            "taxBreakdown": [{"rate": "21.00", "netAmount": "500.00", "taxAmount": "105.00"}],
            "lineItems": [LINE],
        }
    )
    assert text.splitlines() == [
        "Vendor name: Tulip Software B.V.",
        "Total amount: 605.00",
        "Tax breakdown:",
        "1. rate 21.00; net amount 500.00; tax amount 105.00",
        "Line items:",
        "1. description Widget; quantity 2; unit C62; unit price 12.3456; net amount 24.69; "
        "tax rate 19",
    ]
