"""After-commit effects: batched ones run once per commit with everything given since the last
commit, in order, and never after a rollback (a batch never leaks into the next transaction)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from api.context import AppContext
from api.effects import after_commit_batched, commit, rollback


async def test_a_batch_runs_once_per_commit_and_not_after_a_rollback(ctx: AppContext) -> None:
    ran: list[list[Any]] = []

    async def effect(items: list[Any]) -> None:
        ran.append(list(items))

    async with ctx.session() as session:
        for item in ("a", "b", "c"):
            after_commit_batched(session, "k", item, effect)
        await session.execute(text("SELECT 1"))
        assert ran == []  # nothing before the commit
        await commit(session)
        assert ran == [["a", "b", "c"]]

        after_commit_batched(session, "k", "lost", effect)
        await rollback(session)
        after_commit_batched(session, "k", "d", effect)
        await commit(session)
    assert ran == [["a", "b", "c"], ["d"]]
