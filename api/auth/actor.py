"""The caller, resolved once at the edge (HTTP request or WebSocket connection)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from db.models import Role

ActorKind = Literal["user", "token", "system"]


@dataclass(frozen=True)
class Actor:
    """A signed-in user (web session), an API token, or the system itself (CLI, worker).

    ``id`` is the user's id for a session and the token's id for a token (what the audit trail
    and the rate limiter key on); ``user_id`` is always the (owning) user. ``credential_id``
    is the session or token row a long-lived connection re-checks.
    """

    kind: ActorKind
    id: uuid.UUID | None
    label: str
    role: Role
    user_id: uuid.UUID | None = None
    credential_id: uuid.UUID | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


SYSTEM = Actor(kind="system", id=None, label="system", role=Role.ADMIN)
