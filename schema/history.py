"""The audit trail in GraphQL: ``Document.history`` entries, each with its actor and changes."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import AuditEvent


@strawberry.type(name="Actor", description="Who did something: a user, an API token or the system.")
class AuditActor:
    kind: str = strawberry.field(description='"user", "token" or "system".')
    id: strawberry.ID | None = strawberry.field(description="The user's or token's id.")
    name: str = strawberry.field(
        description="The user's email, or the token's name and owner, as they were at the time."
    )


@strawberry.type(description="One field's value before and after a change (as text).")
class FieldChange:
    field: str = strawberry.field(description="The field (camelCase), or what changed.")
    before: str | None = strawberry.field(description="The value before; null: none.")
    after: str | None = strawberry.field(description="The value after; null: cleared.")


@strawberry.type(description="One entry of the audit trail.")
class HistoryEntry:
    row: strawberry.Private[AuditEvent]

    @strawberry.field(description="The entry's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(
        description="UPLOADED, REVIEWED, FINALIZED, RETRIED, CANCELLED, EXPORTED (documents); "
        "SIGNED_IN, TOKEN_CREATED, TOKEN_REVOKED, USER_CREATED, USER_UPDATED (accounts)."
    )
    def action(self) -> str:
        return self.row.action

    @strawberry.field(description="Who did it.")
    def actor(self) -> AuditActor:
        row = self.row
        return AuditActor(
            kind=row.actor_kind,
            id=strawberry.ID(str(row.actor_id)) if row.actor_id else None,
            name=row.actor_label,
        )

    @strawberry.field(description="When.")
    def occurred_at(self) -> datetime:
        return self.row.occurred_at

    @strawberry.field(description="What changed (a review: each field's before and after).")
    def changes(self) -> list[FieldChange]:
        return [
            FieldChange(field=c.get("field", ""), before=c.get("before"), after=c.get("after"))
            for c in self.row.changes or []
        ]
