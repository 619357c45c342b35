"""Ids from clients: one parser and one error for every id argument, REST and GraphQL alike.

Documents and jobs are named by UUIDs, job events by their bigint id. Only plain ASCII is
accepted (``uuid.UUID`` and ``int`` would also take fullwidth or Arabic-Indic digits, braces,
``urn:uuid:`` prefixes), and a bad value is echoed back cut to ``ECHO_CHARS`` characters, so a
megabyte sent as an id never comes back in the answer or the logs.

A malformed document or job id names nothing that exists: ``NotFound`` (HTTP 404, GraphQL
``NotFoundError``), exactly like a well-formed id nobody has. A malformed event id is a bad resume
position, not a missing object: ``ValidationFailed`` (HTTP 422, ``VALIDATION_ERROR``).
"""

from __future__ import annotations

import re
import uuid
from typing import Literal

from api.errors import NotFound, ValidationFailed

ECHO_CHARS = 100
MAX_EVENT_ID_DIGITS = 18  # below PostgreSQL's bigint maximum (9223372036854775807)
# 8-4-4-4-12 hex digits, with hyphens between all groups or none
_UUID = re.compile(
    r"[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}", re.IGNORECASE
)
_DIGITS = re.compile(r"[0-9]+")
_BLANK = " \t\r\n"

IdKind = Literal["document", "job", "user", "token"]


def shown(value: object) -> str:
    """``value`` for an error message: its repr, cut to ``ECHO_CHARS`` characters."""
    text = value if isinstance(value, str) else str(value)
    return repr(text[:ECHO_CHARS]) + ("…" if len(text) > ECHO_CHARS else "")


def parse_id(value: object, kind: IdKind, *, field: str = "id") -> uuid.UUID:
    """The UUID of a document or job; ``NotFound`` (naming ``field``) when malformed."""
    text = value.strip(_BLANK) if isinstance(value, str) else ""
    if not _UUID.fullmatch(text):
        raise NotFound(f"{kind} {shown(value)} does not exist (not a valid id)", field=field)
    return uuid.UUID(text)


def parse_event_id(value: object, *, field: str) -> int:
    """A job event id (a resume position): ASCII digits within bigint; else ValidationFailed."""
    text = value.strip(_BLANK) if isinstance(value, str) else str(value)
    if not _DIGITS.fullmatch(text) or len(text) > MAX_EVENT_ID_DIGITS:
        raise ValidationFailed(
            f"{field} must be a job event id (a non-negative integer); got {shown(value)}",
            field=field,
        )
    return int(text)
