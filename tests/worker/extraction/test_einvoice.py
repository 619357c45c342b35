"""Embedded e-invoice XML (ZUGFeRD / Factur-X CII, UBL) is read exactly; bad XML falls back."""

from __future__ import annotations

import pathlib

import pytest

from tests.fixtures.invoices import InvoiceSpec, attach, cii_xml, write_invoice
from tests.worker.extraction.helpers import extract
from worker.extraction.einvoice import EInvoiceError, read_einvoice

# The printed copy differs from the XML on purpose, so the test shows which one was read.
PRINTED = InvoiceSpec(
    vendor="Hooli GmbH",
    vendor_address=("Torstraße 1", "10119 Berlin"),
    buyer_label="Rechnungsadresse",
    buyer=("Pied Piper AG", "Seestraße 2", "8002 Zürich"),
    number_label="Rechnungsnummer:",
    number="R-100",
    date_label="Rechnungsdatum:",
    date="01.03.2024",
    tax_label="MwSt. 19%",
    tax="19,00 €",
    total_label="Gesamtbetrag",
    total="119,00 €",
)
XML = dict(
    number="R-100",
    date="20240301",
    due="20240331",
    seller="Hooli GmbH",
    buyer="Pied Piper AG",
    currency="EUR",
    net="100.00",
    tax="19.00",
    total="119.00",
)


def _pdf(tmp_path: pathlib.Path, xml: bytes) -> pathlib.Path:
    return attach(write_invoice(tmp_path / "zugferd.pdf", PRINTED), "factur-x.xml", xml)


def test_cii_fields_are_read_from_the_xml(tmp_path: pathlib.Path) -> None:
    outcome = extract(_pdf(tmp_path, cii_xml(**XML)))
    assert outcome.fields == {
        "vendorName": "Hooli GmbH",
        "invoiceNumber": "R-100",
        "invoiceDate": "2024-03-01",
        "dueDate": "2024-03-31",
        "totalAmount": "119.00",
        "taxAmount": "19.00",
        "currency": "EUR",
        "status": None,
        # booking fields: the XML has no VAT id, payment means, terms, breakdown or lines;
        # the printed "MwSt. 19% 19,00 €" fills the breakdown (text fills what the XML lacks)
        "netAmount": "100.00",
        "sellerVatId": None,
        "buyerName": "Pied Piper AG",
        "iban": None,
        "bic": None,
        "orderReference": None,
        "paymentTerms": None,
        "taxBreakdown": [{"rate": "19.00", "netAmount": None, "taxAmount": "19.00"}],
        "lineItems": [],
    }
    sources = {e["field"]: e["source"] for e in outcome.evidence}
    assert sources.pop("taxBreakdown") == "text"
    assert set(sources.values()) == {"embedded_xml"}
    checks = {c["name"]: c["passed"] for c in outcome.to_json()["checks"]}
    assert checks["NET_PLUS_TAX_EQUALS_TOTAL"] and checks["BR-CO-15"] and checks["BR-02"]
    # Where the printed copy agrees, the evidence points at it for highlighting.
    number = next(e for e in outcome.evidence if e["field"] == "invoiceNumber")
    assert number["page"] == 1 and number["bbox"] is not None


def test_xml_wins_over_the_printed_text(tmp_path: pathlib.Path) -> None:
    outcome = extract(_pdf(tmp_path, cii_xml(**{**XML, "number": "R-100-X", "total": "118.99"})))
    assert outcome.fields["invoiceNumber"] == "R-100-X"
    assert outcome.fields["totalAmount"] == "118.99"


def test_text_fills_what_the_xml_lacks(tmp_path: pathlib.Path) -> None:
    xml = cii_xml(**XML).replace(b"<ram:Name>Hooli GmbH</ram:Name>", b"")
    outcome = extract(_pdf(tmp_path, xml))
    assert outcome.fields["vendorName"] == "Hooli GmbH"
    vendor = next(e for e in outcome.evidence if e["field"] == "vendorName")
    assert vendor["source"] == "text"


@pytest.mark.parametrize(
    "broken",
    [
        cii_xml(**XML)[:400],  # truncated
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",  # entities refused
        cii_xml(**XML).replace(
            b'<?xml version="1.0" encoding="UTF-8"?>',
            b'<?xml version="1.0"?><!DOCTYPE rsm:CrossIndustryInvoice>',
        ),
        b"not xml at all",
        b"<Order xmlns='urn:x'><ID>1</ID></Order>",  # well-formed, but not an invoice
    ],
)
def test_broken_xml_falls_back_to_text(tmp_path: pathlib.Path, broken: bytes) -> None:
    outcome = extract(_pdf(tmp_path, broken))
    assert outcome.fields["invoiceNumber"] == "R-100"
    assert outcome.fields["totalAmount"] == "119.00"
    assert outcome.fields["invoiceDate"] == "2024-03-01"
    assert {e["source"] for e in outcome.evidence} == {"text"}


def test_doctype_is_refused_before_parsing() -> None:
    with pytest.raises(EInvoiceError, match="DOCTYPE"):
        read_einvoice(b"<!DOCTYPE lol [<!ENTITY lol 'lol'>]><rsm:CrossIndustryInvoice/>")


UBL = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>UBL-42</cbc:ID>
  <cbc:IssueDate>2024-04-02</cbc:IssueDate>
  <cbc:DueDate>2024-05-02</cbc:DueDate>
  <cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Svensk Leverantör AB</cbc:RegistrationName>
    </cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="SEK">250.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:TaxExclusiveAmount currencyID="SEK">1000.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="SEK">1250.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="SEK">0.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</Invoice>""".encode()


def test_ubl_invoice() -> None:
    fields = read_einvoice(UBL)
    old = ("vendorName", "invoiceNumber", "invoiceDate", "dueDate", "totalAmount", "taxAmount")
    assert {k: fields[k] for k in (*old, "currency", "status")} == {
        "vendorName": "Svensk Leverantör AB",
        "invoiceNumber": "UBL-42",
        "invoiceDate": "2024-04-02",
        "dueDate": "2024-05-02",
        "totalAmount": "1250.00",
        "taxAmount": "250.00",
        "currency": "SEK",
        "status": "PAID",
    }
    assert fields["netAmount"] == "1000.00"
