"""What each role may do: the one table every door (REST, GraphQL, WebSocket, CLI) consults.

The table mirrors the contract (API.md "Authentication"): ``admin`` everything; ``reviewer``
upload, review (also finalize, retry, cancel) and export; ``uploader`` upload; ``viewer``
export. Every role reads and manages its own API tokens.
"""

from __future__ import annotations

from enum import StrEnum

from api.auth.actor import Actor
from api.errors import Forbidden, Unauthenticated
from db.models import Role


class Permission(StrEnum):
    READ = "read"
    UPLOAD = "upload"
    REVIEW = "review"  # review, finalize, retry, cancel
    EXPORT = "export"
    ADMIN = "admin"  # users, every token, settings


POLICY: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.REVIEWER: frozenset(
        {Permission.READ, Permission.UPLOAD, Permission.REVIEW, Permission.EXPORT}
    ),
    Role.UPLOADER: frozenset({Permission.READ, Permission.UPLOAD}),
    Role.VIEWER: frozenset({Permission.READ, Permission.EXPORT}),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in POLICY[role]


def authorize(actor: Actor | None, permission: Permission) -> Actor:
    """The actor, if it may do ``permission``; else UNAUTHENTICATED (none) or FORBIDDEN."""
    if actor is None:
        raise Unauthenticated("sign in or send an API token (Authorization: Bearer …)")
    if not allows(actor.role, permission):
        raise Forbidden(f"the {actor.role.value} role may not {permission.value}")
    return actor


def may_grant(owner: Role, wanted: Role) -> bool:
    """A token may carry a role that can do nothing its owner's cannot (an uploader cannot
    mint a viewer token: viewers export, uploaders do not)."""
    return POLICY[wanted] <= POLICY[owner]
