"""Garbage collection in a process that holds thousands of long-lived WebSockets (issue 16).

A full collection walks every object the collector tracks. With 10,000 subscribers that is a few
million objects, nearly all of them the connections' own state, alive as long as they are; one
full collection took up to 1.9 s (docs/benchmarks.md, 2026-12-01), and every event it
overlapped was delivered that much later. So once many connections are open, the survivors of
each full collection are frozen (``gc.freeze``): later collections walk only what was allocated
since, and their pause follows recent allocation, not the number of subscribers.

Frozen objects are never examined for reference cycles. Most of a closed connection's state is
freed by reference counting; what it leaves in cycles waits until the objects are unfrozen:
once half as many connections have closed as were open at the largest freeze, everything is
unfrozen, and the next full collection walks the whole heap once and frees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterator
from typing import Any

# Below this many open WebSockets Python's own schedule is kept: full collections are short.
MIN_OPEN = 1000


class ConnectionHeap:
    def __init__(self, min_open: int = MIN_OPEN):
        self.min_open = min_open
        self.open = 0
        self.frozen_with = 0  # the most connections open at a freeze since the last unfreeze
        self.closed = 0  # connections closed since the last unfreeze
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        """From the event loop's thread (the API's lifespan)."""
        self._loop = asyncio.get_running_loop()
        gc.callbacks.append(self._collected)

    def uninstall(self) -> None:
        gc.callbacks.remove(self._collected)
        self._unfreeze()

    @contextlib.contextmanager
    def connection(self) -> Iterator[None]:
        self.open += 1
        try:
            yield
        finally:
            self.open -= 1
            self.closed += 1
            if self.frozen_with and self.closed * 2 >= self.frozen_with:
                self._unfreeze()

    def _collected(self, phase: str, info: dict[str, Any]) -> None:
        # Called by the collector, from whichever thread allocated: freeze from the loop.
        full = phase == "stop" and info["generation"] == 2
        if full and self.open >= self.min_open and self._loop and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._freeze)

    def _freeze(self) -> None:
        if self.open >= self.min_open:
            gc.freeze()
            if not self.frozen_with:
                self.closed = 0  # closes before the first freeze freed their state already
            self.frozen_with = max(self.frozen_with, self.open)

    def _unfreeze(self) -> None:
        gc.unfreeze()
        self.frozen_with = self.closed = 0
