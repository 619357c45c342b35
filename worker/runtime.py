"""The per-process async runtime of a worker: one event loop and one AppContext.

Celery tasks are synchronous; they hand their coroutine to ``run()``, which drives it on this
process's loop. Creating the engine after fork keeps connection pools out of shared memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from api.context import AppContext
from api.settings import get_settings

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_ctx: AppContext | None = None


def start() -> None:
    global _loop, _ctx
    _loop = asyncio.new_event_loop()
    _ctx = AppContext.create(get_settings())


def context() -> AppContext:
    if _ctx is None:
        start()
    assert _ctx is not None
    return _ctx


def run(coro: Coroutine[Any, Any, T]) -> T:
    context()
    assert _loop is not None
    return _loop.run_until_complete(coro)


def stop() -> None:
    global _loop, _ctx
    if _loop is not None and _ctx is not None:
        _loop.run_until_complete(_ctx.aclose())
        _loop.close()
    _loop, _ctx = None, None
