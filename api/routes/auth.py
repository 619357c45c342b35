"""REST sign-in: ``POST /api/auth/login``, ``POST /api/auth/logout``, ``GET /api/auth/me``.

The session cookie (``paperlane_session``) is httpOnly, SameSite=Lax, Path=/, Secure over HTTPS
or in production, and lives ``session_hours``. Its value is a random secret; the database keeps
only its HMAC (``api.auth.secrets``).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from api.auth.guard import allowed_origins, origin_allowed
from api.auth.http import Reader
from api.auth.identity import SESSION_COOKIE
from api.deps import Context, Session
from api.effects import commit
from api.errors import Forbidden
from api.rate_limit import client_address

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    role: str


class LoginOut(BaseModel):
    user: UserOut


def _secure(request: Request, production: bool) -> bool:
    return production or request.url.scheme == "https"


@router.post(
    "/login",
    response_model=LoginOut,
    summary="Sign in",
    description="Body `{email, password}` (JSON). Sets the `paperlane_session` cookie. Wrong "
    "email or password, or a disabled user: 401 INVALID_CREDENTIALS. Too many failures for the "
    "account or the address: 429 TOO_MANY_ATTEMPTS with Retry-After.",
)
async def login(
    request: Request, response: Response, ctx: Context, session: Session, body: LoginIn
) -> LoginOut:
    # Login CSRF (signing a victim into the attacker's account): a browser always sends Origin
    # on a cross-site POST, so a foreign one is refused even without a cookie.
    origin = request.headers.get("origin")
    allowed = allowed_origins(ctx.settings.cors_origins)
    if origin is not None and not origin_allowed(request.headers, request.url.scheme, allowed):
        raise Forbidden("sign-in must come from the web app", code="CROSS_SITE_REQUEST")
    service = ctx.accounts(session)
    signed_in = await service.sign_in(ctx.redis, body.email, body.password, client_address(request))
    await commit(session)
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.secret,
        max_age=int(ctx.settings.session_hours * 3600),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request, ctx.settings.production),
    )
    user = signed_in.user
    return LoginOut(user=UserOut(id=user.id, email=user.email, role=user.role))


@router.post(
    "/logout",
    status_code=204,
    summary="Sign out",
    description="Revokes the session and clears its cookie (204 even without one).",
)
async def logout(request: Request, ctx: Context, session: Session) -> Response:
    service = ctx.accounts(session)
    await service.sign_out(request.cookies.get(SESSION_COOKIE))
    await commit(session)
    response = Response(status_code=204)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request, ctx.settings.production),
    )
    return response


@router.get(
    "/me",
    response_model=UserOut,
    summary="Who is signed in",
    description="The signed-in user (or the API token's owner, with the token's role); 401 "
    "UNAUTHENTICATED without credentials.",
)
async def me(actor: Reader, ctx: Context, session: Session) -> UserOut:
    user = await ctx.accounts(session).me(actor)
    return UserOut(id=user.id, email=user.email, role=actor.role.value)
