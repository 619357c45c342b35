"""Sniffing uploads by content: e-invoice XML by its root element and namespace, anything else
(and every hostile XML) refused before a byte is stored. Pure: no servers."""

from __future__ import annotations

import pytest

from api.errors import RejectedUpload
from api.services.sniff import XML_MIME, XML_ROOT_WINDOW, XmlRootSniffer
from api.services.uploads import _Checked
from tests.fixtures import EINVOICES

CII = (EINVOICES / "cii-xrechnung.xml").read_bytes()
UBL = (EINVOICES / "ubl-invoice.xml").read_bytes()

UBL_CREDIT_NOTE = (
    b'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2">'
    b"<ID>1</ID></CreditNote>"
)
ZUGFERD_1 = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryDocument '
    b'xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>'
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol3;</Invoice>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>"""
PLAIN_DOCTYPE = (
    b'<!DOCTYPE Invoice SYSTEM "http://example.invalid/invoice.dtd">'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
XHTML = b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="1"/></svg>'
WRONG_NAMESPACE = b'<Invoice xmlns="urn:example:not-ubl"><ID>1</ID></Invoice>'
NO_NAMESPACE = b"<CrossIndustryInvoice><ID>1</ID></CrossIndustryInvoice>"
NOT_WELL_FORMED = b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'"
LATE_ROOT = b"<?xml version='1.0'?><!--" + b"x" * (XML_ROOT_WINDOW + 10) + b"-->" + UBL_CREDIT_NOTE


async def _sniff(data: bytes, chunk: int = 7, limit: int = 50 * 1024 * 1024) -> _Checked:
    async def chunks():
        for i in range(0, len(data), chunk):
            yield data[i : i + chunk]

    checked = _Checked(chunks(), limit)
    await checked.sniff()
    return checked


@pytest.mark.parametrize(
    "data",
    [
        CII,
        UBL,
        UBL_CREDIT_NOTE,
        ZUGFERD_1,
        b"\xef\xbb\xbf" + UBL,
        UBL.decode().replace("UTF-8", "UTF-16").encode("utf-16"),
    ],
    ids=["cii", "ubl", "credit-note", "zugferd-1", "bom", "utf-16"],
)
async def test_einvoice_roots_are_xml(data):
    checked = await _sniff(data)
    assert checked.mime_type == XML_MIME
    assert b"".join([c async for c in checked]) == data  # every byte passes through, in order


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (BILLION_LAUGHS, "DOCTYPE"),
        (EXTERNAL_ENTITY, "DOCTYPE"),
        (PLAIN_DOCTYPE, "DOCTYPE"),
        (HTML, "DOCTYPE"),
        (XHTML, "is not an e-invoice"),
        (SVG, "is not an e-invoice"),
        (WRONG_NAMESPACE, "is not an e-invoice"),
        (NO_NAMESPACE, "is not an e-invoice"),
        (NOT_WELL_FORMED, "not well-formed"),
        (b'<?xml version="1.0"?>\n<!-- only a comment -->', "no element found"),
        (b"< Invoice/>", "not well-formed"),
        (LATE_ROOT, f"first {XML_ROOT_WINDOW} bytes"),
        (b"hello, world", "no PDF header"),
        (b"\x00\x01\x02" * 1000, "no PDF header"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "doctype",
        "html",
        "xhtml",
        "svg",
        "wrong-namespace",
        "no-namespace",
        "truncated",
        "no-root",
        "malformed",
        "late-root",
        "text",
        "binary",
    ],
)
async def test_other_content_is_unsupported(data, says):
    with pytest.raises(RejectedUpload) as error:
        await _sniff(data)
    assert error.value.code == "UNSUPPORTED_TYPE"
    assert says in error.value.message


async def test_empty_and_too_large():
    with pytest.raises(RejectedUpload) as error:
        await _sniff(b"")
    assert error.value.code == "EMPTY_FILE"
    with pytest.raises(RejectedUpload) as error:
        checked = await _sniff(CII, limit=len(CII) - 1)
        [c async for c in checked]  # the limit holds past the sniffed head too
    assert error.value.code == "FILE_TOO_LARGE"


async def test_sniffer_stops_at_the_root_start_tag():
    sniffer = XmlRootSniffer()
    # The root is known before the (never fed) rest, so a body cannot smuggle anything in.
    assert sniffer.feed(UBL_CREDIT_NOTE[:80])
    assert sniffer.mime_type() == XML_MIME
