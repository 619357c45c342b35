"""The audit trail: services call :func:`record` in the transaction of the change they make,
so a change and its audit row are committed (or rolled back) together."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import SYSTEM, Actor
from db.models import AuditEvent

# Document actions (Document.history) and account actions.
UPLOADED = "UPLOADED"
REVIEWED = "REVIEWED"
FINALIZED = "FINALIZED"
# Finalized although it looked like another document; changes name the lookalikes.
DUPLICATE_CONFIRMED = "DUPLICATE_CONFIRMED"
RETRIED = "RETRIED"
CANCELLED = "CANCELLED"
EXPORTED = "EXPORTED"
SIGNED_IN = "SIGNED_IN"
SIGNED_OUT = "SIGNED_OUT"
TOKEN_CREATED = "TOKEN_CREATED"
TOKEN_REVOKED = "TOKEN_REVOKED"
USER_CREATED = "USER_CREATED"
USER_UPDATED = "USER_UPDATED"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Sequence[str] | None = None
) -> list[dict[str, str | None]]:
    """``[{field, before, after}]`` for each field whose value differs (values as text)."""
    names = fields if fields is not None else sorted(set(before) | set(after))
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old != new:
            changes.append({"field": name, "before": _text(old), "after": _text(new)})
    return changes


def record(
    session: AsyncSession,
    actor: Actor | None,
    action: str,
    *,
    document_id: uuid.UUID | None = None,
    changes: list[dict[str, str | None]] | None = None,
) -> AuditEvent:
    who = actor or SYSTEM
    event = AuditEvent(
        actor_kind=who.kind,
        actor_id=who.id,
        actor_label=who.label,
        action=action,
        document_id=document_id,
        changes=changes or [],
    )
    session.add(event)
    return event


async def history(session: AsyncSession, document_id: uuid.UUID) -> list[AuditEvent]:
    rows = await session.scalars(
        select(AuditEvent).where(AuditEvent.document_id == document_id).order_by(AuditEvent.id)
    )
    return list(rows)


async def histories(
    session: AsyncSession, document_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[AuditEvent]]:
    rows = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.document_id.in_(document_ids))
        .order_by(AuditEvent.document_id, AuditEvent.id)
    )
    out: dict[uuid.UUID, list[AuditEvent]] = {d: [] for d in document_ids}
    for row in rows:
        assert row.document_id is not None
        out[row.document_id].append(row)
    return out


async def finalizers(
    session: AsyncSession, document_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, AuditEvent]:
    """Each document's (latest) FINALIZED audit row, one query per batch."""
    if not document_ids:
        return {}
    rows = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.document_id.in_(document_ids), AuditEvent.action == FINALIZED)
        .order_by(AuditEvent.document_id, AuditEvent.id.desc())
        .ext(distinct_on(AuditEvent.document_id))
    )
    return {row.document_id: row for row in rows if row.document_id is not None}


def actor_json(event: AuditEvent) -> dict[str, str | None]:
    return {
        "kind": event.actor_kind,
        "id": str(event.actor_id) if event.actor_id else None,
        "name": event.actor_label,
    }
