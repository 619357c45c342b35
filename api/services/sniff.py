"""What an uploaded file is, from its first bytes (never from its name): a PDF, or an e-invoice
XML (UN/CEFACT CII: ZUGFeRD 2 / Factur-X / XRechnung, ZUGFeRD 1; OASIS UBL Invoice, CreditNote).

The XML is untrusted. The sniffer is a bounded pull-parse that stops at the root element's start
tag: a document type declaration (which is where entities, and so "billion laughs" and external
entities, live) is refused as soon as it starts, nothing is expanded and nothing is fetched
(expat resolves no external entities unless asked to). Because a DOCTYPE can only come before the
root element, a file whose root start tag is reached without one cannot declare an entity later.
The worker parses the whole file with the same refusal (``worker.extraction``).
"""

from __future__ import annotations

from xml.parsers import expat

from api.errors import RejectedUpload

PDF_MIME = "application/pdf"
XML_MIME = "application/xml"
EXTENSIONS = {PDF_MIME: "pdf", XML_MIME: "xml"}
# The PDF header may follow up to 1 KiB of junk (ISO 32000-1, 7.5.2); readers accept that.
PDF_HEADER_WINDOW = 1024
# An e-invoice's root element must start within this many bytes (after the XML declaration,
# comments and processing instructions).
XML_ROOT_WINDOW = 64 * 1024

# An e-invoice is text of a few hundred KiB at most; a larger XML is refused at upload (the worker
# parses XML whole, in memory).
MAX_XML_BYTES = 10 * 1024 * 1024
# (namespace, local name) of the accepted roots.
EINVOICE_ROOTS = frozenset(
    {
        ("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100", "CrossIndustryInvoice"),
        ("urn:ferd:CrossIndustryDocument:invoice:1p0", "CrossIndustryDocument"),
        ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice"),
        ("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote"),
    }
)
ACCEPTED = "only PDF files and e-invoice XML (CII/ZUGFeRD/Factur-X/XRechnung, UBL) are accepted"


def unsupported(why: str) -> RejectedUpload:
    return RejectedUpload(f"{why}; {ACCEPTED}", code="UNSUPPORTED_TYPE")


class _RootFound(Exception):
    pass


class XmlRootSniffer:
    """Feed the file's bytes in order; ``root`` is ``(namespace, local name)`` once known."""

    def __init__(self) -> None:
        self.root: tuple[str, str] | None = None
        self.fed = 0
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser.StartDoctypeDeclHandler = self._doctype
        self._parser.EntityDeclHandler = self._entity
        self._parser.StartElementHandler = self._start

    @staticmethod
    def _doctype(*_: object) -> None:
        raise unsupported("XML with a document type declaration (DOCTYPE) is refused")

    @staticmethod
    def _entity(*_: object) -> None:
        raise unsupported("XML that declares entities is refused")

    def _start(self, name: str, _attributes: object) -> None:
        namespace, _, local = name.rpartition(" ")
        self.root = (namespace, local)
        raise _RootFound

    def feed(self, data: bytes, final: bool = False) -> bool:
        """True once the root element is known (feed nothing more then)."""
        self.fed += len(data)
        try:
            self._parser.Parse(data, final)
        except _RootFound:
            return True
        except expat.ExpatError as error:
            raise unsupported(f"not a PDF, and not well-formed XML ({error})") from None
        if final:
            raise unsupported("not a PDF, and no XML root element")
        if self.fed > XML_ROOT_WINDOW:
            raise unsupported(
                f"not a PDF, and no XML root element within the first {XML_ROOT_WINDOW} bytes"
            )
        return False

    def mime_type(self) -> str:
        assert self.root is not None
        if self.root not in EINVOICE_ROOTS:
            namespace, local = self.root
            shown = f"{{{namespace}}}{local}" if namespace else local
            raise unsupported(f"XML whose root element {shown[:200]!r} is not an e-invoice")
        return XML_MIME


def looks_like_xml(head: bytes) -> bool:
    """Starts (after a byte order mark and white space) with ``<``, in UTF-8 or UTF-16."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    stripped = head.replace(b"\x00", b"").lstrip(b" \t\r\n")
    return stripped.startswith(b"<")
