"""The ``paperlane`` command.

``paperlane dev``          everything for development: migrations, API, worker, sweeper, web app
``paperlane api``          the HTTP API (uvicorn, ``api.main:create_app``)
``paperlane worker``       a Celery worker (prefork pool)
``paperlane sweeper``      the loop that re-enqueues stale QUEUED jobs and reclaims expired leases
``paperlane migrate``      upgrade the database to the newest schema
``paperlane extract``      run field extraction on local files, no server needed
``paperlane export-schema`` write codegen/schema.graphql from the Strawberry schema
``paperlane users create``  create a user; ``paperlane tokens create|revoke``  API tokens

Servers: ``PAPERLANE_DATABASE_URL`` and ``PAPERLANE_REDIS_URL`` name PostgreSQL and Redis. Left
unset, a command uses the embedded servers under ``PAPERLANE_DATA_DIR`` (default ``.paperlane/``):
it attaches to the ones a running ``paperlane dev`` (or any other paperlane command) recorded in
``<data_dir>/services.json``, and otherwise starts them for its own lifetime and stops them when it
exits. ``dev`` passes the URLs to all its children, so they never start servers of their own.

Heavy imports (the app, Celery, Alembic, PyMuPDF) happen inside the commands, so ``--help`` works
everywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import logging
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, cast

from api.cli import accounts
from api.cli.local_services import LocalServices, ServicesError
from api.cli.supervisor import ProcessSpec, Supervisor
from api.settings import Settings, get_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
ASGI_APP = "api.main:create_app"
CELERY_APP = "worker.celery_app:app"
EXTRACT_ENTRY = "worker.extraction.cli:run"
EXPORT_SCHEMA_ENTRY = "schema.export:main"
RELOAD_DIRS = ("api", "schema", "worker", "db")


# -- child command lines -------------------------------------------------------------------------


def api_argv(host: str, port: int, log_level: str, reload: bool = False) -> list[str]:
    settings = get_settings()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        ASGI_APP,
        "--factory",
        "--host",
        host,
        "--port",
        str(port),
        "--log-level",
        log_level.lower(),
        "--timeout-graceful-shutdown",
        "5",
        # Connection hygiene when the API is exposed directly (README "Deployment"); the body
        # read timeout is api.limits.BodyReadTimeout (uvicorn has none).
        "--timeout-keep-alive",
        str(settings.api_keep_alive_seconds),
        "--limit-concurrency",
        str(settings.api_limit_concurrency),
        "--h11-max-incomplete-event-size",
        str(settings.api_max_header_bytes),
        # No permessage-deflate on WebSockets: the event frames are a few hundred bytes, and
        # compressing each for each subscriber cost ~14 µs of CPU per delivered event and
        # ~40 KiB of zlib state per connection (docs/benchmarks.md, issue 16).
        "--ws-per-message-deflate",
        "false",
    ]
    if reload:
        argv.append("--reload")
        for name in RELOAD_DIRS:
            argv += ["--reload-dir", str(REPO_ROOT / name)]
    return argv


def worker_argv(concurrency: int | None, log_level: str) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        CELERY_APP,
        "worker",
        f"--loglevel={log_level.upper()}",
        "--pool",
        "prefork",
    ]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    return argv


def self_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "api.cli", *args]


def browser_host(host: str) -> str:
    """The host a browser on this machine uses to reach a server bound to ``host``."""
    if host in ("", "0.0.0.0", "::", "[::]"):
        return "localhost"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def web_env(host: str, api_port: int, web_port: int) -> dict[str, str]:
    api_host = browser_host(host)
    return {
        "NEXT_PUBLIC_API_URL": f"http://{api_host}:{api_port}",
        "NEXT_PUBLIC_WS_URL": f"ws://{api_host}:{api_port}/graphql",
        "NEXT_TELEMETRY_DISABLED": "1",
        "PORT": str(web_port),
    }


def _service_env(urls_db: str | None, urls_redis: str | None, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PAPERLANE_DATA_DIR"] = str(data_dir)
    if urls_db:
        env["PAPERLANE_DATABASE_URL"] = urls_db
    if urls_redis:
        env["PAPERLANE_REDIS_URL"] = urls_redis
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


# -- dev -----------------------------------------------------------------------------------------


class _Servers(NamedTuple):
    settings: Settings
    sup: Supervisor
    env: dict[str, str]  # what the services run with: the servers' URLs, the data directory
    owned: bool  # embedded servers of our own (stopped when the supervised services end)


@contextlib.contextmanager
def _servers() -> Iterator[_Servers]:
    """PostgreSQL and Redis resolved as the module docstring says (configured, attached or
    embedded), with a supervisor handling signals; on the way out, every child is stopped
    first, then any embedded servers of our own. ``dev`` and the single services share it."""
    settings = Settings()
    data_dir = settings.data_dir.resolve()
    sup = Supervisor()
    services = LocalServices(data_dir, settings.database_url, settings.redis_url, say=sup.say)
    with sup.handling_signals():
        try:
            urls = services.start()
            env = _service_env(urls.database_url, urls.redis_url, data_dir)
            yield _Servers(settings, sup, env, services.owned)
        finally:
            try:
                sup.stop_all()
            finally:
                services.stop()


def cmd_dev(args: argparse.Namespace) -> int:
    with _servers() as (settings, sup, env, _):
        if sup.stop_requested:
            return 0

        web: ProcessSpec | None = None
        if not args.no_web:
            web = _web_spec(args, env, sup)
            if web is not None:
                origins = [
                    f"http://localhost:{args.web_port}",
                    f"http://127.0.0.1:{args.web_port}",
                ]
                if browser_host(args.host) not in ("localhost", "127.0.0.1"):
                    origins.append(f"http://{browser_host(args.host)}:{args.web_port}")
                env.setdefault("PAPERLANE_CORS_ORIGINS", json.dumps(origins))

        code = sup.run_to_completion(ProcessSpec("migrate", self_argv("migrate"), env))
        if code is None:
            return 0
        if code != 0:
            sup.say(f"migrations failed (exit {code}); not starting the services")
            return code
        if not settings.production:
            api_url = f"http://{browser_host(args.host)}:{args.api_port}"
            web_url = f"http://{browser_host(args.host)}:{args.web_port}" if web else None
            argv = self_argv("users", "dev-admin", "--api-url", api_url)
            if web_url:
                argv += ["--web-url", web_url]
            code = sup.run_to_completion(ProcessSpec("setup", argv, env))
            if code is None:
                return 0
        if web is not None and not (web.cwd and (web.cwd / "node_modules").is_dir()):
            install = (
                ["ci"] if (web.cwd and (web.cwd / "package-lock.json").exists()) else ["install"]
            )
            code = sup.run_to_completion(
                ProcessSpec("web", [web.argv[0], *install], web.env, web.cwd)
            )
            if code is None:
                return 0
            if code != 0:
                sup.say(f"npm {install[0]} failed (exit {code})")
                return code

        log_level = settings.log_level
        sup.start(
            ProcessSpec("api", api_argv(args.host, args.api_port, log_level, args.reload), env)
        )
        sup.start(ProcessSpec("worker", worker_argv(args.workers, log_level), env))
        sup.start(ProcessSpec("sweeper", self_argv("sweeper"), env))
        if web is not None:
            sup.start(web)
        sup.say(
            f"API on http://{browser_host(args.host)}:{args.api_port}"
            f" (GraphiQL /graphql)"
            + (f", web on http://{browser_host(args.host)}:{args.web_port}" if web else "")
            + "; Ctrl-C stops everything"
        )
        return sup.wait()


def _web_spec(args: argparse.Namespace, env: dict[str, str], sup: Supervisor) -> ProcessSpec | None:
    web_dir = REPO_ROOT / "web"
    if not (web_dir / "package.json").exists():
        sup.say(f"no {web_dir}/package.json: not starting the web app")
        return None
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("paperlane dev: npm not found (install Node 20+), or pass --no-web")
    argv = [npm, "run", "dev", "--", "--port", str(args.web_port), "--hostname", args.host]
    return ProcessSpec(
        "web", argv, {**env, **web_env(args.host, args.api_port, args.web_port)}, web_dir
    )


# -- single services -----------------------------------------------------------------------------


def _serve(name: str, child_argv: list[str], inline: Callable[[], int]) -> int:
    """Run one long-lived service with servers resolved as the module docstring says.

    With URLs configured or attached, run ``inline`` (which may exec). With embedded servers of
    our own, run the service as a supervised child so that they are stopped when it ends.
    """
    with _servers() as servers:
        if servers.owned:
            if servers.sup.stop_requested:
                return 0
            servers.sup.start(ProcessSpec(name, child_argv, servers.env))
            return servers.sup.wait()
    os.environ.update(servers.env)
    return inline()


def _exec(argv: list[str]) -> int:
    os.execv(argv[0], argv)
    return 127  # not reached


def cmd_api(args: argparse.Namespace) -> int:
    argv = api_argv(args.host, args.port, Settings().log_level, args.reload)
    return _serve("api", argv, lambda: _exec(argv))


def cmd_worker(args: argparse.Namespace) -> int:
    argv = worker_argv(args.concurrency, Settings().log_level)
    return _serve("worker", argv, lambda: _exec(argv))


def cmd_sweeper(args: argparse.Namespace) -> int:
    def run() -> int:
        _configure_logging()
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop like Ctrl-C
        from api.services.sweeper import run_forever

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_forever())
        return 0

    return _serve("sweeper", self_argv("sweeper"), run)


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = Settings()
    _configure_logging()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # embedded servers get stopped
    with LocalServices(
        settings.data_dir, settings.database_url, settings.redis_url, need_redis=False
    ) as urls:
        from db.migrate import upgrade

        assert urls.database_url is not None
        upgrade(urls.database_url, args.revision)
    print(f"database at {args.revision}", file=sys.stderr)
    return 0


def _entry(path: str) -> Callable[..., Any]:
    """``module:attribute`` imported on use. The command line names the worker and the GraphQL
    layer by module path, as it names them to uvicorn and Celery: ``api`` never imports them."""
    module, _, attribute = path.partition(":")
    return cast(Callable[..., Any], getattr(importlib.import_module(module), attribute))


def cmd_extract(args: argparse.Namespace) -> int:
    return int(_entry(EXTRACT_ENTRY)(list(args.files), as_json=args.json))


def cmd_export_schema(args: argparse.Namespace) -> int:
    _entry(EXPORT_SCHEMA_ENTRY)()
    return 0


def _configure_logging() -> None:
    level = Settings().log_level.upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


# -- parser --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperlane",
        description="Paperlane: invoice upload, background extraction, live progress, review.",
        epilog="Without PAPERLANE_DATABASE_URL / PAPERLANE_REDIS_URL, embedded PostgreSQL and "
        "Redis run under PAPERLANE_DATA_DIR (default .paperlane/).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("dev", help="run migrations, API, worker, sweeper and web app together")
    p.add_argument("--host", default="127.0.0.1", help="interface for API and web (127.0.0.1)")
    p.add_argument("--api-port", type=int, default=8000, help="API port (8000)")
    p.add_argument("--web-port", type=int, default=3000, help="web app port (3000)")
    p.add_argument("--no-web", action="store_true", help="do not start the web app")
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="Celery worker processes (prefork concurrency, 2)",
    )
    p.add_argument("--reload", action="store_true", help="restart the API when code changes")
    p.set_defaults(func=cmd_dev)

    p = sub.add_parser("api", help="serve the HTTP and GraphQL API (uvicorn)")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (8000)")
    p.add_argument("--reload", action="store_true", help="restart when code changes")
    p.set_defaults(func=cmd_api)

    p = sub.add_parser("worker", help="run a Celery worker (prefork pool)")
    p.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: number of CPUs)",
    )
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("sweeper", help="re-enqueue stale jobs and reclaim expired leases")
    p.set_defaults(func=cmd_sweeper)

    p = sub.add_parser("migrate", help="upgrade the database schema (Alembic)")
    p.add_argument("--revision", default="head", help="target revision (head)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("extract", help="extract invoice fields from local files")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("export-schema", help="write codegen/schema.graphql")
    p.set_defaults(func=cmd_export_schema)
    accounts.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except ServicesError as exc:
        print(f"paperlane: {exc}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
