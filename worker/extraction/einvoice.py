"""Structured e-invoices, read exactly: embedded in a PDF or uploaded on their own.

Flavours, recognised by the root element and its namespace (never by a file name):

- ``zugferd1``: ZUGFeRD 1.0, ``CrossIndustryDocument`` in ``urn:ferd:CrossIndustryDocument:…``;
- ``cii``: UN/CEFACT CII D16B ``CrossIndustryInvoice``: ZUGFeRD 2.x / Factur-X in every profile
  (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG) and CII XRechnung;
- ``ubl-invoice`` / ``ubl-creditnote``: OASIS UBL 2.x ``Invoice`` and ``CreditNote``.

The XML is untrusted. ``defusedxml`` parses it with DTDs, entity declarations and external
references forbidden (no "billion laughs", no XXE, no network), after a size bound.

Credit notes (UBL ``CreditNote``, CII/ZUGFeRD type codes 381, 261, 396, 81, 83, 532) print positive
amounts; Paperlane reports them negative, so every amount of the document changes sign.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import defusedxml
import defusedxml.ElementTree as DET

from api.invoice_checks import iban_is_valid, normalize_iban, tolerance
from api.services.sniff import (  # the upload's bounds and roots: one definition for both sides
    EINVOICE_ROOTS,
    MAX_XML_BYTES,
)
from worker.extraction.terms import due_from_terms

SNIFF_BYTES = 64 * 1024

ZUGFERD1 = "zugferd1"
CII = "cii"
UBL_INVOICE = "ubl-invoice"
UBL_CREDIT_NOTE = "ubl-creditnote"

# The accepted roots are the upload sniff's (``EINVOICE_ROOTS``, one definition); here each gets
# its flavour, keyed (local name, namespace) as this module's parsers find them.
_FLAVOUR_OF_ROOT_NAME = {
    "CrossIndustryDocument": ZUGFERD1,
    "CrossIndustryInvoice": CII,
    "Invoice": UBL_INVOICE,
    "CreditNote": UBL_CREDIT_NOTE,
}
_ROOTS = {(local, namespace): _FLAVOUR_OF_ROOT_NAME[local] for namespace, local in EINVOICE_ROOTS}
# UNTDID 1001 codes of credit notes (BT-3).
_CREDIT_CODES = {"81", "83", "261", "262", "381", "396", "532"}
_FORBIDDEN = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_START_TAG = re.compile(
    rb"<(?:(?P<prefix>[A-Za-z_][\w.-]*):)?(?P<name>[A-Za-z_][\w.-]*)(?P<attrs>[^<>]*)>"
)
_XMLNS = re.compile(rb"""xmlns(?::(?P<prefix>[\w.-]+))?\s*=\s*(?P<q>["'])(?P<uri>[^"']*)(?P=q)""")
_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)

MONEY_FIELDS = ("totalAmount", "taxAmount", "netAmount")


class EInvoiceError(ValueError):
    """The XML is not a usable structured invoice (or was refused as unsafe)."""


@dataclass
class EInvoice:
    """What one e-invoice says: the scalar fields, the two lists, and rule checks."""

    flavour: str
    profile: str | None
    fields: dict[str, Any]
    checks: list[dict[str, Any]] = field(default_factory=list)


def _head(data: bytes) -> bytes:
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16", errors="ignore").encode("utf-8")
        except (UnicodeError, LookupError):
            return b""
    return head.removeprefix(b"\xef\xbb\xbf")


def sniff_einvoice(data: bytes) -> str | None:
    """The e-invoice flavour of ``data`` from its root start tag, or ``None``.

    Cheap and safe: looks at the first 64 KiB only, with regular expressions (no parser), and says
    ``None`` for anything that is not an invoice root in its namespace, for documents with a DTD or
    entity declarations (refused anyway), and for files beyond the size bound."""
    if not data or len(data) > MAX_XML_BYTES:
        return None
    head = _head(data)
    if _FORBIDDEN.search(head):
        return None
    pos = 0
    while True:
        m = _PROLOGUE.match(head, pos)
        if not m:
            break
        pos = m.end()
    m = _START_TAG.match(head, pos + len(head[pos:]) - len(head[pos:].lstrip()))
    if not m:
        return None
    prefix = m.group("prefix") or b""
    namespaces = {
        (ns.group("prefix") or b""): ns.group("uri") for ns in _XMLNS.finditer(m.group("attrs"))
    }
    uri = namespaces.get(prefix)
    if uri is None:
        return None
    return _ROOTS.get((m.group("name").decode("ascii", "ignore"), uri.decode("utf-8", "ignore")))


# --- tree helpers ---------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _all(root: ET.Element | None, path: str) -> list[ET.Element]:
    """Every element at ``a/b/c`` (local names; namespaces differ between versions)."""
    if root is None:
        return []
    nodes = [root]
    for step in path.split("/"):
        nodes = [child for node in nodes for child in node if _local(child.tag) == step]
        if not nodes:
            return []
    return nodes


def _one(root: ET.Element | None, path: str) -> ET.Element | None:
    found = _all(root, path)
    return found[0] if found else None


def _text(root: ET.Element | None, path: str) -> str | None:
    for node in _all(root, path):
        if node.text and node.text.strip():
            return re.sub(r"\s+", " ", node.text.strip())
    return None


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal(10) ** 15 else None


def _number(root: ET.Element | None, path: str, currency: str | None = None) -> Decimal | None:
    """A numeric element; with several (XRechnung tax in two currencies) the invoice's one."""
    nodes = [n for n in _all(root, path) if n.text and n.text.strip()]
    if currency:
        nodes = [n for n in nodes if n.get("currencyID") in (None, currency)] or nodes
    return _decimal(nodes[0].text) if nodes else None


def money(value: Decimal | None) -> str | None:
    """``"1234.50"``: two decimals, more only when the XML carries more significant ones."""
    if value is None:
        return None
    if value == value.quantize(Decimal("0.01")):
        return f"{value.quantize(Decimal('0.01')):f}"
    return f"{value.normalize():f}"


def _date(root: ET.Element | None, path: str) -> str | None:
    """CII format 102 (``20240131``) or ISO; other formats (610 month, 616 week) are no day."""
    value = _text(root, path)
    if value is None:
        return None
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*|Z|[+-]\d{2}:?\d{2})?", value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


