"""Job events: the append-only log subscribers follow, and its ordering.

Positions, not insertion order. An event's ``id`` is its position in the feed:
``(id of the writing transaction << ORDINAL_BITS) + its ordinal within that transaction``, where the
transaction id is PostgreSQL's 64-bit ``pg_current_xact_id()`` (never wraps). Readers that deliver
events (the hub, SSE, ``afterEventId`` replays) read only positions below the horizon
``pg_snapshot_xmin(pg_current_snapshot()) << ORDINAL_BITS``: every transaction with an id below the
oldest one still in flight has ended, so the set of events below the horizon is final (nothing can
commit there later), and every event committed later lands above it. A reader that delivered up to
position P therefore never has to go back below P: ids arrive in increasing order with no gap and
no duplicate, and the last id a client saw is always a correct resume cursor.

This is what event stores on PostgreSQL do (Marten's high-water mark, Eventuous and Propulsion's
``xid8`` readers), instead of one global advisory lock held from insert to commit, which made
every writer of every machine commit events one at a time (``tests/bench/bench_event_writers.py
--pgbench``: 32 writers 400-450 events/s with the lock, 4,200 without, on two cores; README
"Running on several machines"). The price: an event
becomes readable only once every transaction older than its own has ended, so a long transaction
that holds a transaction id delays the feed (not the writes). Services keep theirs short.
"""

from __future__ import annotations

import builtins
import dataclasses
import functools
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    String,
    Text,
    bindparam,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from db.models import Document, JobEvent, JobEventType, JobStatus, ProcessingJob
from db.repositories.bulk import ORM, Columns, rows_params, unnest_rows

ORDINAL_BITS = 20

# The first position of the current transaction (assigns it an id if it has none yet).
_BASE = f"(pg_current_xact_id()::text::bigint << {ORDINAL_BITS})"
# Its next position: the base plus the events it has written so far (a primary-key range scan
# over its own rows; no other transaction writes in that range).
_NEXT_POSITION: ColumnElement[int] = literal_column(
    f"({_BASE} + (SELECT count(*) FROM job_events "
    f"WHERE id >= {_BASE} AND id < {_BASE} + {1 << ORDINAL_BITS}))"
)
# Positions below it are final (see the module docstring).
_HORIZON = f"(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << {ORDINAL_BITS})"
HORIZON: ColumnElement[int] = literal_column(_HORIZON)
# ``EventRepository.last_id``: run as is, with no statement to build, key or compile (the hub asks
# it for every transaction's events while nobody is subscribed, issue 16).
_LAST_ID = f"SELECT coalesce(max(id), 0) FROM job_events WHERE id < {_HORIZON}"


async def last_event_id(conn: AsyncConnection) -> int:
    """``EventRepository.last_id`` on a bare connection (no ORM session around one scalar)."""
    return int((await conn.exec_driver_sql(_LAST_ID)).scalar() or 0)


@functools.cache
def _with_event(transition: Any) -> Any:
    """``transition`` (an UPDATE … RETURNING a job's columns) and the INSERT of the event that
    describes its result, as one statement; built once per transition statement."""
    moved = transition.cte("moved")
    recorded = (
        insert(JobEvent)
        .from_select(
            ["id", "job_id", "document_id", "type", "status", "progress", "stage", "attempt"],
            select(
                _NEXT_POSITION,
                moved.c.id,
                moved.c.document_id,
                bindparam("event_type"),
                moved.c.status,
                moved.c.progress_percentage,
                moved.c.current_stage,
                moved.c.attempt,
            ),
        )
        .returning(*JobEvent.__table__.c)
        .cte("recorded")
    )
    job_columns = [c.label(f"moved_{c.name}") for c in moved.c]
    return select(recorded, *job_columns).select_from(
        recorded.join(moved, recorded.c.job_id == moved.c.id)
    )


@dataclasses.dataclass(slots=True)
class RecordedEvent:
    """An event a ``with_events`` statement stored: its columns, without the ORM's instance
    bookkeeping."""

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


_EVENT_COLUMNS = tuple(field.name for field in dataclasses.fields(RecordedEvent))


# One event to append with a transition (``with_events``): its type, and the
# status, progress, stage and message it records; ``None`` takes the job's value after the
# transition (the message: none).
EventSpec = tuple[JobEventType, str | None, int | None, str | None, str | None]
# A part of the same statement that acts on the transition's result (the CTE ``moved``): built
# once with it (``db.repositories.documents.follow_job_cte``, ``results.store_cte``, ...).
Also = Callable[[Any], Any]


# What ``with_events`` recorded: the events in position order, the job's new columns and the
# document's columns asked for.
Recorded = tuple[list[RecordedEvent], dict[str, Any], dict[str, Any]]


