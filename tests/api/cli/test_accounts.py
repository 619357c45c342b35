"""``paperlane users create``, ``paperlane tokens create|revoke`` and the development admin,
run as the real command against the test database; the token they print works on the API."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from api.cli.accounts import DEV_ADMIN_EMAIL, DEV_ADMIN_FILE, ensure_dev_admin
from api.context import AppContext
from api.settings import Settings
from db.models import ApiToken, AuditEvent, User

PASSWORD = "a long enough password"


def paperlane(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_users_and_tokens_from_the_command_line(
    settings_env: dict[str, str], app: Any, anonymous: httpx.AsyncClient, ctx: AppContext
) -> None:
    created = paperlane(
        settings_env,
        "users",
        "create",
        "Ops@Example.COM",
        "--role",
        "reviewer",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr
    assert PASSWORD not in created.stdout + created.stderr
    again = paperlane(
        settings_env, "users", "create", "ops@example.com", "--role", "viewer",
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert again.returncode == 1 and "exists" in again.stderr
    weak = paperlane(
        settings_env, "users", "create", "x@example.com", "--role", "viewer",
        "--password-stdin", stdin="short\n",
    )  # fmt: skip
    assert weak.returncode == 1 and "at least" in weak.stderr

    token = paperlane(
        settings_env, "tokens", "create", "ops@example.com", "--name", "ci", "--role",
        "uploader", "--expires-days", "30",
    )  # fmt: skip
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip()
    assert secret.startswith("pl_") and "\n" not in secret  # the token alone on stdout
    me = await anonymous.get("/api/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json() == {"id": me.json()["id"], "email": "ops@example.com", "role": "uploader"}

    too_high = paperlane(
        settings_env, "tokens", "create", "ops@example.com", "--name", "x", "--role", "admin"
    )
    assert too_high.returncode == 1 and "cannot exceed" in too_high.stderr

    async with ctx.session() as session:
        row = await session.scalar(select(ApiToken).where(ApiToken.name == "ci"))
        actions = [e.action for e in await session.scalars(select(AuditEvent))]
    assert row is not None and secret not in (row.token_hash, row.prefix)
    revoked = paperlane(settings_env, "tokens", "revoke", str(row.id))
    assert revoked.returncode == 0, revoked.stderr
    refused = await anonymous.get("/api/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    assert {"USER_CREATED", "TOKEN_CREATED"} <= set(actions)

    login = await anonymous.post(
        "/api/auth/login",
        json={"email": "OPS@example.com", "password": PASSWORD},
        headers={"Origin": "http://localhost:3000"},
    )
    assert login.status_code == 200, login.text


async def test_development_admin_once_and_never_in_production(
    settings: Settings, ctx: AppContext, tmp_path: Path
) -> None:
    async with ctx.session() as session:
        # The session's admin exists: a folder with users gets no development admin.
        assert await session.scalar(select(User)) is not None
    local = settings.model_copy(update={"data_dir": tmp_path})
    assert await asyncio.to_thread(ensure_dev_admin, local, "http://localhost:8000", None) is None
    assert not (tmp_path / DEV_ADMIN_FILE).exists()

    production = local.model_copy(update={"env": "production"})
    assert (
        await asyncio.to_thread(ensure_dev_admin, production, "http://localhost:8000", None) is None
    )


async def test_development_admin_on_a_fresh_database(
    settings: Settings, servers: Any, tmp_path: Path
) -> None:
    """A database without users (its own, migrated): the admin is made, its password kept 0600."""
    from db.migrate import upgrade

    url = await asyncio.to_thread(servers.create_database, "paperlane_dev_admin")
    try:
        await asyncio.to_thread(upgrade, url)
        local = settings.model_copy(update={"data_dir": tmp_path, "database_url": url})
        note = await asyncio.to_thread(
            ensure_dev_admin, local, "http://localhost:8000", "http://localhost:3000"
        )
        assert note is not None and DEV_ADMIN_EMAIL in note and "localhost:3000" in note
        kept = tmp_path / DEV_ADMIN_FILE
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        password = dict(line.split("=", 1) for line in kept.read_text().splitlines())["password"]
        assert password in note
        # A second start creates nothing new and repeats the note.
        again = await asyncio.to_thread(ensure_dev_admin, local, "http://localhost:8000", None)
        assert again is not None and password in again
    finally:
        await asyncio.to_thread(servers.drop_database, "paperlane_dev_admin")


async def test_token_alone_on_stdout_when_attached_to_embedded_servers(
    settings_env: dict[str, str], ctx: AppContext, tmp_path: Path
) -> None:
    """Attached to a running ``paperlane dev`` (its registry), the command's notes go to stderr:
    ``TOKEN=$(paperlane tokens create …)`` captures the token and nothing else."""
    import json

    import psutil

    me = psutil.Process()
    (tmp_path / "services.json").write_text(
        json.dumps(
            {
                "owner_pid": me.pid,
                "owner_create_time": me.create_time(),
                "database_url": settings_env["PAPERLANE_DATABASE_URL"],
                "redis_url": settings_env["PAPERLANE_REDIS_URL"],
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERLANE_")}
    env["PAPERLANE_DATA_DIR"] = str(tmp_path)
    created = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "api.cli",
            "tokens",
            "create",
            "admin@paperlane.test",
            "--name",
            "x",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    assert "using the embedded services" in created.stderr
    assert created.stdout.count("\n") == 1 and created.stdout.startswith("pl_")