# --- CII (ZUGFeRD 1.0 and CII D16B share most of the tree under different names) ---------


@dataclass(frozen=True)
class _CiiPaths:
    document: str
    transaction: str
    agreement: str
    settlement: str
    summation: str
    rate: str
    line_agreement: str
    line_delivery: str
    line_settlement: str
    line_summation: str
    order_id: str
    context: str


_D16B = _CiiPaths(
    document="ExchangedDocument",
    transaction="SupplyChainTradeTransaction",
    agreement="ApplicableHeaderTradeAgreement",
    settlement="ApplicableHeaderTradeSettlement",
    summation="SpecifiedTradeSettlementHeaderMonetarySummation",
    rate="RateApplicablePercent",
    line_agreement="SpecifiedLineTradeAgreement",
    line_delivery="SpecifiedLineTradeDelivery",
    line_settlement="SpecifiedLineTradeSettlement",
    line_summation="SpecifiedTradeSettlementLineMonetarySummation",
    order_id="IssuerAssignedID",
    context="ExchangedDocumentContext",
)
_ZF1 = _CiiPaths(
    document="HeaderExchangedDocument",
    transaction="SpecifiedSupplyChainTradeTransaction",
    agreement="ApplicableSupplyChainTradeAgreement",
    settlement="ApplicableSupplyChainTradeSettlement",
    summation="SpecifiedTradeSettlementMonetarySummation",
    rate="ApplicablePercent",
    line_agreement="SpecifiedSupplyChainTradeAgreement",
    line_delivery="SpecifiedSupplyChainTradeDelivery",
    line_settlement="SpecifiedSupplyChainTradeSettlement",
    line_summation="SpecifiedTradeSettlementMonetarySummation",
    order_id="ID",
    context="SpecifiedExchangedDocumentContext",
)


def _vat_id(party: ET.Element | None, path: str) -> str | None:
    ids = [n for n in _all(party, path) if n.text and n.text.strip()]
    vat = [n for n in ids if (n.get("schemeID") or "").upper() == "VA"]
    return re.sub(r"\s+", "", vat[0].text) if vat and vat[0].text else None


