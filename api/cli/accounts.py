"""``paperlane users …`` and ``paperlane tokens …``: accounts from the command line.

They attach to the servers of the data folder like every other command (``LocalServices``) and
act as the system (audited as ``cli``). ``tokens create`` prints the token alone on stdout, so
``TOKEN=$(paperlane tokens create …)`` works; everything else goes to stderr.

``ensure_dev_admin`` is what ``paperlane dev`` runs after migrating: on a data folder without
users (development only) it creates ``admin@localhost`` with a random password, written to
``<data_dir>/dev-admin.txt`` (mode 0600) and printed with how to sign in.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import secrets
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from api.auth.actor import Actor
from api.cli.local_services import LocalServices
from api.settings import Settings
from db.models import Role

T = TypeVar("T")
DEV_ADMIN_EMAIL = "admin@localhost"
DEV_ADMIN_FILE = "dev-admin.txt"


def cli_actor() -> Actor:
    who = f"{getpass.getuser()}@{socket.gethostname()}"
    return Actor(kind="system", id=None, label=f"cli ({who})", role=Role.ADMIN)


def _say(message: str) -> None:
    print(f"paperlane: {message}", file=sys.stderr)


def _run(settings: Settings, work: Callable[..., Awaitable[T]]) -> T:
    """Run ``work(service, session)`` against the data folder's database, then commit."""
    with LocalServices(
        settings.data_dir,
        settings.database_url,
        settings.redis_url,
        need_redis=False,
        say=_say,  # stdout carries only the token (``tokens create``)
    ) as urls:
        assert urls.database_url is not None
        return asyncio.run(_in_session(settings, urls.database_url, work))


async def _in_session(settings: Settings, url: str, work: Callable[..., Awaitable[T]]) -> T:
    from api.effects import commit
    from api.services.accounts import AccountService
    from db.session import create_engine, session_factory

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            result = await work(AccountService.of(session, settings), session)
            await commit(session)
            return result
    finally:
        await engine.dispose()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise SystemExit("paperlane: the passwords differ")
    return first


def _fail(error: Exception) -> int:
    print(f"paperlane: {getattr(error, 'message', error)}", file=sys.stderr)
    return 1


def cmd_users_create(args: argparse.Namespace) -> int:
    from api.errors import PaperlaneError

    password = _read_password(args.password_stdin)

    async def work(service, session):
        return await service.create_user(cli_actor(), args.email, args.role, password)

    try:
        user = _run(Settings(), work)
    except PaperlaneError as error:
        return _fail(error)
    print(f"created {user.email} ({user.role})", file=sys.stderr)
    print(user.id)
    return 0


def cmd_tokens_create(args: argparse.Namespace) -> int:
    from api.errors import PaperlaneError

    async def work(service, session):
        owner = await service.user_by_email(args.email)
        return await service.create_token(
            cli_actor(),
            args.name,
            role=args.role,
            expires_in_days=args.expires_days,
            owner=owner,
        )

    try:
        created = _run(Settings(), work)
    except PaperlaneError as error:
        return _fail(error)
    token = created.token
    print(
        f"token {token.id} ({token.prefix}…, {token.role}) for {args.email}; "
        "shown once, store it now",
        file=sys.stderr,
    )
    print(created.secret)
    return 0


def cmd_tokens_revoke(args: argparse.Namespace) -> int:
    from api.errors import PaperlaneError
    from api.ids import parse_id

    async def work(service, session):
        return await service.revoke_token(cli_actor(), parse_id(args.token_id, "token"))

    try:
        token = _run(Settings(), work)
    except PaperlaneError as error:
        return _fail(error)
    print(f"token {token.id} ({token.name}) revoked", file=sys.stderr)
    return 0


def dev_admin_note(path: Path, password: str, api_url: str, web_url: str | None) -> str:
    where = web_url or f"{api_url}/graphql"
    return (
        f"Development admin: {DEV_ADMIN_EMAIL}\n"
        f"Password: {password}\n"
        f"Sign in at {where}, or: curl -c cookies.txt -H 'Content-Type: application/json' "
        f'-d \'{{"email": "{DEV_ADMIN_EMAIL}", "password": "<password>"}}\' '
        f"{api_url}/api/auth/login\n"
        f"(kept in {path}; create real users with `paperlane users create EMAIL --role ROLE`)\n"
    )


def ensure_dev_admin(settings: Settings, api_url: str, web_url: str | None) -> str | None:
    """Create the development admin on a data folder without users; returns the note to print
    (None in production, or when users exist and no note was kept)."""
    if settings.production:
        return None
    from sqlalchemy import func, select

    from db.models import User

    path = settings.data_dir.resolve() / DEV_ADMIN_FILE
    password = secrets.token_urlsafe(12)

    async def work(service, session):
        if await session.scalar(select(func.count()).select_from(User)):
            return False
        await service.create_user(cli_actor(), DEV_ADMIN_EMAIL, Role.ADMIN, password)
        return True

    if _run(settings, work):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"email={DEV_ADMIN_EMAIL}\npassword={password}\n")
        return dev_admin_note(path, password, api_url, web_url)
    if path.exists():
        values = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
        return dev_admin_note(path, values.get("password", "?"), api_url, web_url)
    return None


def cmd_users_dev_admin(args: argparse.Namespace) -> int:
    note = ensure_dev_admin(Settings(), args.api_url, args.web_url)
    if note:
        print(note, file=sys.stderr)
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roles = [r.value for r in Role]

    users = sub.add_parser("users", help="create users")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    p = users_sub.add_parser("create", help="create a user (password prompted twice)")
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("--role", required=True, choices=roles, help="what the user may do")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (one line)"
    )
    p.set_defaults(func=cmd_users_create)
    p = users_sub.add_parser(
        "dev-admin", help="(paperlane dev) create the development admin on a fresh data folder"
    )
    p.add_argument("--api-url", default="http://localhost:8000")
    p.add_argument("--web-url", default=None)
    p.set_defaults(func=cmd_users_dev_admin)

    tokens = sub.add_parser("tokens", help="create and revoke API tokens")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", required=True, metavar="ACTION")
    p = tokens_sub.add_parser("create", help="create a token; prints only the token")
    p.add_argument("email", metavar="EMAIL", help="the user the token acts for")
    p.add_argument("--name", required=True, help="what the token is for")
    p.add_argument("--role", choices=roles, default=None, help="at most the user's role")
    p.add_argument("--expires-days", type=int, default=None, metavar="N", help="expiry (days)")
    p.set_defaults(func=cmd_tokens_create)
    p = tokens_sub.add_parser("revoke", help="revoke a token by id")
    p.add_argument("token_id", metavar="TOKEN_ID")
    p.set_defaults(func=cmd_tokens_revoke)
