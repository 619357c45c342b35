"""The per-process async runtime of a worker: one event loop, one AppContext, one watch.

Celery tasks are synchronous; they hand their coroutine to ``run()``, which drives it on this
process's loop. Creating the engine after fork keeps connection pools out of shared memory, and
the watch's thread (``worker.watch``) is started in the process that runs the jobs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from api.context import AppContext
from api.settings import get_settings
from worker.watch import Watch

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_ctx: AppContext | None = None
_watch: Watch | None = None


def start() -> None:
    global _loop, _ctx, _watch
    _loop = asyncio.new_event_loop()
    _ctx = AppContext.create(get_settings())
    _watch = Watch(get_settings())
    _watch.start()


def context() -> AppContext:
    if _ctx is None:
        start()
    assert _ctx is not None
    return _ctx


def watch() -> Watch:
    context()
    assert _watch is not None
    return _watch


def run(coro: Coroutine[Any, Any, T]) -> T:
    context()
    assert _loop is not None
    return _loop.run_until_complete(coro)


def stop() -> None:
    global _loop, _ctx, _watch
    if _watch is not None:
        _watch.stop()
    if _loop is not None and _ctx is not None:
        _loop.run_until_complete(_ctx.aclose())
        _loop.close()
    _loop, _ctx, _watch = None, None, None
