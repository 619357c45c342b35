"""A small process manager for ``paperlane dev``.

``Supervisor`` starts child processes, each in its own session (so its own process group), merges
each child's stdout and stderr into this process's stdout with a ``name | `` prefix, and stops them
all together. Stopping sends SIGTERM to each child itself first, so a Celery worker makes its warm
shutdown and npm passes the signal on; then, once the leader has exited or ``stop_timeout``
passed, SIGTERM and shortly after SIGKILL to whatever is left in the child's process group and to
every descendant seen before the stop (one that moved to a session of its own included). A child
that exits while the others run is a failure: everything is stopped and ``wait()`` returns
non-zero. SIGINT, SIGTERM and SIGHUP ask for a stop; a second one skips the grace period.

The servers those children need are found or started by ``api.cli.local_services``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

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
