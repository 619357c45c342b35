"""Credentials → ``Actor``: an API token (``Authorization: Bearer``) or a session cookie.

Resolved once per HTTP request (``api.auth.http``) or WebSocket connection (``schema.app``).
A long-lived connection is re-checked every few seconds (an SSE stream with :func:`still_valid`,
a process's WebSockets all together with :func:`invalid_credentials`), so a revoked token or
session, or a disabled user, loses its open subscriptions and streams.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import Actor
from api.auth.policy import may_grant
from api.auth.secrets import credential_hash
from db.models import ApiToken, Role, User, WebSession

SESSION_COOKIE = "paperlane_session"
# last_used_at / last_seen_at are written at most this often per credential (not per request).
TOUCH_EVERY = timedelta(minutes=1)


def bearer_of(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value (scheme case-insensitive)."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return token


def _stale(moment: datetime | None, now: datetime) -> bool:
    return moment is None or now - moment >= TOUCH_EVERY


def token_actor(token: ApiToken, user: User) -> Actor:
    owner = Role(user.role)
    role = Role(token.role)
    # The owner may have been demoted since: a token never does more than its owner may.
    effective = role if may_grant(owner, role) else owner
    return Actor(
        kind="token",
        id=token.id,
        label=f"{token.name} ({user.email})",
        role=effective,
        user_id=user.id,
        credential_id=token.id,
    )


def user_actor(user: User, session_id: object | None = None) -> Actor:
    return Actor(
        kind="user",
        id=user.id,
        label=user.email,
        role=Role(user.role),
        user_id=user.id,
        credential_id=session_id,  # type: ignore[arg-type]
    )


async def actor_for_token(
    session: AsyncSession, key: bytes, token: str, *, touch: bool = True
) -> Actor | None:
    now = datetime.now(UTC)
    row = (
        await session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == credential_hash(key, token))
        )
    ).one_or_none()
    if row is None:
        return None
    api_token, user = row
    if (
        api_token.revoked_at is not None
        or (api_token.expires_at is not None and api_token.expires_at <= now)
        or user.disabled
    ):
        return None
    if touch and _stale(api_token.last_used_at, now):
        await session.execute(
            update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now)
        )
        await session.commit()
    return token_actor(api_token, user)


async def actor_for_session(
    session: AsyncSession, key: bytes, secret: str, *, touch: bool = True
) -> Actor | None:
    now = datetime.now(UTC)
    if not secret or len(secret) > 200:
        return None
    row = (
        await session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == credential_hash(key, secret))
        )
    ).one_or_none()
    if row is None:
        return None
    web_session, user = row
    if web_session.revoked_at is not None or web_session.expires_at <= now or user.disabled:
        return None
    if touch and _stale(web_session.last_seen_at, now):
        await session.execute(
            update(WebSession).where(WebSession.id == web_session.id).values(last_seen_at=now)
        )
        await session.commit()
    return user_actor(user, web_session.id)


async def resolve(
    session: AsyncSession, key: bytes, *, authorization: str | None, cookie: str | None
) -> Actor | None:
    """A bearer token wins over a cookie; an invalid credential is no credential (None)."""
    token = bearer_of(authorization)
    if token is not None:
        return await actor_for_token(session, key, token)
    if cookie:
        return await actor_for_session(session, key, cookie)
    return None


async def still_valid(session: AsyncSession, actor: Actor) -> bool:
    """Whether the actor's token or session is still usable (not revoked, expired, disabled)."""
    now = datetime.now(UTC)
    if actor.kind == "system":
        return True
    if actor.kind == "token":
        row = (
            await session.execute(
                select(ApiToken.revoked_at, ApiToken.expires_at, User.disabled)
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.id == actor.credential_id)
            )
        ).one_or_none()
    else:
        row = (
            await session.execute(
                select(WebSession.revoked_at, WebSession.expires_at, User.disabled)
                .join(User, User.id == WebSession.user_id)
                .where(WebSession.id == actor.credential_id)
            )
        ).one_or_none()
    if row is None:
        return False
    revoked_at, expires_at, disabled = row
    return revoked_at is None and not disabled and (expires_at is None or expires_at > now)


async def invalid_credentials(
    session: AsyncSession, actors: Iterable[Actor]
) -> set[tuple[str, uuid.UUID]]:
    """``still_valid`` for many connections at once: the (kind, credential id) of those no
    longer usable, in one query per kind (a process re-checks all its WebSockets together)."""
    now = datetime.now(UTC)
    wanted: dict[str, set[uuid.UUID]] = {"token": set(), "session": set()}
    for actor in actors:
        if actor.kind != "system" and actor.credential_id is not None:
            wanted["token" if actor.kind == "token" else "session"].add(actor.credential_id)
    invalid: set[tuple[str, uuid.UUID]] = set()
    for kind, model in (("token", ApiToken), ("session", WebSession)):
        ids = wanted[kind]
        if not ids:
            continue
        rows = await session.execute(
            select(model.id, model.revoked_at, model.expires_at, User.disabled)
            .join(User, User.id == model.user_id)
            .where(model.id.in_(ids))
        )
        usable = {
            row_id
            for row_id, revoked_at, expires_at, disabled in rows
            if revoked_at is None and not disabled and (expires_at is None or expires_at > now)
        }
        invalid.update((kind, credential) for credential in ids - usable)
    return invalid
