"""E-invoice XML on its own and embedded: every flavour by content, credit notes negative,
EN 16931 checks, and hostile XML refused cleanly."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures.corpus.gold import HERE as CORPUS
from tests.fixtures.invoices import InvoiceSpec, attach, write_invoice
from worker.extraction import EInvoiceError, extract_fields, extract_xml, parse_pdf, sniff_einvoice
from worker.extraction.einvoice import MAX_XML_BYTES

PUBLIC = CORPUS / "public"
XML = PUBLIC / "xml"


def _read(name: str) -> bytes:
    return (XML / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "flavour"),
    [
        ("facturx__zugferd-basic.xml", "zugferd1"),
        ("mustang__ZUGFeRD1-invoice.xml", "zugferd1"),
        ("facturx__factur-x-minimum.xml", "cii"),
        ("facturx__factur-x-basicwl.xml", "cii"),
        ("facturx__factur-x-basic.xml", "cii"),
        ("facturx__factur-x-en16931.xml", "cii"),
        ("facturx__factur-x-extended.xml", "cii"),
        ("kosit__01.01a-INVOICE_uncefact.xml", "cii"),
        ("kosit__01.01a-INVOICE_ubl.xml", "ubl-invoice"),
        ("en16931__ubl-tc434-creditnote1.xml", "ubl-creditnote"),
    ],
)
def test_flavour_is_sniffed_from_the_root_element(name: str, flavour: str) -> None:
    assert sniff_einvoice(_read(name)) == flavour


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        b"<?xml version='1.0'?><Order xmlns='urn:x'/>",
        b"<Invoice><ID>1</ID></Invoice>",  # right name, no namespace
        b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>",
        b"<?xml version='1.0'?><!DOCTYPE Invoice [<!ENTITY a 'b'>]>"
        b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
)
def test_other_xml_and_garbage_sniff_as_none(data: bytes) -> None:
    assert sniff_einvoice(data) is None


def test_sniff_tolerates_bom_comments_and_processing_instructions() -> None:
    data = (
        b"\xef\xbb\xbf<?xml version='1.0' encoding='UTF-8'?>\n<!-- exported -->\n"
        b"<?xml-stylesheet href='x.xsl'?>\n"
        b"<ubl:Invoice xmlns:ubl='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>"
    )
    assert sniff_einvoice(data) == "ubl-invoice"


@given(st.binary(max_size=2000))
@settings(max_examples=200)
def test_sniff_never_raises(data: bytes) -> None:
    assert sniff_einvoice(data) in (None, "zugferd1", "cii", "ubl-invoice", "ubl-creditnote")


def test_every_public_xml_matches_its_gold() -> None:
    """The exact path: the independent gold reader and the extractor agree on every sample."""
    gold = json.loads((PUBLIC / "expected.json").read_text())
    wrong = []
    for entry in gold:
        if not entry["file"].startswith("xml/"):
            continue
        fields = extract_xml((PUBLIC / entry["file"]).read_bytes()).fields
        for key, api in (
            ("invoice_number", "invoiceNumber"),
            ("invoice_date", "invoiceDate"),
            ("total_amount", "totalAmount"),
            ("tax_amount", "taxAmount"),
            ("currency", "currency"),
            ("net_amount", "netAmount"),
        ):
            if entry.get(key) is not None and fields[api] != entry[key]:
                wrong.append((entry["file"], api, entry[key], fields[api]))
    assert wrong == []


def test_ubl_credit_note_is_negative_everywhere() -> None:
    outcome = extract_xml(_read("en16931__ubl-tc434-creditnote1.xml"))
    f = outcome.fields
    assert Decimal(f["totalAmount"]) < 0
    assert Decimal(f["taxAmount"]) <= 0 and Decimal(f["netAmount"]) < 0
    assert all(Decimal(line["netAmount"]) <= 0 for line in f["lineItems"] if line["netAmount"])
    checks = {c["name"]: c["passed"] for c in outcome.checks}
    assert checks["NET_PLUS_TAX_EQUALS_TOTAL"]


def test_cii_type_code_381_is_a_credit_note() -> None:
    xml = _read("facturx__factur-x-en16931.xml").replace(
        b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>", 1
    )
    positive = extract_xml(_read("facturx__factur-x-en16931.xml")).fields
    negative = extract_xml(xml).fields
    assert negative["totalAmount"] == "-" + positive["totalAmount"]
    assert negative["taxAmount"] == "-" + positive["taxAmount"]


def test_booking_fields_and_lists_from_xml() -> None:
    outcome = extract_xml(_read("facturx__factur-x-en16931.xml"))
    f = outcome.fields
    assert f["sellerVatId"] and f["sellerVatId"][:2].isalpha()
    assert f["buyerName"]
    assert f["taxBreakdown"] and all(
        set(b) == {"rate", "netAmount", "taxAmount"} for b in f["taxBreakdown"]
    )
    assert f["lineItems"] and set(f["lineItems"][0]) == {
        "description",
        "quantity",
        "unit",
        "unitPrice",
        "netAmount",
        "taxRate",
    }
    assert {e["source"] for e in outcome.evidence} == {"xml"}
    names = {c["name"] for c in outcome.checks}
    assert {"BR-02", "BR-CO-10", "BR-CO-14", "BR-CO-15", "NET_PLUS_TAX_EQUALS_TOTAL"} <= names


def test_xml_iban_with_bad_checksum_is_not_extracted() -> None:
    good = _read("kosit__01.01a-INVOICE_uncefact.xml")
    fields = extract_xml(good).fields
    assert fields["iban"]
    bad_iban = fields["iban"][:-1] + ("0" if fields["iban"][-1] != "0" else "1")
    bad = good.replace(fields["iban"].encode(), bad_iban.encode())
    assert extract_xml(bad).fields["iban"] is None


def test_due_date_implied_by_xml_payment_terms() -> None:
    """No due date in the XML: "PAIEMENT 30 JOURS NET" (BT-20) gives issue date + 30 days."""
    xml = _read("facturx__factur-x-en16931.xml")
    stripped = re.sub(rb"<ram:DueDateDateTime>.*?</ram:DueDateDateTime>", b"", xml, flags=re.S)
    fields = extract_xml(stripped).fields
    assert fields["paymentTerms"] == "PAIEMENT 30 JOURS NET"
    expected = dt.date.fromisoformat(fields["invoiceDate"]) + dt.timedelta(days=30)
    assert fields["dueDate"] == expected.isoformat()


def test_failed_sum_rule_is_reported() -> None:
    xml = _read("facturx__factur-x-en16931.xml")
    fields = extract_xml(xml).fields
    broken = xml.replace(
        f"<ram:GrandTotalAmount>{fields['totalAmount']}".encode(),
        b"<ram:GrandTotalAmount>1.00",
    )
    checks = {c["name"]: c for c in extract_xml(broken).checks}
    assert not checks["BR-CO-15"]["passed"]
    assert not checks["NET_PLUS_TAX_EQUALS_TOTAL"]["passed"]
    assert "totalAmount" in checks["NET_PLUS_TAX_EQUALS_TOTAL"]["fields"]


def test_missing_mandatory_field_fails_its_rule() -> None:
    xml = _read("facturx__factur-x-en16931.xml").replace(
        b"<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", b""
    )
    checks = {c["name"]: c["passed"] for c in extract_xml(xml).checks}
    assert checks["BR-05"] is False and checks["BR-02"] is True


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol4;</ID></Invoice>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>1</ID></Invoice>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE, EXTERNAL_DTD])
def test_entity_and_dtd_attacks_are_refused(data: bytes) -> None:
    assert sniff_einvoice(data) is None
    with pytest.raises(EInvoiceError, match=r"DOCTYPE|refused"):
        extract_xml(data)


def test_huge_xml_is_refused_without_parsing() -> None:
    head = b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'><ID>1</ID>"
    data = head + b"<Note>" + b"x" * MAX_XML_BYTES + b"</Note></Invoice>"
    assert sniff_einvoice(data) is None
    with pytest.raises(EInvoiceError, match="larger"):
        extract_xml(data)


def test_deep_nesting_and_malformed_xml_fail_cleanly() -> None:
    deep = (
        b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>"
        + b"<a>" * 50_000
        + b"</a>" * 50_000
        + b"</Invoice>"
    )
    with pytest.raises(EInvoiceError):
        extract_xml(deep)  # no number and no total: not a usable invoice
    with pytest.raises(EInvoiceError, match="malformed"):
        extract_xml(_read("facturx__factur-x-en16931.xml")[:500])
    with pytest.raises(EInvoiceError, match="not an e-invoice"):
        extract_xml(b"<Order xmlns='urn:x'><ID>1</ID></Order>")


def test_zugferd1_embedded_under_any_name_is_found_by_content(tmp_path: pathlib.Path) -> None:
    spec = InvoiceSpec(
        vendor="Hooli GmbH",
        vendor_address=("Torstraße 1", "10119 Berlin"),
        buyer_label="Rechnungsadresse",
        buyer=("Pied Piper AG", "Seestraße 2", "8002 Zürich"),
        number_label="Rechnungsnummer:",
        number="R-1",
        date_label="Rechnungsdatum:",
        date="01.03.2024",
        total_label="Gesamtbetrag",
        total="10,00 €",
    )
    pdf = write_invoice(tmp_path / "inv.pdf", spec)
    attach(pdf, "attachment-1.bin", _read("mustang__ZUGFeRD1-invoice.xml"))
    outcome = extract_fields(parse_pdf(pdf))
    expected = extract_xml(_read("mustang__ZUGFeRD1-invoice.xml")).fields
    assert outcome.fields["invoiceNumber"] == expected["invoiceNumber"]
    assert outcome.fields["totalAmount"] == expected["totalAmount"]
    sources = {e["field"]: e["source"] for e in outcome.evidence}
    assert sources["invoiceNumber"] == "embedded_xml"
