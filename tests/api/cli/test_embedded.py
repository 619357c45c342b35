"""A killed test run leaves its embedded servers and child processes running; the next start
stops them by the pids recorded in the dead run's folder, and leaves a live run's alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from api.cli.embedded import server_processes
from tests.services import REPO, SESSION_PREFIX, reap_stale_sessions

# A test session in miniature: start the servers and a child process (as the worker is started)
# the way the suite does, say which, then wait to be killed (never reaching the teardown).
SESSION = """
import json, os, sys, time
from pathlib import Path
from api.cli.embedded import server_processes
from tests.services import ChildProcess, Servers

class Sleeper(ChildProcess):
    def argv(self): return [sys.executable, "-c", "import time; time.sleep(3600)"]
    def ready(self): return True

data_dir = Path(sys.argv[1])
Servers.start(data_dir)
child = Sleeper(dict(os.environ), log_path=data_dir / "sleeper.log").start()
pids = [p.pid for p in server_processes(data_dir)] + [child.proc.pid]
print(json.dumps(pids), flush=True)
time.sleep(3600)
"""


@pytest.fixture
def sessions_root() -> Iterator[Path]:
    """Where the sessions' folders go: not pytest's tmp_path, whose 0700 parent locks out the
    ``embedded_postgres`` user that PostgreSQL runs as when we are root."""
    with tempfile.TemporaryDirectory(prefix="paperlane-reap-test-") as path:
        os.chmod(path, 0o755)
        yield Path(path)


def _start_session(data_dir: Path) -> tuple[subprocess.Popen[str], list[int]]:
    data_dir.mkdir()
    os.chmod(data_dir, 0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERLANE_TEST_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", SESSION, str(data_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line, f"the session exited with {proc.wait()} before starting its servers"
    return proc, json.loads(line)


def test_the_next_start_stops_the_servers_of_a_killed_session(sessions_root: Path) -> None:
    dead_dir = sessions_root / f"{SESSION_PREFIX}killed"
    live_dir = sessions_root / f"{SESSION_PREFIX}running"
    dead, dead_pids = _start_session(dead_dir)
    live, live_pids = _start_session(live_dir)
    try:
        assert len(dead_pids) == 3 and len(live_pids) == 3  # PostgreSQL, Redis, a child each
        dead.send_signal(signal.SIGKILL)
        dead.wait()
        # Nothing stopped them: a killed owner cannot.
        assert all(psutil.pid_exists(pid) for pid in dead_pids)

        stopped = reap_stale_sessions(sessions_root)

        assert sorted(stopped) == sorted(dead_pids)
        assert not any(psutil.pid_exists(pid) for pid in dead_pids)
        assert not dead_dir.exists()
        # The live session keeps its servers and its folder.
        assert sorted(p.pid for p in server_processes(live_dir)) == sorted(live_pids[:2])
        assert psutil.pid_exists(live_pids[2])
        assert live_dir.exists()
    finally:
        for proc in (dead, live):
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
        reap_stale_sessions(sessions_root)  # the live one is dead now: its servers go too
    assert not any(psutil.pid_exists(pid) for pid in live_pids)
