"""Structured e-invoices embedded in the PDF: ZUGFeRD / Factur-X / XRechnung (UN/CEFACT CII) and
UBL (Invoice, CreditNote). Values are read as written, so they are exact; the text path fills
only what the XML lacks.

The XML comes from an untrusted upload. The stdlib parser does not fetch external entities, but
it does expand internal ones ("billion laughs"), so any document type declaration or entity is
refused before parsing, as defusedxml would.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

from worker.extraction.numbers import format_amount

_FORBIDDEN = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

_CII_ROOT = "CrossIndustryInvoice"
_UBL_ROOTS = {"Invoice", "CreditNote"}


class EInvoiceError(ValueError):
    """The attachment is not a usable structured invoice."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(root: ET.Element, path: str) -> ET.Element | None:
    """Follow ``a/b/c`` by local names, ignoring namespaces (CII and UBL versions differ)."""
    nodes = [root]
    for step in path.split("/"):
        nodes = [child for node in nodes for child in node if _local(child.tag) == step]
        if not nodes:
            return None
    return nodes[0]


def _text(root: ET.Element, path: str) -> str | None:
    node = _find(root, path)
    if node is None or node.text is None or not node.text.strip():
        return None
    return node.text.strip()


def _amount(root: ET.Element, path: str, currency: str | None = None) -> str | None:
    """An amount element; with several (XRechnung tax in two currencies) the invoice's one."""
    parent_path, _, name = path.rpartition("/")
    parent = _find(root, parent_path) if parent_path else root
    if parent is None:
        return None
    candidates = [c for c in parent if _local(c.tag) == name and c.text and c.text.strip()]
    if currency:
        preferred = [c for c in candidates if c.get("currencyID") in (None, currency)]
        candidates = preferred or candidates
    if not candidates:
        return None
    try:
        return format_amount(Decimal(candidates[0].text.strip()))  # type: ignore[union-attr]
    except InvalidOperation:
        return None


def _cii_date(root: ET.Element, path: str) -> str | None:
    value = _text(root, path)
    if value and re.fullmatch(r"\d{8}", value):  # format 102
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    return None


def _read_cii(root: ET.Element) -> dict[str, str | None]:
    trade = "SupplyChainTradeTransaction"
    settlement = f"{trade}/ApplicableHeaderTradeSettlement"
    summation = f"{settlement}/SpecifiedTradeSettlementHeaderMonetarySummation"
    currency = _text(root, f"{settlement}/InvoiceCurrencyCode")
    total = _amount(root, f"{summation}/GrandTotalAmount", currency)
    due = _amount(root, f"{summation}/DuePayableAmount", currency)
    return {
        "vendorName": _text(root, f"{trade}/ApplicableHeaderTradeAgreement/SellerTradeParty/Name"),
        "invoiceNumber": _text(root, "ExchangedDocument/ID"),
        "invoiceDate": _cii_date(root, "ExchangedDocument/IssueDateTime/DateTimeString"),
        "dueDate": _cii_date(
            root, f"{settlement}/SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString"
        ),
        "totalAmount": total,
        "taxAmount": _amount(root, f"{summation}/TaxTotalAmount", currency),
        "currency": currency,
        "status": _paid_status(total, due),
    }


def _read_ubl(root: ET.Element) -> dict[str, str | None]:
    currency = _text(root, "DocumentCurrencyCode")
    party = "AccountingSupplierParty/Party"
    vendor = _text(root, f"{party}/PartyName/Name") or _text(
        root, f"{party}/PartyLegalEntity/RegistrationName"
    )
    total = _amount(root, "LegalMonetaryTotal/TaxInclusiveAmount", currency) or _amount(
        root, "LegalMonetaryTotal/PayableAmount", currency
    )
    due = _amount(root, "LegalMonetaryTotal/PayableAmount", currency)
    due_date = _text(root, "DueDate") or _text(root, "PaymentMeans/PaymentDueDate")
    return {
        "vendorName": vendor,
        "invoiceNumber": _text(root, "ID"),
        "invoiceDate": _text(root, "IssueDate"),
        "dueDate": due_date,
        "totalAmount": total,
        "taxAmount": _amount(root, "TaxTotal/TaxAmount", currency),
        "currency": currency,
        "status": _paid_status(total, due),
    }


def _paid_status(total: str | None, due: str | None) -> str | None:
    """Only a settled invoice says something: nothing left to pay of a non-zero total."""
    if total is not None and due is not None and Decimal(due) == 0 and Decimal(total) != 0:
        return "PAID"
    return None


def read_einvoice(data: bytes) -> dict[str, str | None]:
    """Fields from one XML attachment; raises ``EInvoiceError`` if it is not a usable invoice."""
    if _FORBIDDEN.search(data):
        raise EInvoiceError("XML with a DOCTYPE or ENTITY declaration is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise EInvoiceError(f"malformed XML: {exc}") from exc
    name = _local(root.tag)
    if name == _CII_ROOT:
        fields = _read_cii(root)
    elif name in _UBL_ROOTS:
        fields = _read_ubl(root)
    else:
        raise EInvoiceError(f"not an invoice document: <{name}>")
    if not fields["invoiceNumber"] and not fields["totalAmount"]:
        raise EInvoiceError("invoice XML without number and total")
    return fields


def find_einvoice(files: list[tuple[str, bytes]]) -> dict[str, str | None] | None:
    """The first embedded file that reads as an invoice, or ``None`` (text path only)."""
    for _name, data in files:
        try:
            return read_einvoice(data)
        except EInvoiceError:
            continue
    return None
