"""The real servers the tests talk to, and a real Celery worker process.

By default an embedded PostgreSQL and Redis are started once per test session (as on a fresh
machine); ``PAPERLANE_TEST_DATABASE_URL`` / ``PAPERLANE_TEST_REDIS_URL`` point the suite at
servers of your own instead. Either way each session gets a database of its own, created here
and dropped at the end.

A session killed outright (SIGKILL, a CI timeout) cannot stop its embedded servers, nor the
workers and API processes it started (each in a session of its own); the next session stops them
all (``reap_stale_sessions``) by the pids recorded in the dead session's folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import psutil
from sqlalchemy.engine import make_url

from api.cli.embedded import EmbeddedPostgres, EmbeddedRedis, owner_alive, record_owner, stop_stale
from db.session import create_engine

REPO = Path(__file__).resolve().parent.parent
SESSION_PREFIX = "paperlane-test-"
CHILDREN_FILE = "children.jsonl"  # one {"pid", "create_time"} per child process started


def reap_stale_sessions(parent: Path | None = None) -> list[int]:
    """Stop what killed test sessions left running (their child processes, then their embedded
    servers) and remove their folders; the pids stopped. Only folders named like a session's
    whose recorded owner is dead are touched: a session running beside this one (another
    checkout, another user) keeps everything."""
    stopped: list[int] = []
    for folder in (parent or Path(tempfile.gettempdir())).glob(f"{SESSION_PREFIX}*"):
        if folder.is_dir() and owner_alive(folder) is False:
            stopped += _stop_recorded_children(folder)
            stopped += stop_stale(folder)
            shutil.rmtree(folder, ignore_errors=True)
    return stopped


def _record_child(folder: Path, pid: int) -> None:
    with contextlib.suppress(psutil.Error, OSError), open(folder / CHILDREN_FILE, "a") as out:
        out.write(json.dumps({"pid": pid, "create_time": psutil.Process(pid).create_time()}) + "\n")


def _stop_recorded_children(folder: Path) -> list[int]:
    """SIGKILL the process group of every recorded child still running (the same process: its
    start time matches, so a reused pid is never signalled)."""
    try:
        lines = (folder / CHILDREN_FILE).read_text().splitlines()
    except OSError:
        return []
    stopped = []
    for line in lines:
        with contextlib.suppress(ValueError, KeyError, TypeError, psutil.Error, OSError):
            record = json.loads(line)
            proc = psutil.Process(int(record["pid"]))
            if abs(proc.create_time() - float(record["create_time"])) < 1.0:
                os.killpg(proc.pid, signal.SIGKILL)
                stopped.append(proc.pid)
    psutil.wait_procs([p for p in map(_process, stopped) if p is not None], timeout=10)
    return stopped


def _process(pid: int) -> psutil.Process | None:
    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


@dataclass
class Servers:
    database_url: str
    redis_url: str
    embedded_pg: EmbeddedPostgres | None = None
    embedded_redis: EmbeddedRedis | None = None
    _admin_url: str = ""

    @classmethod
    def start(cls, data_dir: Path) -> Servers:
        record_owner(data_dir)
        pg: EmbeddedPostgres | None = None
        redis: EmbeddedRedis | None = None
        admin_url = os.environ.get("PAPERLANE_TEST_DATABASE_URL")
        if not admin_url:
            pg = EmbeddedPostgres(data_dir)
            admin_url = pg.start()
        redis_url = os.environ.get("PAPERLANE_TEST_REDIS_URL")
        if not redis_url:
            redis = EmbeddedRedis(data_dir)
            redis_url = redis.start()
        servers = cls("", redis_url, pg, redis, admin_url)
        servers.database_url = servers.create_database(f"paperlane_test_{uuid.uuid4().hex[:8]}")
        return servers

    def create_database(self, name: str) -> str:
        """A new, empty database on the test server; returns its URL."""
        self.drop_database(name)
        asyncio.run(_admin(self._admin_url, f'CREATE DATABASE "{name}"'))
        return make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, name: str) -> None:
        asyncio.run(_admin(self._admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def stop(self) -> None:
        try:
            self.drop_database(str(make_url(self.database_url).database))
        finally:
            if self.embedded_redis:
                self.embedded_redis.stop()
            if self.embedded_pg:
                self.embedded_pg.stop()


async def _admin(url: str, statement: str) -> None:
    from sqlalchemy import text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


class ChildProcess:
    """A server the tests run as a child in its own process group, logging to a file."""

    name = "child"

    def __init__(self, env: dict[str, str], log_path: Path | None = None):
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def argv(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, timeout: float = 60) -> Self:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.argv(),
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if self.log_path is not None:  # in the session's folder: stopped if the session dies
            _record_child(self.log_path.parent, self.proc.pid)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}")
            if self.ready():
                return self
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} was not ready within {timeout}s")

    def kill_hard(self) -> None:
        """SIGKILL the whole process group, as a machine loss would."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.kill_hard()