def with_events(
    transition: tuple[Any, dict[str, Any]],
    events: Sequence[EventSpec],
    *,
    also: tuple[tuple[Also, dict[str, Any]], ...] = (),
    document_columns: tuple[str, ...] = (),
) -> tuple[Any, dict[str, Any]]:
    """A transition (an UPDATE of one job, RETURNING its columns, and its parameters), the
    ``events`` describing it and more parts acting on its result (``also``, with their
    parameters; they run only when it matched), as ONE statement built once per process, and
    its parameters (the worker's claim and outcome: one round trip each, issue 16). Read its
    rows with ``recorded_of``."""
    update_stmt, params = transition
    stmt = _with_events(update_stmt, tuple(part for part, _ in also), document_columns)
    params = {
        **params,
        "event_types": [e[0].value for e in events],
        "event_statuses": [e[1] for e in events],
        "event_progresses": [e[2] for e in events],
        "event_stages": [e[3] for e in events],
        "event_messages": [e[4] for e in events],
    }
    for _, part_params in also:
        params.update(part_params)
    return stmt, params


def recorded_of(rows: Sequence[RowMapping]) -> Recorded | None:
    """The rows of a ``with_events`` statement: ``None`` when the transition matched nothing;
    else the events in position order, the job's new columns and the document's."""
    if not rows:
        return None
    recorded = [RecordedEvent(*(row[name] for name in _EVENT_COLUMNS)) for row in rows]
    if recorded[-1].id & ((1 << ORDINAL_BITS) - 1) == (1 << ORDINAL_BITS) - 1:
        raise RuntimeError("too many job events in one transaction")
    row = rows[0]
    job = {k.removeprefix("moved_"): v for k, v in row.items() if k.startswith("moved_")}
    document = {k.removeprefix("doc_"): v for k, v in row.items() if k.startswith("doc_")}
    return recorded, job, document


_INSERTED = [
    "id",
    "job_id",
    "document_id",
    "type",
    "status",
    "progress",
    "stage",
    "message",
    "attempt",
]


@functools.cache
def _with_events(transition: Any, also: tuple[Also, ...], document_columns: tuple[str, ...]) -> Any:
    """``transition`` (an UPDATE … RETURNING a job's columns), the INSERT of one event per element
    of the arrays ``event_*`` (in that order, consecutive positions), and ``also``'s parts, as ONE
    statement; returns the events with the job's new columns (``moved_*``) and the document's
    ``document_columns`` (``doc_*``). Built once per process for each combination."""
    moved = transition.cte("moved")
    specs = (
        func.unnest(
            bindparam("event_types", type_=ARRAY(String)),
            bindparam("event_statuses", type_=ARRAY(String)),
            bindparam("event_progresses", type_=ARRAY(Integer)),
            bindparam("event_stages", type_=ARRAY(String)),
            bindparam("event_messages", type_=ARRAY(Text)),
        )
        .table_valued("type", "status", "progress", "stage", "message", with_ordinality="ordinal")
        .render_derived()
    )
    recorded = (
        insert(JobEvent)
        .from_select(
            _INSERTED,
            select(
                _NEXT_POSITION + specs.c.ordinal - 1,
                moved.c.id,
                moved.c.document_id,
                specs.c.type,
                func.coalesce(specs.c.status, moved.c.status),
                func.coalesce(specs.c.progress, moved.c.progress_percentage),
                func.coalesce(specs.c.stage, moved.c.current_stage),
                specs.c.message,
                moved.c.attempt,
            ).select_from(moved, specs),
        )
        .returning(*JobEvent.__table__.c)
        .cte("recorded")
    )
    job_columns = [c.label(f"moved_{c.name}") for c in moved.c]
    joined = recorded.join(moved, recorded.c.job_id == moved.c.id)
    document = [Document.__table__.c[name].label(f"doc_{name}") for name in document_columns]
    if document:
        joined = joined.join(Document, Document.id == moved.c.document_id)
    stmt = select(recorded, *job_columns, *document).select_from(joined).order_by(recorded.c.id)
    for part in also:
        stmt = stmt.add_cte(part(moved))
    return stmt


# What ``EventRepository.add_many`` takes from each row; its position comes from its place.
_ADDED_COLUMNS: Columns = (
    ("job_id", PG_UUID(as_uuid=True)),
    ("document_id", PG_UUID(as_uuid=True)),
    ("type", Text()),
    ("status", Text()),
    ("progress", Integer()),
    ("stage", Text()),
    ("message", Text()),
    ("attempt", Integer()),
)


@functools.cache
def _add_events() -> Any:
    """``add_many``'s INSERT from arrays, each row at the next position plus its place: one
    statement for any number of rows, built once (``db.repositories.bulk``)."""
    rows = unnest_rows(_ADDED_COLUMNS, ordinality="ordinal")
    names = [name for name, _ in _ADDED_COLUMNS]
    return (
        insert(JobEvent)
        .from_select(
            ["id", *names],
            select(_NEXT_POSITION + rows.c.ordinal - 1, *(rows.c[name] for name in names)),
            include_defaults=False,
        )
        .returning(JobEvent)
    )


class EventRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(
        self, job: ProcessingJob, type: JobEventType, message: str | None = None
    ) -> JobEvent:
        """Append an event describing ``job`` as it is now, in the caller's transaction.

        No lock: concurrent writers only ever touch their own transaction's range of positions.
        """
        (event,) = await self.add_many([job], type, message)
        return event

    async def add_many(
        self, jobs: Sequence[ProcessingJob], type: JobEventType, message: str | None = None
    ) -> list[JobEvent]:
        """``add`` for several jobs in ONE statement (an upload of many files); the events take
        consecutive positions in the order of ``jobs``. Every row's position subquery reads the
        statement's snapshot, which does not see the statement's own rows: the same count for
        all, plus the row's place in the list."""
        values = [
            {
                "job_id": job.id,
                "document_id": job.document_id,
                "type": type.value,
                "status": job.status,
                "progress": job.progress_percentage,
                "stage": job.current_stage,
                "message": message,
                "attempt": job.attempt + 1 if job.status == JobStatus.QUEUED.value else job.attempt,
            }
            for job in jobs
        ]
        created = await self.session.scalars(
            _add_events(), rows_params(_ADDED_COLUMNS, values), execution_options=ORM
        )
        events = sorted(created, key=lambda event: event.id)
        if events and events[-1].id & ((1 << ORDINAL_BITS) - 1) == (1 << ORDINAL_BITS) - 1:
            raise RuntimeError("too many job events in one transaction")
        return events

    async def add_with(
        self, transition: tuple[Any, dict[str, Any]], type: JobEventType
    ) -> tuple[JobEvent, dict[str, Any]] | None:
        """Run ``transition`` (an UPDATE of one job, RETURNING its columns, and its parameters)
        and append the event describing the job's new state, in ONE statement (a data-modifying
        CTE): one round trip instead of two for the worker's every step (issue 16). ``None``
        when the UPDATE matched nothing (the conditional transition lost); else the event and
        the job's new columns.

        Same position rule as ``add``: the count of this transaction's earlier events is read in
        the statement's snapshot, which sees the earlier statements of the transaction.
        """
        update_stmt, params = transition
        stmt = _with_event(update_stmt)
        conn = await self.session.connection()  # Core: the ORM adds nothing here but CPU
        result = await conn.execute(stmt, {**params, "event_type": type.value})
        row = result.mappings().first()
        if row is None:
            return None
        event = JobEvent(**{c.name: row[c.name] for c in JobEvent.__table__.c})
        if event.id & ((1 << ORDINAL_BITS) - 1) == (1 << ORDINAL_BITS) - 1:
            raise RuntimeError("too many job events in one transaction")
        job = {k.removeprefix("moved_"): v for k, v in row.items() if k.startswith("moved_")}
        return event, job

    async def record(self, statement: tuple[Any, dict[str, Any]]) -> Recorded | None:
        """Run a ``with_events`` statement in this session's transaction."""
        conn = await self.session.connection()  # Core: the ORM adds nothing here but CPU
        return recorded_of((await conn.execute(*statement)).mappings().all())

    async def list(
        self,
        *,
        job_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
        after_id: int | None = None,
        limit: int = 1000,
    ) -> builtins.list[JobEvent]:
        """Final events (below the horizon) in position order: what may be delivered."""
        stmt = select(JobEvent).where(JobEvent.id < HORIZON).order_by(JobEvent.id).limit(limit)
        if job_id is not None:
            stmt = stmt.where(JobEvent.job_id == job_id)
        if document_id is not None:
            stmt = stmt.where(JobEvent.document_id == document_id)
        if after_id is not None:
            stmt = stmt.where(JobEvent.id > after_id)
        return list(await self.session.scalars(stmt))

    async def for_jobs(self, job_ids: Sequence[uuid.UUID]) -> builtins.list[JobEvent]:
        """Every committed event of these jobs (a history to show, not a feed to resume)."""
        stmt = select(JobEvent).where(JobEvent.job_id.in_(job_ids)).order_by(JobEvent.id)
        return list(await self.session.scalars(stmt))

    async def last_id(self) -> int:
        """The last final position: a feed starting now starts after it."""
        return await last_event_id(await self.session.connection())

    async def newest_ids(
        self,
        count: int,
        *,
        job_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
    ) -> builtins.list[int]:
        """The ids of the ``count`` newest events (of one job or document, or of all), newest
        first: an index-only scan backwards on the primary key."""
        stmt = select(JobEvent.id).order_by(JobEvent.id.desc()).limit(count)
        if job_id is not None:
            stmt = stmt.where(JobEvent.job_id == job_id)
        if document_id is not None:
            stmt = stmt.where(JobEvent.document_id == document_id)
        return list(await self.session.scalars(stmt))
