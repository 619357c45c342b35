from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api.context import AppContext
from api.settings import Settings
from tests.services import free_port


@pytest.fixture
async def dead_broker_ctx(settings: Settings, clean: None) -> AsyncIterator[AppContext]:
    """An AppContext whose Redis is unreachable: commits succeed, enqueue and publish fail.

    Also how tests get QUEUED jobs that no running worker will race them for.
    """
    ctx = AppContext.create(
        settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    )
    yield ctx
    await ctx.aclose()