def _first_valid_iban(nodes: list[ET.Element]) -> str | None:
    for node in nodes:
        if node.text and iban_is_valid(node.text):
            return normalize_iban(node.text)
    return None


def _read_cii(root: ET.Element, paths: _CiiPaths) -> tuple[dict[str, Any], dict[str, Any]]:
    """(fields, extra) where extra holds values only the EN 16931 checks need."""
    trade = _one(root, paths.transaction)
    agreement = _one(trade, paths.agreement)
    settlement = _one(trade, paths.settlement)
    summation = _one(settlement, paths.summation)
    seller = _one(agreement, "SellerTradeParty")
    currency = _text(settlement, "InvoiceCurrencyCode")

    breakdown = []
    for tax in _all(settlement, "ApplicableTradeTax"):
        breakdown.append(
            {
                "rate": _rate(_number(tax, paths.rate)),
                "netAmount": _number(tax, "BasisAmount"),
                "taxAmount": _number(tax, "CalculatedAmount"),
            }
        )
    lines = []
    for item in _all(trade, "IncludedSupplyChainTradeLineItem"):
        quantity_node = _one(item, f"{paths.line_delivery}/BilledQuantity")
        lines.append(
            {
                "description": _text(item, "SpecifiedTradeProduct/Name")
                or _text(item, "SpecifiedTradeProduct/Description"),
                "quantity": _decimal(quantity_node.text if quantity_node is not None else None),
                "unit": quantity_node.get("unitCode") if quantity_node is not None else None,
                "unitPrice": _number(
                    item, f"{paths.line_agreement}/NetPriceProductTradePrice/ChargeAmount"
                ),
                "netAmount": _number(
                    item, f"{paths.line_settlement}/{paths.line_summation}/LineTotalAmount"
                ),
                "taxRate": _rate(
                    _number(item, f"{paths.line_settlement}/ApplicableTradeTax/{paths.rate}")
                ),
            }
        )
    payment_means = _all(settlement, "SpecifiedTradeSettlementPaymentMeans")
    terms = _all(settlement, "SpecifiedTradePaymentTerms")
    tax_total = _number(summation, "TaxTotalAmount", currency)
    if tax_total is None and breakdown and all(b["taxAmount"] is not None for b in breakdown):
        tax_total = sum((b["taxAmount"] or Decimal(0) for b in breakdown), Decimal(0))
    fields: dict[str, Any] = {
        "vendorName": _text(seller, "Name"),
        "invoiceNumber": _text(root, f"{paths.document}/ID"),
        "invoiceDate": _date(root, f"{paths.document}/IssueDateTime/DateTimeString"),
        "dueDate": next(
            (d for t in terms if (d := _date(t, "DueDateDateTime/DateTimeString"))), None
        ),
        "totalAmount": _number(summation, "GrandTotalAmount", currency),
        "taxAmount": tax_total,
        "currency": currency,
        "netAmount": _number(summation, "TaxBasisTotalAmount", currency),
        "sellerVatId": _vat_id(seller, "SpecifiedTaxRegistration/ID"),
        "buyerName": _text(agreement, "BuyerTradeParty/Name"),
        "iban": _first_valid_iban(
            [
                n
                for pm in payment_means
                for n in _all(pm, "PayeePartyCreditorFinancialAccount/IBANID")
            ]
        ),
        "bic": next(
            (
                b
                for pm in payment_means
                if (b := _text(pm, "PayeeSpecifiedCreditorFinancialInstitution/BICID"))
            ),
            None,
        ),
        "orderReference": _text(agreement, f"BuyerOrderReferencedDocument/{paths.order_id}")
        or _text(agreement, "BuyerReference"),
        "paymentTerms": next((d for t in terms if (d := _text(t, "Description"))), None),
        "taxBreakdown": breakdown,
        "lineItems": lines,
    }
    extra = {
        "typeCode": _text(root, f"{paths.document}/TypeCode"),
        "lineTotal": _number(summation, "LineTotalAmount", currency),
        "allowances": _number(summation, "AllowanceTotalAmount", currency),
        "charges": _number(summation, "ChargeTotalAmount", currency),
        "prepaid": _number(summation, "TotalPrepaidAmount", currency),
        "rounding": _number(summation, "RoundingAmount", currency),
        "payable": _number(summation, "DuePayableAmount", currency),
        "specification": _text(
            root, f"{paths.context}/GuidelineSpecifiedDocumentContextParameter/ID"
        ),
    }
    return fields, extra


