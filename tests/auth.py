"""Test identities: users and API tokens of each role, made straight in the database.

Argon2 hashing costs about a second here, so every test user shares one password hash computed
once per session (``PASSWORD``); tokens are made by ``AccountService.create_token`` (HMAC only).
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from functools import lru_cache

from api.auth.actor import SYSTEM
from api.auth.secrets import TOKEN_PREFIX, credential_hash, hash_password, server_key
from api.context import AppContext
from api.effects import commit
from api.services.accounts import AccountService
from db.models import Role, User

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL = "admin@paperlane.test"
# The session admin's token (``conftest.admin``), known at import so that any test module, even one
# talking to a live server over raw HTTP or WebSockets, can send it without fixture plumbing.
ADMIN_TOKEN = TOKEN_PREFIX + secrets.token_urlsafe(32)
ADMIN_HEADERS = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def connection_init(token: str | None = ADMIN_TOKEN) -> str:
    """A WebSocket ``connection_init`` message carrying ``token`` (both protocols)."""
    payload = {"authorization": f"Bearer {token}"} if token else {}
    return json.dumps({"type": "connection_init", "payload": payload})


@lru_cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass(frozen=True)
class Identity:
    user_id: uuid.UUID
    email: str
    role: Role
    token_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def make_identity(
    ctx: AppContext,
    role: Role | str,
    email: str | None = None,
    *,
    token_role: Role | str | None = None,
    expires_in_days: int | None = None,
    token: str | None = None,
) -> Identity:
    """A user of ``role`` (password ``PASSWORD``) with one API token (``token``: that one)."""
    role = Role(role)
    address = email or f"{role.value}-{uuid.uuid4().hex[:8]}@paperlane.test"
    async with ctx.session() as session:
        user = User(email=address, role=role.value, password_hash=password_hash())
        session.add(user)
        await session.flush()
        service = AccountService(session, ctx.settings, server_key(ctx.settings))
        created = await service.create_token(
            SYSTEM,
            f"test {role.value}",
            role=token_role,
            expires_in_days=expires_in_days,
            owner=user,
        )
        secret = created.secret
        if token is not None:
            created.token.token_hash = credential_hash(server_key(ctx.settings), token)
            secret = token
        await commit(session)
    return Identity(user.id, address, role, created.token.id, secret)
