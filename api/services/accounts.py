"""Users, sign-in sessions and API tokens. Every change is authorized against the policy table
and audited in its own transaction; the caller commits.

Sign-in is throttled on failures only: at most ``login_failures_per_account`` per email and
``login_failures_per_address`` per client address in ``login_window_seconds``; beyond that,
429 ``TOO_MANY_ATTEMPTS`` (even with the right password) until the window ends. Unknown emails
cost the same Argon2 verification as known ones and get the same answer.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import Actor
from api.auth.identity import user_actor
from api.auth.policy import Permission, authorize, may_grant
from api.auth.secrets import (
    credential_hash,
    hash_password,
    new_api_token,
    new_session_secret,
    password_problem,
    server_key,
    verify_password,
)
from api.errors import NotFound, Unauthenticated, ValidationFailed
from api.rate_limit import Limit, RateLimited, RateLimiter
from api.services import audit
from api.settings import Settings
from db.models import ApiToken, Role, User, WebSession

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")
MAX_TOKEN_DAYS = 3650


class InvalidCredentials(Unauthenticated):
    """Wrong email or password, or a disabled user: one answer for all (HTTP 401)."""

    code = "INVALID_CREDENTIALS"


def normalize_email(email: str) -> str:
    value = (email or "").strip().lower()
    if not EMAIL.match(value) or len(value) > 320:
        raise ValidationFailed("not a valid email address", code="INVALID_EMAIL", field="email")
    return value


def parse_role(value: str | Role, field: str = "role") -> Role:
    try:
        return Role(str(getattr(value, "value", value)).lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValidationFailed(f"role must be one of {names}", field=field) from None


@dataclass
class SignIn:
    user: User
    secret: str  # the cookie value; never stored
    expires_at: datetime


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once; never stored


class AccountService:
    def __init__(self, session: AsyncSession, settings: Settings, key: bytes):
        self.session = session
        self.settings = settings
        self.key = key

    @classmethod
    def of(cls, session: AsyncSession, settings: Settings) -> AccountService:
        """The service with the server's key from ``settings`` (``AppContext.accounts``, and the
        CLI, which has no AppContext)."""
        return cls(session, settings, server_key(settings))

    # --- sign-in -------------------------------------------------------------------------

    async def sign_in(self, redis: Redis, email: str, password: str, address: str) -> SignIn:
        limiter = RateLimiter(redis)
        window = self.settings.login_window_seconds
        account = (email or "").strip().lower()[:320]
        budgets = [
            (f"account:{account}", Limit(self.settings.login_failures_per_account, window)),
            (address, Limit(self.settings.login_failures_per_address, window)),
        ]
        for caller, limit in budgets:
            decision = await limiter.peek("login", caller, limit)
            if not decision.allowed:
                raise RateLimited(
                    f"too many failed sign-ins; retry in {decision.retry_after} s",
                    retry_after=decision.retry_after,
                    code="TOO_MANY_ATTEMPTS",
                )
        user = await self.session.scalar(select(User).where(User.email == account))
        valid = await asyncio.to_thread(
            verify_password, user.password_hash if user else None, password or ""
        )
        if user is None or not valid or user.disabled:
            for caller, limit in budgets:
                await limiter.hit("login", caller, limit)
            raise InvalidCredentials("wrong email or password")
        secret = new_session_secret()
        now = datetime.now(UTC)
        expires_at = now + timedelta(hours=self.settings.session_hours)
        self.session.add(
            WebSession(
                token_hash=credential_hash(self.key, secret),
                user_id=user.id,
                expires_at=expires_at,
                last_seen_at=now,
            )
        )
        user.last_sign_in_at = now
        audit.record(self.session, user_actor(user), audit.SIGNED_IN)
        return SignIn(user=user, secret=secret, expires_at=expires_at)

    async def sign_out(self, secret: str | None) -> None:
        if not secret:
            return
        row = await self.session.scalar(
            update(WebSession)
            .where(
                WebSession.token_hash == credential_hash(self.key, secret),
                WebSession.revoked_at.is_(None),
            )
            .values(revoked_at=datetime.now(UTC))
            .returning(WebSession.user_id)
        )
        if row is not None:
            user = await self.session.get(User, row)
            if user is not None:
                audit.record(self.session, user_actor(user), audit.SIGNED_OUT)

    # --- users ---------------------------------------------------------------------------

    async def me(self, actor: Actor | None) -> User:
        actor = authorize(actor, Permission.READ)
        user = await self.session.get(User, actor.user_id) if actor.user_id else None
        if user is None:
            raise NotFound("the signed-in user does not exist")
        return user

    async def users(self, actor: Actor | None) -> list[User]:
        authorize(actor, Permission.ADMIN)
        return list(await self.session.scalars(select(User).order_by(User.created_at, User.id)))

    async def create_user(
        self, actor: Actor | None, email: str, role: str | Role, password: str
    ) -> User:
        authorize(actor, Permission.ADMIN)
        address = normalize_email(email)
        wanted = parse_role(role)
        problem = password_problem(password or "")
        if problem:
            raise ValidationFailed(problem, code="WEAK_PASSWORD", field="password")
        if await self.session.scalar(select(User.id).where(User.email == address)):
            raise ValidationFailed(
                f"a user with the email {address} exists", code="EMAIL_TAKEN", field="email"
            )
        password_hash = await asyncio.to_thread(hash_password, password)
        user = User(email=address, role=wanted.value, password_hash=password_hash)
        self.session.add(user)
        await self.session.flush()
        audit.record(
            self.session,
            actor,
            audit.USER_CREATED,
            changes=[
                {"field": "email", "before": None, "after": address},
                {"field": "role", "before": None, "after": wanted.value},
            ],
        )
        return user

    async def update_user(
        self,
        actor: Actor | None,
        user_id: uuid.UUID,
        *,
        role: str | Role | None = None,
        disabled: bool | None = None,
    ) -> User:
        """Change a user's role or disable them; disabling revokes their sessions and tokens
        (open WebSockets and SSE streams notice within ``auth_recheck_seconds``)."""
        actor = authorize(actor, Permission.ADMIN)
        user = await self.session.get(User, user_id, with_for_update=True)
        if user is None:
            raise NotFound(f"user {user_id} does not exist", field="id")
        if user.id == actor.user_id and (
            disabled or (role is not None and parse_role(role) is not Role.ADMIN)
        ):
            raise ValidationFailed(
                "admins cannot disable or demote themselves", code="SELF_LOCKOUT", field="id"
            )
        before = {"role": user.role, "disabled": user.disabled}
        if role is not None:
            user.role = parse_role(role).value
        if disabled is not None:
            user.disabled = disabled
        if user.disabled and not before["disabled"]:
            await self.revoke_all(user.id)
        after = {"role": user.role, "disabled": user.disabled}
        audit.record(
            self.session,
            actor,
            audit.USER_UPDATED,
            changes=[
                {"field": "user", "before": None, "after": user.email},
                *audit.field_changes(before, after, ["role", "disabled"]),
            ],
        )
        return user

    async def revoke_all(self, user_id: uuid.UUID) -> None:
        now = datetime.now(UTC)
        for model in (WebSession, ApiToken):
            await self.session.execute(
                update(model)
                .where(model.user_id == user_id, model.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    async def user_by_email(self, email: str) -> User:
        user = await self.session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None:
            raise NotFound(f"no user with the email {email}", field="email")
        return user

    # --- API tokens ----------------------------------------------------------------------

    async def tokens(self, actor: Actor | None) -> list[tuple[ApiToken, User]]:
        """The caller's own tokens; an admin sees everyone's."""
        actor = authorize(actor, Permission.READ)
        query = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        if not actor.is_admin:
            query = query.where(ApiToken.user_id == actor.user_id)
        rows = await self.session.execute(query.order_by(ApiToken.created_at, ApiToken.id))
        return [(t, u) for t, u in rows]

    async def create_token(
        self,
        actor: Actor | None,
        name: str,
        *,
        role: str | Role | None = None,
        expires_in_days: int | None = None,
        owner: User | None = None,
    ) -> NewToken:
        """A token for the caller (or, for an admin or the CLI, for ``owner``)."""
        actor = authorize(actor, Permission.READ)
        if owner is None:
            owner = await self.session.get(User, actor.user_id) if actor.user_id else None
            if owner is None:
                raise ValidationFailed("tokens belong to a user", field="owner")
        elif owner.id != actor.user_id:
            authorize(actor, Permission.ADMIN)
        if owner.disabled:
            raise ValidationFailed("the user is disabled", code="USER_DISABLED", field="owner")
        label = (name or "").strip()
        if not label or len(label) > 100 or not label.isprintable():
            raise ValidationFailed("a token needs a name of 1 to 100 characters", field="name")
        ceiling = Role(owner.role)
        if actor.kind == "token" and not may_grant(actor.role, ceiling):
            ceiling = actor.role  # a token cannot mint one stronger than itself
        wanted = parse_role(role) if role is not None else ceiling
        if not may_grant(ceiling, wanted):
            raise ValidationFailed(
                f"a token's role cannot exceed {ceiling.value}", code="ROLE_TOO_HIGH", field="role"
            )
        expires_at = None
        if expires_in_days is not None:
            if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
                raise ValidationFailed(
                    f"expiresInDays must be 1..{MAX_TOKEN_DAYS}", field="expiresInDays"
                )
            expires_at = datetime.now(UTC) + timedelta(days=expires_in_days)
        secret, prefix = new_api_token()
        token = ApiToken(
            user_id=owner.id,
            name=label,
            role=wanted.value,
            token_hash=credential_hash(self.key, secret),
            prefix=prefix,
            expires_at=expires_at,
        )
        self.session.add(token)
        await self.session.flush()
        await self.session.refresh(token)
        audit.record(
            self.session,
            actor,
            audit.TOKEN_CREATED,
            changes=[
                {"field": "token", "before": None, "after": f"{label} ({prefix}…)"},
                {"field": "owner", "before": None, "after": owner.email},
                {"field": "role", "before": None, "after": wanted.value},
            ],
        )
        return NewToken(token=token, secret=secret)

    async def revoke_token(self, actor: Actor | None, token_id: uuid.UUID) -> ApiToken:
        actor = authorize(actor, Permission.READ)
        token = await self.session.get(ApiToken, token_id, with_for_update=True)
        if token is None or (not actor.is_admin and token.user_id != actor.user_id):
            raise NotFound(f"token {token_id} does not exist", field="id")
        if token.revoked_at is None:
            token.revoked_at = datetime.now(UTC)
            audit.record(
                self.session,
                actor,
                audit.TOKEN_REVOKED,
                changes=[
                    {"field": "token", "before": f"{token.name} ({token.prefix}…)", "after": None}
                ],
            )
        return token
