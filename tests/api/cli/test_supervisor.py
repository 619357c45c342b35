"""The dev supervisor: prefixed output, failure propagation, and stopping without strays."""

from __future__ import annotations

import io
import os
import signal
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil

from api.cli.supervisor import ProcessSpec, Supervisor

PY = sys.executable


def py(code: str) -> list[str]:
    return [PY, "-c", textwrap.dedent(code)]


def make() -> tuple[Supervisor, io.StringIO]:
    out = io.StringIO()
    return Supervisor(out, stop_timeout=2.0, kill_timeout=1.0, colour=False), out


def test_output_is_prefixed_by_name() -> None:
    sup, out = make()
    code = sup.run_to_completion(ProcessSpec("hello", py("print('one'); print('two')")))
    assert code == 0
    lines = out.getvalue().splitlines()
    assert "hello     | one" in lines
    assert "hello     | two" in lines


def test_run_to_completion_returns_the_exit_code() -> None:
    sup, _ = make()
    assert sup.run_to_completion(ProcessSpec("bad", py("raise SystemExit(3)"))) == 3
    assert sup.children == []


def test_a_child_that_dies_stops_the_others_and_fails() -> None:
    sup, out = make()
    long = sup.start(ProcessSpec("long", py("import time; time.sleep(60)")))
    sup.start(ProcessSpec("short", py("import time; time.sleep(0.3); raise SystemExit(4)")))
    assert sup.wait() == 4
    # Stopped by a signal, not left to finish its minute of sleep.
    assert long.poll() is not None and long.returncode < 0
    assert "short exited unexpectedly with code 4" in out.getvalue()


def test_a_child_that_exits_zero_unexpectedly_is_still_a_failure() -> None:
    sup, _ = make()
    sup.start(ProcessSpec("long", py("import time; time.sleep(60)")))
    sup.start(ProcessSpec("quits", py("pass")))
    assert sup.wait() == 1


def test_requested_stop_returns_zero_and_kills_what_ignores_sigterm(tmp_path: Path) -> None:
    sup, out = make()
    pidfile = tmp_path / "grandchild.pid"
    # A child that ignores SIGTERM and a grandchild that escapes to a session of its own.
    stubborn = sup.start(
        ProcessSpec(
            "stubborn",
            py(
                f"""
                import os, signal, subprocess, sys, time
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                                     start_new_session=True)
                open({str(pidfile)!r}, "w").write(str(p.pid))
                print("ready", flush=True)
                time.sleep(60)
                """
            ),
        )
    )
    deadline = time.monotonic() + 10
    while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int(pidfile.read_text())
    threading.Timer(0.5, sup.request_stop, args=(signal.SIGTERM,)).start()
    assert sup.wait() == 0
    assert stubborn.poll() is not None
    assert not _running(grandchild)
    assert "received SIGTERM; stopping" in out.getvalue()


def test_group_members_left_by_the_leader_are_killed() -> None:
    sup, _ = make()
    # The leader exits on SIGTERM at once; its child (same process group) ignores SIGTERM.
    leader = sup.start(
        ProcessSpec(
            "leader",
            py(
                """
                import subprocess, sys, time
                subprocess.Popen([sys.executable, "-c",
                    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                    "time.sleep(60)"])
                time.sleep(60)
                """
            ),
        )
    )
    time.sleep(1.0)
    members = psutil.Process(leader.pid).children(recursive=True)
    assert members
    sup.request_stop()
    assert sup.wait() == 0
    for p in members:
        assert not _running(p.pid)


def test_signal_handlers_request_a_stop() -> None:
    sup, _ = make()
    sup.start(ProcessSpec("long", py("import time; time.sleep(60)")))
    with sup.handling_signals():
        threading.Timer(0.3, os.kill, args=(os.getpid(), signal.SIGINT)).start()
        assert sup.wait() == 0
    assert sup.stop_signal == signal.SIGINT
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
