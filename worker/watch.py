"""The watch: a thread of each pool child that looks after the running job while the pipeline
keeps the event loop busy.

The pipeline's steps (PyMuPDF, extraction) run on the task's own thread, inside the event loop's
turn. Handing each step to a thread and back cost four cross-thread wake-ups per job, 1 to 2 ms
of CPU on the 2-vCPU VM, a quarter of the worker's cost outside extraction (issue 16). While a step
runs the loop can run nothing else, so what must happen meanwhile (renew the lease, write a step
held too long, stop a child grown past its memory ceiling: ``worker.processing.Liveness``) runs
here, every ``TICK``, on this thread's own event loop and its own ``AppContext``. Its connections
open the first time a job needs them: a job of a few milliseconds never does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Protocol

from api.context import AppContext
from api.settings import Settings

log = logging.getLogger(__name__)

# How often the watch looks at the running job (s): a step held PROGRESS_LATENCY is written
# within a tick after. An idle pool child wakes this often too, ~0.14 ms of CPU a time on the
# 2-vCPU VM (0.14 % of a core); a watch woken when a job starts would pay a wake-up per job.
TICK = 0.1


class Watched(Protocol):
    async def look(self, ctx: AppContext) -> None:
        """One look at the job, on the watch's thread and with the watch's context."""
        ...


class Watch:
    def __init__(self, settings: Settings, tick: float = TICK):
        self.settings = settings
        self.tick = tick
        self._watched: Watched | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="paperlane-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        """Stop looking, finish the look under way, close the watch's connections."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @contextlib.contextmanager
    def watching(self, watched: Watched) -> Iterator[None]:
        """Look after ``watched`` until the block ends (one job at a time: a pool child runs
        one task at a time)."""
        self._watched = watched
        try:
            yield
        finally:
            self._watched = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        ctx: AppContext | None = None
        try:
            while not self._stopping.wait(self.tick):
                watched = self._watched
                if watched is None:
                    continue
                if ctx is None:
                    ctx = AppContext.create(self.settings)
                try:
                    loop.run_until_complete(watched.look(ctx))
                except Exception:  # the watch must outlive any one look
                    log.exception("the watch's look at the running job failed")
        finally:
            if ctx is not None:
                with contextlib.suppress(Exception):
                    loop.run_until_complete(ctx.aclose())
            loop.close()
