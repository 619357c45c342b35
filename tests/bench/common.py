"""The stack the benchmarks and the soak run against, and the little things they share.

``Stack.start()`` brings up PostgreSQL and Redis (embedded, under a temporary folder, unless
``PAPERLANE_BENCH_DATABASE_URL`` / ``PAPERLANE_BENCH_REDIS_URL``, or else ``PAPERLANE_DATABASE_URL``
/ ``PAPERLANE_REDIS_URL``, name servers of your own), creates
a fresh database, migrates it, and then starts API, worker and sweeper processes on demand with
the helpers of ``tests.services``. Everything it started is stopped by ``stop()``; the
temporary folder (with api.log, worker.log, sweeper.log) is removed unless ``BENCH_KEEP=1``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from api.cli.embedded import EmbeddedPostgres, EmbeddedRedis  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.session import create_engine  # noqa: E402
from tests.services import ApiProcess, Servers, WorkerProcess  # noqa: E402

MB = 1024 * 1024
TABLES = "job_events, extracted_results, processing_jobs, documents"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``; NaN for an empty list."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Result:
    """One figure of the final table."""

    bench: str
    name: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None  # None: informational, no target
    note: str = ""
    load: float | None = None  # 1-minute load average when the benchmark finished (run_all)

    @property
    def verdict(self) -> str:
        if self.ok is None:
            return "info" if self.value is not None else "n/a"
        return "pass" if self.ok else "MISS"


def fmt(value: float | None) -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(results: Sequence[Result]) -> None:
    rows = [("benchmark", "figure", "value", "unit", "target", "verdict", "note")]
    rows += [(r.bench, r.name, fmt(r.value), r.unit, r.target, r.verdict, r.note) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for index, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        print("  ".join(cells) + ("  " + row[-1] if row[-1] else ""))
        if index == 0:
            print("  ".join("-" * w for w in widths))


@dataclass
class Stack:
    """PostgreSQL + Redis + a migrated database, and the processes started against them."""

    data_dir: Path
    servers: Servers
    extra_env: dict[str, str] = field(default_factory=dict)
    _owns_dir: bool = True
    _procs: list[Any] = field(default_factory=list)

    @classmethod
    def start(
        cls, *, embedded_only: bool = False, extra_env: dict[str, str] | None = None
    ) -> Stack:
        data_dir = Path(tempfile.mkdtemp(prefix="paperlane-bench-"))
        os.chmod(data_dir, 0o755)  # the embedded server runs as its own user when we are root
        admin_url = redis_url = None
        if not embedded_only:
            # The machine's own servers: a fresh database is created next to the one named (and
            # dropped at the end); the Redis database is flushed, so name one nobody else uses.
            admin_url = os.environ.get("PAPERLANE_BENCH_DATABASE_URL") or os.environ.get(
                "PAPERLANE_DATABASE_URL"
            )
            redis_url = os.environ.get("PAPERLANE_BENCH_REDIS_URL") or os.environ.get(
                "PAPERLANE_REDIS_URL"
            )
        pg = redis = None
        if not admin_url:
            log("starting embedded PostgreSQL")
            pg = EmbeddedPostgres(data_dir)
            admin_url = pg.start()
        if not redis_url:
            redis = EmbeddedRedis(data_dir)
            redis_url = redis.start()
        servers = Servers("", redis_url, pg, redis, admin_url)
        servers.database_url = servers.create_database(f"paperlane_bench_{uuid.uuid4().hex[:8]}")
        upgrade(servers.database_url)
        log(f"database {make_url(servers.database_url).database} migrated; redis {redis_url}")
        stack = cls(data_dir, servers, dict(extra_env or {}))
        stack.make_admin()
        return stack

    def make_admin(self) -> None:
        """The admin user and token every bench client sends (``tests.auth.ADMIN_HEADERS``):
        hashed under this data folder's secret key, which the API processes read too."""
        from api.context import AppContext
        from api.settings import Settings
        from tests.auth import ADMIN_TOKEN, make_identity

        settings = Settings(
            database_url=self.servers.database_url,
            redis_url=self.servers.redis_url,
            data_dir=self.data_dir,
        )

        async def create() -> None:
            ctx = AppContext.create(settings)
            try:
                await make_identity(ctx, "admin", "bench@paperlane.test", token=ADMIN_TOKEN)
            finally:
                await ctx.aclose()

        asyncio.run(create())

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PAPERLANE_DATABASE_URL": self.servers.database_url,
            "PAPERLANE_REDIS_URL": self.servers.redis_url,
            "PAPERLANE_DATA_DIR": str(self.data_dir),
            "PAPERLANE_EVENTS_CHANNEL": "paperlane:bench-events",
            "PAPERLANE_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def log_path(self, name: str) -> Path:
        return self.data_dir / f"{name}.log"

    def tail(self, name: str, lines: int = 25) -> str:
        path = self.log_path(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def api(self, **env: str) -> ApiProcess:
        process = ApiProcess({**self.env, **env}, log_path=self.log_path("api"))
        try:
            process.start()
        except RuntimeError as error:
            raise RuntimeError(f"{error}; api.log:\n{self.tail('api')}") from error
        self._procs.append(process)
        return process

    def worker(self, concurrency: int, **env: str) -> WorkerProcess:
        process = WorkerProcess(
            {**self.env, **env}, concurrency=concurrency, log_path=self.log_path("worker")
        )
        try:
            process.start()
        except RuntimeError as error:
            raise RuntimeError(f"{error}; worker.log:\n{self.tail('worker')}") from error
        self._procs.append(process)
        return process

    def sweeper(self) -> subprocess.Popen[bytes]:
        log_file = open(self.log_path("sweeper"), "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import asyncio, logging; logging.basicConfig(level='INFO');"
                " from api.services.sweeper import run_forever; asyncio.run(run_forever())",
            ],
            cwd=REPO,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._procs.append(proc)
        return proc

    def engine(self, **kwargs: Any) -> Any:
        return create_engine(self.servers.database_url, **kwargs)

    async def truncate(self) -> None:
        engine = self.engine()
        try:
            async with engine.begin() as conn:
                await conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        finally:
            await engine.dispose()
        from redis.asyncio import Redis

        client = Redis.from_url(self.servers.redis_url)
        try:
            await client.flushdb()
        finally:
            await client.aclose()
        files = self.data_dir / "files"
        if files.exists():
            shutil.rmtree(files, ignore_errors=True)

    def stop_process(self, process: Any) -> None:
        try:
            if isinstance(process, subprocess.Popen):
                if process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(10)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
            else:
                process.stop()
        finally:
            if process in self._procs:
                self._procs.remove(process)

    def stop(self) -> None:
        for process in reversed(list(self._procs)):
            try:
                self.stop_process(process)
            except Exception as error:  # keep stopping the rest
                log(f"stopping {process}: {error}")
        try:
            self.servers.stop()
        finally:
            if self._owns_dir:
                if os.environ.get("BENCH_KEEP"):
                    log(f"BENCH_KEEP: logs and data kept in {self.data_dir}")
                else:
                    shutil.rmtree(self.data_dir, ignore_errors=True)


async def scalar(engine: Any, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def wait_until(predicate: Any, timeout: float, interval: float = 0.02) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` seconds pass; its last value."""
    deadline = time.perf_counter() + timeout
    for _ in range(int(timeout / interval) + 2):
        if predicate():
            return True
        if time.perf_counter() >= deadline:
            break
        await asyncio.sleep(interval)
    return bool(predicate())
