"""After-commit side effects (Polar's pattern, Celery's ``delay_on_commit``).

Services never commit and never talk to Redis directly: they register what should happen once
their changes are durable (publish an event, enqueue a task) with ``after_commit(session, …)`` and
what to undo if they are not (delete a stored file) with ``on_rollback``. The unit of work, a
request or a task, calls ``commit(session)``, which commits and then runs the buffered effects.
Effects are best-effort: a failed publish or enqueue is logged, and the database still holds the
truth (the sweeper re-enqueues, subscribers fill gaps from ``job_events``). What stops the unit of
work itself is not a failed effect: a kind registered with ``never_swallow`` passes through.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)

Effect = Callable[[], Awaitable[None]]

_AFTER_COMMIT = "paperlane.after_commit"
_ON_ROLLBACK = "paperlane.on_rollback"
_BATCHES = "paperlane.batches"

# Exceptions that interrupt the unit of work rather than report an effect's failure.
_INTERRUPTS: tuple[type[BaseException], ...] = ()


def never_swallow(*kinds: type[BaseException]) -> None:
    """Let ``kinds`` out of a running effect: the worker's task time limit (Celery raises
    ``SoftTimeLimitExceeded``, an ``Exception``, wherever the task's thread happens to be;
    caught here, its job completed past the limit, CI 2026-12-01)."""
    global _INTERRUPTS
    _INTERRUPTS = (*_INTERRUPTS, *(kind for kind in kinds if kind not in _INTERRUPTS))


def after_commit(session: AsyncSession, effect: Effect) -> None:
    session.info.setdefault(_AFTER_COMMIT, []).append(effect)


def after_commit_batched(
    session: AsyncSession,
    key: str,
    item: Any,
    effect: Callable[[list[Any]], Awaitable[None]],
) -> None:
    """``after_commit`` once per commit for every ``item`` given under ``key`` until then:
    ``effect(items)``, in the order given (e.g. a commit's events in one Redis round trip)."""
    batches: dict[str, list[Any]] = session.info.setdefault(_BATCHES, {})
    items = batches.get(key)
    if items is None:
        items = batches[key] = []

        async def run() -> None:
            await effect(items)

        after_commit(session, run)
    items.append(item)


def on_rollback(session: AsyncSession, effect: Effect) -> None:
    session.info.setdefault(_ON_ROLLBACK, []).append(effect)


async def committed_already(effect: Effect) -> None:
    """Run ``effect`` now, for work a statement committed on its own (no session: the worker's
    ``HeldConnection``), best-effort like every after-commit effect."""
    await _run([effect])


async def _run(effects: list[Effect]) -> None:
    for effect in effects:
        try:
            await effect()
        except _INTERRUPTS:
            raise
        except Exception:
            log.exception("side effect failed; the database stays the source of truth")


async def commit(session: AsyncSession) -> None:
    """Commit, then run the effects registered since the last commit or rollback."""
    try:
        await session.commit()
    except BaseException:
        await rollback(session)
        raise
    session.info.pop(_ON_ROLLBACK, None)
    session.info.pop(_BATCHES, None)
    await _run(session.info.pop(_AFTER_COMMIT, []))


async def discard(session: AsyncSession) -> None:
    """Drop the pending after-commit effects and run the compensations of uncommitted work.

    Call it when the unit of work ends without a commit; closing the session then rolls back.
    """
    session.info.pop(_AFTER_COMMIT, None)
    session.info.pop(_BATCHES, None)
    await _run(session.info.pop(_ON_ROLLBACK, []))


async def rollback(session: AsyncSession) -> None:
    await session.rollback()
    await discard(session)