class WorkerProcess(ChildProcess):
    """``celery worker`` (prefork) with the test settings in its environment."""

    name = "celery worker"

    def __init__(self, env: dict[str, str], concurrency: int = 2, log_path: Path | None = None):
        super().__init__(env, log_path)
        self.concurrency = concurrency

    def argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "worker.celery_app:app",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(self.concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"test-{uuid.uuid4().hex[:6]}@%h",
        ]

    def ready(self) -> bool:
        return len(self.children()) >= self.concurrency

    def children(self) -> list[psutil.Process]:
        assert self.proc is not None
        try:
            return psutil.Process(self.proc.pid).children()
        except psutil.NoSuchProcess:
            return []


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ApiProcess(ChildProcess):
    """The API under uvicorn, for tests that need a real socket."""

    name = "uvicorn"

    def __init__(self, env: dict[str, str], log_path: Path | None = None):
        super().__init__(env, log_path)
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            "--ws-per-message-deflate",  # as ``paperlane api`` runs it (api.cli.commands)
            "false",
        ]

    def ready(self) -> bool:
        import httpx

        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False


class S3Server(ChildProcess):
    """A real S3-protocol server on a free port: moto's standalone server (``moto[server]``), in a
    child process, so the code under test talks HTTP to it as it would to MinIO or AWS (no mock
    inside the tested process). ``bucket`` is created when it is ready."""

    name = "moto S3 server"
    bucket = "paperlane-test"
    region = "us-east-1"
    access_key_id = "testing"
    secret_access_key = "testing"

    def __init__(self, log_path: Path | None = None):
        env = {**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"}
        super().__init__(env, log_path)
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]

    def ready(self) -> bool:
        import httpx

        try:
            httpx.get(f"{self.url}/moto-api/", timeout=1)
        except httpx.HTTPError:
            return False
        return True

    def client(self) -> object:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=self.region,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
        )

    def start(self, timeout: float = 60) -> Self:
        super().start(timeout)
        self.client().create_bucket(Bucket=self.bucket)  # type: ignore[attr-defined]
        return self

    def settings_env(self, prefix: str) -> dict[str, str]:
        """Settings that put Paperlane's files under ``s3://bucket/prefix`` on this server."""
        return {
            "PAPERLANE_STORAGE_URL": f"s3://{self.bucket}/{prefix}",
            "PAPERLANE_S3_ENDPOINT_URL": self.url,
            "PAPERLANE_S3_REGION": self.region,
            "PAPERLANE_S3_ACCESS_KEY_ID": self.access_key_id,
            "PAPERLANE_S3_SECRET_ACCESS_KEY": self.secret_access_key,
        }

    def keys(self, prefix: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)  # type: ignore[attr-defined]
        return [item["Key"] for item in listed.get("Contents", [])]


@contextlib.contextmanager
def serve_in_thread(app: object) -> Iterator[str]:
    """``app`` on a real uvicorn in a thread of this process (its state stays ours to read):
    yields ``host:port`` once it accepts connections."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(15)
