"""Migrations round-trip, and the models agree with them (autogenerate finds nothing)."""

from __future__ import annotations

import asyncio
import uuid

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


async def _seller_vat_ids(url: str) -> dict[str, str | None]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT original_filename, seller_vat_id FROM documents")
            )
            return {name: vat for name, vat in rows}
    finally:
        await engine.dispose()


async def _run(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


def test_0004_duplicate_key_backfills_and_downgrades(servers: Servers) -> None:
    """0004 copies the effective seller VAT id (reviewed, else extracted) onto existing
    documents; its downgrade drops the column and the index again."""
    url = servers.create_database("paperlane_migration_0004")
    try:
        upgrade(url, "0003")
        document = (
            "INSERT INTO documents (id, original_filename, stored_file_path, mime_type, "
            "file_size, sha256, current_status) VALUES "
            "('{id}', '{name}', 'k', 'application/pdf', 1, 'x', 'COMPLETED')"
        )
        job = (
            "INSERT INTO processing_jobs (id, document_id, status, progress_percentage, "
            "retry_count, attempt, cancel_requested) "
            "VALUES ('{job}', '{id}', 'COMPLETED', 100, 0, 1, false)"
        )
        result = (
            "INSERT INTO extracted_results (id, document_id, job_id, raw_text, "
            "structured_output_json, reviewed_output_json, is_finalized, version) VALUES "
            "(gen_random_uuid(), '{id}', '{job}', '', '{extracted}', {reviewed}, false, 1)"
        )
        rows = {
            "extracted.pdf": ('{"fields": {"sellerVatId": "DE1"}}', "NULL"),
            "reviewed.pdf": ('{"fields": {"sellerVatId": "DE1"}}', '\'{"sellerVatId": "DE2"}\''),
            "none.pdf": ('{"fields": {}}', "NULL"),
        }
        statements = []
        for name, (extracted, reviewed) in rows.items():
            ids = {"id": uuid.uuid4(), "job": uuid.uuid4(), "name": name}
            statements += [
                document.format(**ids),
                job.format(**ids),
                result.format(**ids, extracted=extracted, reviewed=reviewed),
            ]
        asyncio.run(_run(url, *statements))
        upgrade(url, "0004")
        assert asyncio.run(_seller_vat_ids(url)) == {
            "extracted.pdf": "DE1",
            "reviewed.pdf": "DE2",
            "none.pdf": None,
        }
        downgrade(url, "0003")
        assert asyncio.run(_version(url)) == "0003"
        assert "seller_vat_id" not in asyncio.run(_columns(url, "documents"))
        upgrade(url)
        assert "seller_vat_id" in asyncio.run(_columns(url, "documents"))
    finally:
        servers.drop_database("paperlane_migration_0004")


async def _columns(url: str, table: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return {c["name"] for c in await conn.run_sync(lambda c: inspect(c).get_columns(table))}
    finally:
        await engine.dispose()


async def _event_ids(url: str) -> list[int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT id FROM job_events ORDER BY id"))
            return [int(r[0]) for r in rows]
    finally:
        await engine.dispose()


def test_0005_event_positions_keep_order_both_ways(servers: Servers) -> None:
    """0005 drops the identity of job_events.id: stored ids stay, new ones (positions) come after
    them; the downgrade gives the identity back, continuing after the highest id."""
    url = servers.create_database("paperlane_migration_0005")
    document, job = uuid.uuid4(), uuid.uuid4()
    event = (
        "INSERT INTO job_events ({id_column}job_id, document_id, type, status, progress, attempt) "
        f"VALUES ({{id_value}}'{job}', '{document}', 'job_queued', 'QUEUED', 0, 1)"
    )
    old_event = event.format(id_column="", id_value="")
    try:
        upgrade(url, "0004")
        asyncio.run(
            _run(
                url,
                "INSERT INTO documents (id, original_filename, stored_file_path, mime_type, "
                f"file_size, sha256, current_status) VALUES ('{document}', 'a.pdf', 'k', "
                "'application/pdf', 1, 'x', 'QUEUED')",
                "INSERT INTO processing_jobs (id, document_id, status, progress_percentage, "
                f"retry_count, attempt, cancel_requested) VALUES ('{job}', '{document}', "
                "'QUEUED', 0, 0, 0, false)",
                old_event,
                old_event,
            )
        )
        before = asyncio.run(_event_ids(url))
        assert before == [1, 2]
        upgrade(url, "0005")
        position = "(pg_current_xact_id()::text::bigint << 20), "
        asyncio.run(_run(url, event.format(id_column="id, ", id_value=position)))
        after = asyncio.run(_event_ids(url))
        assert after[:2] == before and after[2] > before[-1]
        downgrade(url, "0004")
        asyncio.run(_run(url, old_event))
        again = asyncio.run(_event_ids(url))
        assert again[:3] == after and again[3] == after[2] + 1
        upgrade(url)
    finally:
        servers.drop_database("paperlane_migration_0005")


def test_0006_keys_existing_invoice_numbers_both_ways(servers: Servers) -> None:
    """0006 computes the duplicate key of documents already stored; the downgrade drops it."""
    url = servers.create_database("paperlane_migration_0006")
    insert = (
        "INSERT INTO documents (id, original_filename, stored_file_path, mime_type, file_size, "
        "sha256, current_status, invoice_number) VALUES ('{id}', 'a.pdf', 'k', "
        "'application/pdf', 1, 'x', 'COMPLETED', {number})"
    )
    numbers = {"inv 2024/001": "INV2024001", "R-7": "R7", "--": None, None: None}
    try:
        upgrade(url, "0005")
        rows = {uuid.uuid4(): number for number in numbers}
        asyncio.run(
            _run(
                url,
                *(
                    insert.format(id=i, number=f"'{n}'" if n is not None else "NULL")
                    for i, n in rows.items()
                ),
            )
        )
        upgrade(url, "0006")
        keys = asyncio.run(_keys(url))
        assert {keys[i] for i in rows} == set(numbers.values())
        assert all(keys[i] == numbers[n] for i, n in rows.items())
        downgrade(url, "0005")
        upgrade(url)
    finally:
        servers.drop_database("paperlane_migration_0006")


async def _keys(url: str) -> dict[uuid.UUID, str | None]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT id, invoice_number_key FROM documents"))
            return {r[0]: r[1] for r in rows}
    finally:
        await engine.dispose()
