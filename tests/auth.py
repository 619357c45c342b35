"""Test identities: users and API tokens of each role, made straight in the database.

Argon2 hashing costs about a second here, so every test user shares one password hash computed
once per session (``PASSWORD``); tokens are made by ``AccountService.create_token`` (HMAC only).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache

from api.auth.actor import SYSTEM
from api.auth.secrets import hash_password, server_key
from api.context import AppContext
from api.effects import commit
from api.services.accounts import AccountService
from db.models import Role, User

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL = "admin@paperlane.test"


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
) -> Identity:
    """A user of ``role`` (password ``PASSWORD``) with one API token."""
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
        await commit(session)
    return Identity(user.id, address, role, created.token.id, created.secret)
