from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Text, Uuid, bindparam, false, func, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from db.models import ExtractedResult


def store_cte(moved: Any) -> Any:
    """``ResultRepository.store`` for the job a statement moved (its CTE ``moved``), as a part of
    that statement (``events.with_events``); parameters from ``store_params``."""
    stmt = insert(ExtractedResult).from_select(
        [
            "id",
            "document_id",
            "job_id",
            "raw_text",
            "structured_output_json",
            "is_finalized",
            "version",
        ],
        select(
            bindparam("result_id", type_=Uuid),
            moved.c.document_id,
            moved.c.id,
            bindparam("result_text", type_=Text),
            bindparam("result_output", type_=JSONB),
            false(),
            1,
        ).select_from(moved),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[ExtractedResult.document_id],
        set_={
            "job_id": stmt.excluded.job_id,
            "raw_text": stmt.excluded.raw_text,
            "structured_output_json": stmt.excluded.structured_output_json,
            "reviewed_output_json": None,
            "version": ExtractedResult.version + 1,
            "updated_at": func.now(),
        },
        where=ExtractedResult.is_finalized.is_(False),
    )
    return stmt.cte("stored")


def store_params(raw_text: str, output: dict[str, Any]) -> dict[str, Any]:
    return {"result_id": uuid.uuid4(), "result_text": raw_text, "result_output": output}


class ResultRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def store(
        self, document_id: uuid.UUID, job_id: uuid.UUID, raw_text: str, output: dict[str, Any]
    ) -> None:
        """Insert the machine result, or replace it when a retried job completes again."""
        stmt = insert(ExtractedResult).values(
            id=uuid.uuid4(),
            document_id=document_id,
            job_id=job_id,
            raw_text=raw_text,
            structured_output_json=output,
            is_finalized=False,
            version=1,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[ExtractedResult.document_id],
            set_={
                "job_id": job_id,
                "raw_text": raw_text,
                "structured_output_json": output,
                "reviewed_output_json": None,
                "version": ExtractedResult.version + 1,
                "updated_at": func.now(),
            },
            where=ExtractedResult.is_finalized.is_(False),
        )
        await self.session.execute(stmt)

    async def for_document(
        self, document_id: uuid.UUID, *, for_update: bool = False
    ) -> ExtractedResult | None:
        stmt = select(ExtractedResult).where(ExtractedResult.document_id == document_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_documents(
        self, document_ids: Sequence[uuid.UUID], *, with_text: bool = True
    ) -> list[ExtractedResult]:
        """``with_text=False`` leaves ``raw_text`` (megabytes for a long document) in the
        database; touching it then raises instead of loading it (read it with ``text_slices``)."""
        stmt = select(ExtractedResult).where(ExtractedResult.document_id.in_(document_ids))
        if not with_text:
            stmt = stmt.options(defer(ExtractedResult.raw_text, raiseload=True))
        return list(await self.session.scalars(stmt))

    async def text_lengths(self, document_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        stmt = select(
            ExtractedResult.document_id, func.char_length(ExtractedResult.raw_text)
        ).where(ExtractedResult.document_id.in_(document_ids))
        return {row[0]: int(row[1]) for row in await self.session.execute(stmt)}

    async def text_slices(
        self, document_ids: Sequence[uuid.UUID], offset: int, limit: int
    ) -> dict[uuid.UUID, str]:
        """``limit`` characters of each document's text from ``offset`` (0-based), cut by
        PostgreSQL: only the slice crosses the wire."""
        stmt = select(
            ExtractedResult.document_id, func.substr(ExtractedResult.raw_text, offset + 1, limit)
        ).where(ExtractedResult.document_id.in_(document_ids))
        return {row[0]: row[1] or "" for row in await self.session.execute(stmt)}

    async def save_review(
        self, document_id: uuid.UUID, expected_version: int, reviewed: dict[str, Any]
    ) -> ExtractedResult | None:
        """Store reviewed fields if nobody saved since ``expected_version`` and not finalized."""
        stmt = (
            update(ExtractedResult)
            .where(
                ExtractedResult.document_id == document_id,
                ExtractedResult.version == expected_version,
                ExtractedResult.is_finalized.is_(False),
            )
            .values(
                reviewed_output_json=reviewed,
                version=ExtractedResult.version + 1,
                updated_at=func.now(),
            )
            .returning(ExtractedResult)
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def finalize(self, document_id: uuid.UUID) -> ExtractedResult | None:
        stmt = (
            update(ExtractedResult)
            .where(
                ExtractedResult.document_id == document_id,
                ExtractedResult.is_finalized.is_(False),
            )
            .values(is_finalized=True, finalized_at=func.now(), updated_at=func.now())
            .returning(ExtractedResult)
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
