"""REST sign-in: login, logout, me; the session cookie; throttling; secrets never stored or
logged in clear; expired and revoked credentials."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text, update

from api.auth.secrets import credential_hash, server_key
from api.context import AppContext
from api.settings import Settings
from db.models import ApiToken, AuditEvent, User, WebSession
from tests.auth import PASSWORD, Identity, make_identity

ORIGIN = {"Origin": "http://localhost:3000"}


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(
        "/api/auth/login", json={"email": email, "password": password}, headers=ORIGIN
    )


@pytest.fixture
async def reviewer(ctx: AppContext) -> Identity:
    return await make_identity(ctx, "reviewer")


async def test_login_sets_a_safe_cookie_and_me_answers(
    app: Any, anonymous: httpx.AsyncClient, ctx: AppContext, reviewer: Identity
) -> None:
    response = await login(anonymous, reviewer.email.upper())  # emails are case-insensitive
    assert response.status_code == 200, response.text
    assert response.json()["user"] == {
        "id": str(reviewer.user_id),
        "email": reviewer.email,
        "role": "reviewer",
    }
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("paperlane_session=")
    for attribute in ("HttpOnly", "SameSite=lax", "Path=/", f"Max-Age={12 * 3600}"):
        assert attribute.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http in development

    me = await anonymous.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["email"] == reviewer.email

    secret = anonymous.cookies["paperlane_session"]
    async with ctx.session() as session:
        row = (await session.scalars(select(WebSession))).one()
        user = await session.get(User, reviewer.user_id)
        audit = (await session.scalars(select(AuditEvent))).all()
    assert row.token_hash == credential_hash(server_key(ctx.settings), secret)
    assert secret not in str(vars(row).values())
    assert user is not None and user.last_sign_in_at is not None
    assert [(a.action, a.actor_label) for a in audit][-1] == ("SIGNED_IN", reviewer.email)


async def test_logout_revokes_the_session(
    app: Any, anonymous: httpx.AsyncClient, ctx: AppContext, reviewer: Identity
) -> None:
    await login(anonymous, reviewer.email)
    secret = anonymous.cookies["paperlane_session"]
    response = await anonymous.post("/api/auth/logout", headers=ORIGIN)
    assert response.status_code == 204
    assert 'paperlane_session=""' in response.headers["set-cookie"] or (
        "max-age=0" in response.headers["set-cookie"].lower()
    )
    async with ctx.session() as session:
        row = (await session.scalars(select(WebSession))).one()
    assert row.revoked_at is not None
    anonymous.cookies.set("paperlane_session", secret)  # the old cookie, replayed
    replay = await anonymous.get("/api/auth/me")
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_wrong_password_unknown_email_and_disabled_user_look_the_same(
    app: Any, anonymous: httpx.AsyncClient, ctx: AppContext, reviewer: Identity
) -> None:
    wrong = await login(anonymous, reviewer.email, "not the password")
    unknown = await login(anonymous, "nobody@paperlane.test")
    async with ctx.session() as session:
        await session.execute(update(User).values(disabled=True).where(User.id == reviewer.user_id))
        await session.commit()
    disabled = await login(anonymous, reviewer.email)
    for response in (wrong, unknown, disabled):
        assert response.status_code == 401
        assert response.json()["error"] == {
            "code": "INVALID_CREDENTIALS",
            "message": "wrong email or password",
            "field": None,
        }
    assert "paperlane_session" not in anonymous.cookies


async def test_hostile_login_bodies(app: Any, anonymous: httpx.AsyncClient) -> None:
    for body in ({}, {"email": "a" * 10_000, "password": "x"}, {"email": 1, "password": []}):
        response = await anonymous.post("/api/auth/login", json=body, headers=ORIGIN)
        assert response.status_code == 422, response.text
    form = await anonymous.post(
        "/api/auth/login", data={"email": "a@b.c", "password": "x"}, headers=ORIGIN
    )
    assert form.status_code == 415


@pytest.fixture
async def strict_client(settings: Settings, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    """An app with small sign-in budgets: 2 failures per account, 3 per address."""
    from api.main import create_app

    application = create_app(
        settings.model_copy(
            update={"login_failures_per_account": 2, "login_failures_per_address": 3}
        )
    )
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_login_is_throttled_per_account_then_per_address(
    strict_client: httpx.AsyncClient, ctx: AppContext, reviewer: Identity
) -> None:
    for _ in range(2):
        assert (await login(strict_client, reviewer.email, "wrong password")).status_code == 401
    # Over the account's budget: refused even with the right password, with Retry-After.
    blocked = await login(strict_client, reviewer.email)
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"
    assert 0 < int(blocked.headers["Retry-After"]) <= 900
    # The address has one failure left; then every account from it is refused.
    assert (await login(strict_client, "other@paperlane.test", "x")).status_code == 401
    other = await make_identity(ctx, "viewer")
    refused = await login(strict_client, other.email)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"


async def test_password_is_never_logged(
    app: Any,
    anonymous: httpx.AsyncClient,
    reviewer: Identity,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await login(anonymous, reviewer.email, "a wrong secret password")
    await login(anonymous, reviewer.email)
    assert "a wrong secret password" not in caplog.text
    assert PASSWORD not in caplog.text


async def test_api_token_is_stored_only_as_a_keyed_hash(
    app: Any, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": 'mutation { createApiToken(input: {name: "ci", role: VIEWER, '
            "expiresInDays: 30}) { ... on CreateApiTokenSuccess { secret token { id prefix "
            "role expiresAt owner { email } } } } }"
        },
    )
    created = response.json()["data"]["createApiToken"]
    secret = created["secret"]
    assert secret.startswith("pl_") and created["token"]["prefix"] == secret[:11]
    assert created["token"]["role"] == "VIEWER"
    async with ctx.engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT * FROM api_tokens WHERE id = :id"), {"id": created["token"]["id"]}
                )
            )
            .mappings()
            .one()
        )
    assert all(secret not in str(value) for value in row.values())
    assert row["token_hash"] == credential_hash(server_key(ctx.settings), secret)
    # The token works, and the listing never shows it again.
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["role"] == "viewer"
    listing = await client.post("/graphql", json={"query": "{ apiTokens { id name } }"})
    assert secret not in listing.text


async def test_expired_and_revoked_credentials_are_refused(
    app: Any, anonymous: httpx.AsyncClient, ctx: AppContext, reviewer: Identity
) -> None:
    assert (await anonymous.get("/api/auth/me", headers=reviewer.headers)).status_code == 200
    past = datetime.now(UTC) - timedelta(seconds=1)
    async with ctx.session() as session:
        await session.execute(
            update(ApiToken).where(ApiToken.id == reviewer.token_id).values(expires_at=past)
        )
        await session.commit()
    expired = await anonymous.get("/api/auth/me", headers=reviewer.headers)
    assert expired.status_code == 401

    await login(anonymous, reviewer.email)
    assert (await anonymous.get("/api/auth/me")).status_code == 200
    async with ctx.session() as session:
        await session.execute(update(WebSession).values(expires_at=past))
        await session.commit()
    assert (await anonymous.get("/api/auth/me")).status_code == 401


async def test_disabling_a_user_revokes_sessions_and_tokens(
    app: Any, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, reviewer: Identity
) -> None:
    await login(anonymous, reviewer.email)
    response = await client.post(
        "/graphql",
        json={
            "query": "mutation($id: ID!) { updateUser(input: {id: $id, disabled: true}) "
            "{ ... on UpdateUserSuccess { user { disabled } } } }",
            "variables": {"id": str(reviewer.user_id)},
        },
    )
    assert response.json()["data"]["updateUser"]["user"]["disabled"] is True
    assert (await anonymous.get("/api/auth/me")).status_code == 401
    assert (await anonymous.get("/api/auth/me", headers=reviewer.headers)).status_code == 401


async def test_cookie_is_secure_over_https(app: Any, reviewer: Identity) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        response = await c.post(
            "/api/auth/login",
            json={"email": reviewer.email, "password": PASSWORD},
            headers={"Origin": "https://testserver"},
        )
    assert response.status_code == 200, response.text
    assert "secure" in response.headers["set-cookie"].lower()
