"""The garbage-collection policy for many long-lived WebSockets (``api.heap``)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import weakref
from collections.abc import AsyncIterator

import pytest

from api.heap import ConnectionHeap


class State:
    """A connection's state with a reference cycle, as coroutines and tasks leave them."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
async def heap() -> AsyncIterator[ConnectionHeap]:
    heap = ConnectionHeap(min_open=2)
    heap.install()
    try:
        yield heap
    finally:
        heap.uninstall()
    assert gc.get_freeze_count() == 0


async def _full_collection() -> None:
    gc.collect()
    await asyncio.sleep(0)  # the freeze runs on the loop, after the collection


async def test_survivors_are_frozen_while_many_connections_are_open(heap: ConnectionHeap) -> None:
    with heap.connection():
        await _full_collection()
        assert gc.get_freeze_count() == 0, "one connection: Python's own schedule"
        with heap.connection():
            await _full_collection()
            assert gc.get_freeze_count() > 0
            assert heap.frozen_with == 2


async def test_cycles_of_closed_connections_are_freed_after_half_have_closed(
    heap: ConnectionHeap,
) -> None:
    with contextlib.ExitStack() as connections:
        for _ in range(4):
            connections.enter_context(heap.connection())
        state = State()
        gone = weakref.ref(state)
        await _full_collection()
        assert gc.get_freeze_count() > 0 and heap.frozen_with == 4
        del state  # the connection's state is garbage now, in a cycle, frozen
        gc.collect()
        assert gone() is not None, "frozen objects are not examined"
        connections.close()  # four close: at the second, half are gone and all is unfrozen
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None


async def test_closes_before_the_first_freeze_do_not_count(heap: ConnectionHeap) -> None:
    for _ in range(10):
        with heap.connection():
            pass
    with heap.connection(), heap.connection(), heap.connection():
        with heap.connection():
            await _full_collection()
            assert gc.get_freeze_count() > 0
        assert (heap.open, heap.closed) == (3, 1)
        assert gc.get_freeze_count() > 0, "1 of 4 closed: not yet half"
    assert gc.get_freeze_count() == 0
