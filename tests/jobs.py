from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import func, select

from api.context import AppContext
from api.effects import commit
from api.services.uploads import IncomingFile
from api.settings import Settings
from db.models import ExtractedResult, JobEvent, ProcessingJob
from tests.services import free_port

TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}

ORDER = [
    "JOB_QUEUED",
    "JOB_STARTED",
    "DOCUMENT_PARSING_STARTED",
    "DOCUMENT_PARSING_COMPLETED",
    "FIELD_EXTRACTION_STARTED",
    "FIELD_EXTRACTION_COMPLETED",
    "JOB_COMPLETED",
]


async def upload(client: httpx.AsyncClient, *files: tuple[str, bytes]) -> dict[str, Any]:
    response = await client.post(
        "/api/documents/upload",
        files=[("files", (name, data, "application/pdf")) for name, data in files],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def jobs_of(ctx: AppContext, document_ids: Iterable[str]) -> list[ProcessingJob]:
    ids = [uuid.UUID(i) for i in document_ids]
    async with ctx.session() as session:
        rows = await session.scalars(
            select(ProcessingJob).where(ProcessingJob.document_id.in_(ids))
        )
        return list(rows)


async def wait_for(
    ctx: AppContext,
    document_ids: Iterable[str],
    statuses: set[str] = TERMINAL,
    timeout: float = 60,
) -> list[ProcessingJob]:
    ids = list(document_ids)
    deadline = time.monotonic() + timeout
    while True:
        jobs = await jobs_of(ctx, ids)
        if len(jobs) == len(ids) and all(j.status in statuses for j in jobs):
            return jobs
        if time.monotonic() > deadline:
            states = {str(j.id): (j.status, j.current_stage) for j in jobs}
            raise AssertionError(f"jobs did not reach {statuses} in {timeout}s: {states}")
        await asyncio.sleep(0.1)


async def stored_events(ctx: AppContext, job_id: uuid.UUID) -> list[JobEvent]:
    async with ctx.session() as session:
        rows = await session.scalars(
            select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)
        )
        return list(rows)


async def result_count(ctx: AppContext, document_id: uuid.UUID) -> int:
    async with ctx.session() as session:
        count = await session.scalar(
            select(func.count()).where(ExtractedResult.document_id == document_id)
        )
        return int(count or 0)


class ChannelRecorder:
    """Records every message on the events channel, from before the action under test."""

    def __init__(self, redis: Redis, channel: str):
        self.redis = redis
        self.channel = channel
        self.messages: list[dict[str, Any]] = []
        self.payloads: list[list[dict[str, Any]]] = []  # the events of each Pub/Sub message
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> ChannelRecorder:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.channel)
        await pubsub.get_message(timeout=1)  # the subscribe confirmation

        async def read() -> None:
            try:
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
                    if message is not None:  # one event, or a commit's events in order
                        data = json.loads(message["data"])
                        events = data if isinstance(data, list) else [data]
                        self.messages.extend(events)
                        self.payloads.append(events)
            finally:
                await pubsub.aclose()

        self._task = asyncio.create_task(read())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        await asyncio.sleep(0.2)  # let in-flight messages arrive
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    def for_job(self, job_id: uuid.UUID) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["jobId"] == str(job_id)]

    async def wait_for(self, job_id: uuid.UUID, type: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.for_job(job_id):
                if message["type"] == type:
                    return message
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {type} for job {job_id} within {timeout}s")


async def upload_without_enqueue(dead: AppContext, name: str, data: bytes) -> str:
    """Upload through the service with Redis unreachable: rows commit, the enqueue is lost."""

    async def chunks() -> AsyncIterator[bytes]:
        yield data

    try:
        async with dead.session() as session:
            service = dead.uploads(session)
            outcome = await service.accept([IncomingFile(name, chunks())])
            await commit(session)
    finally:
        await dead.aclose()
    return str(outcome.documents[0].id)


async def upload_quietly(settings: Settings, name: str, data: bytes) -> str:
    """``upload_without_enqueue`` through a context whose Redis is a closed port."""
    dead = AppContext.create(
        settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    )
    return await upload_without_enqueue(dead, name, data)
