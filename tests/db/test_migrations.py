"""Migrations round-trip, and the models agree with them (autogenerate finds nothing)."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from db.migrate import downgrade, upgrade
from db.models import Base
from db.session import create_engine
from tests.services import Servers


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await engine.dispose()


async def _version(url: str) -> str | None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        await engine.dispose()


def test_upgrade_downgrade_upgrade_and_no_drift(servers: Servers) -> None:
    # A database of its own: the session database is in use by the other tests.
    url = servers.create_database("paperlane_migrations")
    expected = {
        "documents",
        "processing_jobs",
        "job_events",
        "extracted_results",
        "users",
        "sessions",
        "api_tokens",
        "audit_events",
    }
    try:
        upgrade(url)
        assert expected <= asyncio.run(_tables(url))
        assert asyncio.run(_diff(url)) == []

        downgrade(url, "base")
        assert asyncio.run(_tables(url)) & expected == set()
        assert asyncio.run(_version(url)) is None

        upgrade(url)
        assert expected <= asyncio.run(_tables(url))
        assert asyncio.run(_diff(url)) == []
    finally:
        servers.drop_database("paperlane_migrations")
