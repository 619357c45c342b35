"""HTTP range requests (RFC 9110 §14) for stored files: one byte range, or the whole file.

The PDF viewer (pdf.js) asks for ranges to show the first page of a large file before the rest
arrives. Only a single range is honoured; a multi-range request gets the whole file (200), which
RFC 9110 allows and which spares a multipart/byteranges body. A header that is not a byte range
at all is ignored (200, as the RFC says); a syntactically valid range that starts past the end is
``416`` with ``Content-Range: bytes */size``.
"""

from __future__ import annotations

import re

# bytes=start-end | bytes=start- | bytes=-suffix, with at most 19 digits (bigint) per number.
_RANGE = re.compile(r"bytes=(\d{0,19})-(\d{0,19})", re.ASCII)
MAX_HEADER = 200


class RangeNotSatisfiable(Exception):
    def __init__(self, size: int):
        super().__init__(f"range not satisfiable (the file has {size} bytes)")
        self.size = size


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(offset, length)`` to send, or ``None`` for the whole file (no usable Range header)."""
    if header is None or len(header) > MAX_HEADER:
        return None
    match = _RANGE.fullmatch(header.strip().replace(" ", ""))
    if match is None:  # not bytes=, several ranges, garbage: ignored
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - suffix), min(suffix, size)
    start = int(first)
    end = size - 1 if not last else min(int(last), size - 1)
    if last and int(last) < start:
        return None  # invalid: ignored (RFC 9110 §14.1.1)
    if start >= size:
        raise RangeNotSatisfiable(size)
    return start, end - start + 1
