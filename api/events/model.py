"""The job event as it travels: Redis Pub/Sub payload, SSE data, REST ``/events`` item.

A Pub/Sub message holds one event (a JSON object) or several in position order (a JSON array of
them: ``encode_many`` / ``decode_published``): the events of one commit, led by the claim's
``JOB_STARTED`` when a worker held it back for its job's next write.

Field names are the GraphQL ``JobEvent`` names in camelCase; ``type`` and ``status`` are the
GraphQL enum names (``JOB_STARTED``, ``PROCESSING``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic.alias_generators import to_camel


class EventRow(Protocol):
    """A stored event: the ORM ``JobEvent`` or the worker's plain ``db.repositories.events.
    RecordedEvent``."""

    id: int
    job_id: uuid.UUID
    document_id: uuid.UUID
    type: str
    status: str
    progress: int
    stage: str | None
    message: str | None
    attempt: int
    occurred_at: datetime


class JobEventMessage(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    id: int
    job_id: uuid.UUID
    document_id: uuid.UUID
    type: str
    status: str
    progress: int
    stage: str | None
    message: str | None
    attempt: int
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: EventRow) -> JobEventMessage:
        return cls(
            id=row.id,
            job_id=row.job_id,
            document_id=row.document_id,
            type=row.type.upper(),
            status=row.status,
            progress=row.progress,
            stage=row.stage,
            message=row.message,
            attempt=row.attempt,
            occurred_at=row.occurred_at,
        )

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)

    @classmethod
    def from_json(cls, data: str | bytes) -> JobEventMessage:
        return cls.model_validate_json(data)


_MANY = TypeAdapter(list[JobEventMessage])


def encode_many(messages: Sequence[JobEventMessage]) -> str:
    """Several events as one Pub/Sub payload: a JSON array, in order."""
    return "[" + ",".join(message.to_json() for message in messages) + "]"


def decode_published(data: str | bytes) -> list[JobEventMessage]:
    """The events of one Pub/Sub payload, in order: an object is one event, an array several.
    Raises ``ValueError`` for anything else."""
    head = data.lstrip()[:1]
    if head in ("[", b"["):
        return _MANY.validate_json(data)
    return [JobEventMessage.from_json(data)]