# --- UBL ---------------------------------------------------------------------------------


def _read_ubl(root: ET.Element, credit: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    currency = _text(root, "DocumentCurrencyCode")
    supplier = _one(root, "AccountingSupplierParty/Party")
    totals = _one(root, "LegalMonetaryTotal")
    tax_totals = [
        t
        for t in _all(root, "TaxTotal")
        if _one(t, "TaxAmount") is not None
        and _one(t, "TaxAmount").get("currencyID") in (None, currency)  # type: ignore[union-attr]
    ] or _all(root, "TaxTotal")
    breakdown = [
        {
            "rate": _rate(_number(sub, "TaxCategory/Percent")),
            "netAmount": _number(sub, "TaxableAmount"),
            "taxAmount": _number(sub, "TaxAmount"),
        }
        for t in tax_totals[:1]
        for sub in _all(t, "TaxSubtotal")
    ]
    line_tag, quantity_tag = (
        ("CreditNoteLine", "CreditedQuantity")
        if credit
        else (
            "InvoiceLine",
            "InvoicedQuantity",
        )
    )
    lines = []
    for line in _all(root, line_tag):
        quantity_node = _one(line, quantity_tag)
        lines.append(
            {
                "description": _text(line, "Item/Name") or _text(line, "Item/Description"),
                "quantity": _decimal(quantity_node.text if quantity_node is not None else None),
                "unit": quantity_node.get("unitCode") if quantity_node is not None else None,
                "unitPrice": _number(line, "Price/PriceAmount"),
                "netAmount": _number(line, "LineExtensionAmount"),
                "taxRate": _rate(_number(line, "Item/ClassifiedTaxCategory/Percent")),
            }
        )
    vat_ids = [
        s
        for s in _all(supplier, "PartyTaxScheme")
        if (_text(s, "TaxScheme/ID") or "VAT").upper() == "VAT" and _text(s, "CompanyID")
    ]
    payment_means = _all(root, "PaymentMeans")
    fields: dict[str, Any] = {
        "vendorName": _text(supplier, "PartyName/Name")
        or _text(supplier, "PartyLegalEntity/RegistrationName"),
        "invoiceNumber": _text(root, "ID"),
        "invoiceDate": _date(root, "IssueDate"),
        "dueDate": _date(root, "DueDate")
        or next((d for pm in payment_means if (d := _date(pm, "PaymentDueDate"))), None),
        "totalAmount": _number(totals, "TaxInclusiveAmount", currency),
        "taxAmount": _number(tax_totals[0], "TaxAmount", currency) if tax_totals else None,
        "currency": currency,
        "netAmount": _number(totals, "TaxExclusiveAmount", currency),
        "sellerVatId": re.sub(r"\s+", "", _text(vat_ids[0], "CompanyID") or "") or None
        if vat_ids
        else None,
        "buyerName": _text(root, "AccountingCustomerParty/Party/PartyName/Name")
        or _text(root, "AccountingCustomerParty/Party/PartyLegalEntity/RegistrationName"),
        "iban": _first_valid_iban(
            [n for pm in payment_means for n in _all(pm, "PayeeFinancialAccount/ID")]
        ),
        "bic": next(
            (
                b
                for pm in payment_means
                if (b := _text(pm, "PayeeFinancialAccount/FinancialInstitutionBranch/ID"))
            ),
            None,
        ),
        "orderReference": _text(root, "OrderReference/ID") or _text(root, "BuyerReference"),
        "paymentTerms": _text(root, "PaymentTerms/Note"),
        "taxBreakdown": breakdown,
        "lineItems": lines,
    }
    extra = {
        "typeCode": _text(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode"),
        "lineTotal": _number(totals, "LineExtensionAmount", currency),
        "allowances": _number(totals, "AllowanceTotalAmount", currency),
        "charges": _number(totals, "ChargeTotalAmount", currency),
        "prepaid": _number(totals, "PrepaidAmount", currency),
        "rounding": _number(totals, "PayableRoundingAmount", currency),
        "payable": _number(totals, "PayableAmount", currency),
        "specification": _text(root, "CustomizationID"),
    }
    if fields["totalAmount"] is None:
        fields["totalAmount"] = extra["payable"]
    return fields, extra


def _rate(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.01")) if value is not None else None


# --- EN 16931 rules that matter for review ---------------------------------------------------

_MANDATORY = (
    ("BR-01", "specification", "specification identifier (BT-24)"),
    ("BR-02", "invoiceNumber", "invoice number (BT-1)"),
    ("BR-03", "invoiceDate", "issue date (BT-2)"),
    ("BR-04", "typeCode", "invoice type code (BT-3)"),
    ("BR-05", "currency", "invoice currency (BT-5)"),
    ("BR-06", "vendorName", "seller name (BT-27)"),
    ("BR-07", "buyerName", "buyer name (BT-44)"),
)


def _rule(name: str, passed: bool, message: str, fields: list[str]) -> dict[str, Any]:
    return {"name": name, "passed": passed, "message": message, "fields": fields}


def _sum_rule(
    name: str, parts: list[Decimal | None], whole: Decimal | None, text: str, fields: list[str]
) -> dict[str, Any] | None:
    if whole is None or not parts or any(p is None for p in parts):
        return None
    total = sum((p for p in parts if p is not None), Decimal(0))
    passed = abs(total - whole) <= tolerance(len(parts))
    return _rule(name, passed, f"{text}: {money(total)} vs {money(whole)}", fields)


def _less_plus(base: Decimal, less: Decimal | None, plus: Decimal | None) -> list[Decimal | None]:
    """The parts of ``base - less + plus``; an absent amount is no part (the tolerance of a sum
    rule grows with its number of parts)."""
    return [base, *([-less] if less is not None else []), *([plus] if plus is not None else [])]


def en16931_checks(fields: dict[str, Any], extra: dict[str, Any]) -> list[dict[str, Any]]:
    """BR-01..BR-07 (mandatory fields) and the BR-CO sums, on the values as written."""
    checks: list[dict[str, Any] | None] = []
    for rule, key, what in _MANDATORY:
        value = extra.get(key) if key in extra else fields.get(key)
        present = value is not None and value != ""
        api_field = [] if key in extra else [key]
        checks.append(
            _rule(rule, present, f"{what} {'present' if present else 'missing'}", api_field)
        )
    lines = fields["lineItems"]
    breakdown = fields["taxBreakdown"]
    if lines:
        checks.append(
            _sum_rule(
                "BR-CO-10",
                [line["netAmount"] for line in lines],
                extra["lineTotal"],
                "sum of line net amounts (BT-131) equals the line total (BT-106)",
                ["lineItems"],
            )
        )
    if extra["lineTotal"] is not None and fields["netAmount"] is not None:
        checks.append(
            _sum_rule(
                "BR-CO-13",
                _less_plus(extra["lineTotal"], extra["allowances"], extra["charges"]),
                fields["netAmount"],
                "line total - allowances + charges equals the total without VAT (BT-109)",
                ["netAmount"],
            )
        )
    if breakdown:
        checks.append(
            _sum_rule(
                "BR-CO-14",
                [b["taxAmount"] for b in breakdown],
                fields["taxAmount"],
                "sum of VAT per category (BT-117) equals the VAT total (BT-110)",
                ["taxBreakdown", "taxAmount"],
            )
        )
    if fields["netAmount"] is not None and fields["taxAmount"] is not None:
        checks.append(
            _sum_rule(
                "BR-CO-15",
                [fields["netAmount"], fields["taxAmount"]],
                fields["totalAmount"],
                "total without VAT + VAT equals the total with VAT (BT-112)",
                ["netAmount", "taxAmount", "totalAmount"],
            )
        )
    if fields["totalAmount"] is not None and extra["payable"] is not None:
        checks.append(
            _sum_rule(
                "BR-CO-16",
                _less_plus(fields["totalAmount"], extra["prepaid"], extra["rounding"]),
                extra["payable"],
                "total with VAT - paid + rounding equals the amount due (BT-115)",
                ["totalAmount"],
            )
        )
    return [c for c in checks if c is not None]


# --- assembly ---------------------------------------------------------------------------


def _negate(value: Decimal | None) -> Decimal | None:
    return -value if value is not None else None


def _as_credit_note(fields: dict[str, Any]) -> None:
    for key in MONEY_FIELDS:
        fields[key] = _negate(fields[key])
    for entry in fields["taxBreakdown"]:
        entry["netAmount"], entry["taxAmount"] = (
            _negate(entry["netAmount"]),
            _negate(entry["taxAmount"]),
        )
    for line in fields["lineItems"]:
        line["netAmount"] = _negate(line["netAmount"])


def _strings(fields: dict[str, Any]) -> dict[str, Any]:
    """Decimals to decimal strings: money with two decimals, quantities as written."""
    out = dict(fields)
    for key in MONEY_FIELDS:
        out[key] = money(fields[key])
    out["taxBreakdown"] = [
        {key: money(b[key]) for key in ("rate", "netAmount", "taxAmount")}
        for b in fields["taxBreakdown"]
    ]
    out["lineItems"] = [
        {
            "description": line["description"],
            "quantity": money(line["quantity"]),
            "unit": line["unit"],
            "unitPrice": money(line["unitPrice"]),
            "netAmount": money(line["netAmount"]),
            "taxRate": money(line["taxRate"]),
        }
        for line in fields["lineItems"]
    ]
    return out


def _paid_status(total: Decimal | None, payable: Decimal | None) -> str | None:
    """Only a settled invoice says something: nothing left to pay of a non-zero total."""
    if total is not None and payable is not None and payable == 0 and total != 0:
        return "PAID"
    return None


def parse_xml(data: bytes) -> ET.Element:
    """The root element, parsed safely; raises ``EInvoiceError`` for refused or broken XML."""
    if len(data) > MAX_XML_BYTES:
        raise EInvoiceError(f"XML larger than {MAX_XML_BYTES // (1024 * 1024)} MiB is refused")
    if _FORBIDDEN.search(data):
        raise EInvoiceError("XML with a DOCTYPE or ENTITY declaration is refused")
    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise EInvoiceError(f"unsafe XML refused: {exc}") from exc
    except (ET.ParseError, ValueError, UnicodeError) as exc:
        raise EInvoiceError(f"malformed XML: {exc}") from exc


def flavour_of(root: ET.Element) -> str | None:
    tag = root.tag if isinstance(root.tag, str) else ""
    uri, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return _ROOTS.get((name, uri))


def read(data: bytes) -> EInvoice:
    """Everything one e-invoice says; raises ``EInvoiceError`` if it is not a usable invoice."""
    root = parse_xml(data)
    flavour = flavour_of(root)
    if flavour is None:
        raise EInvoiceError(f"not an e-invoice document: <{_local(root.tag)}>")
    if flavour == ZUGFERD1:
        fields, extra = _read_cii(root, _ZF1)
    elif flavour == CII:
        fields, extra = _read_cii(root, _D16B)
    else:
        fields, extra = _read_ubl(root, credit=flavour == UBL_CREDIT_NOTE)
    if not fields["invoiceNumber"] and fields["totalAmount"] is None:
        raise EInvoiceError("invoice XML without number and total")
    checks = en16931_checks(fields, extra)
    credit = flavour == UBL_CREDIT_NOTE or extra["typeCode"] in _CREDIT_CODES
    fields["status"] = _paid_status(fields["totalAmount"], extra["payable"])
    if credit and (fields["totalAmount"] or 0) > 0:
        _as_credit_note(fields)
    if fields["dueDate"] is None and fields["paymentTerms"] and fields["invoiceDate"]:
        due = due_from_terms(fields["paymentTerms"], dt.date.fromisoformat(fields["invoiceDate"]))
        fields["dueDate"] = due.isoformat() if due else None
    return EInvoice(flavour, extra["specification"], _strings(fields), checks)


def read_einvoice(data: bytes) -> dict[str, Any]:
    """Fields from one XML document (kept for callers that only need the values)."""
    return read(data).fields


def find_einvoice(files: list[tuple[str, bytes]]) -> EInvoice | None:
    """The first embedded file whose content is an e-invoice, or ``None`` (text path only)."""
    for _name, data in files:
        if sniff_einvoice(data) is None:
            continue
        try:
            return read(data)
        except EInvoiceError:
            continue
    return None
