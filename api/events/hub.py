"""The per-process fan-out of job events: ONE Redis Pub/Sub subscription, many local subscribers.

Every API process runs one ``EventHub`` (started in the app lifespan). It listens on the events
channel and hands each event to the in-memory subscribers whose filter (job, document, or all)
matches, through a bounded queue per subscriber. Per event the work is one JSON parse and, per
matching subscriber, one ``put_nowait``: subscribers are indexed by job and document id, so a
feed for one job never scans the others.

Slow subscribers: a subscriber whose queue is full is dropped at once and, on its next read,
gets ``SubscriberTooSlow`` naming the last event id it received, so it can resume with
``afterEventId``. One slow client never slows the others or grows memory.

Order and gaps: PostgreSQL is the feed, Redis Pub/Sub the doorbell. An event id is a position
(``db.repositories.events``): the writing transaction's id, shifted, plus an ordinal, and readers
read only positions below the horizon of transactions still in flight, where the set of events is
final. No writer waits for another. The hub keeps a cursor (the last id it delivered, always a final
position): the id right after it (the next event of the same transaction, already final) is
delivered at once with no query; anything else (a later transaction's event, a jump over an event
whose publish was lost or is still in flight, a reconnect after a Redis restart, or the periodic
poll) makes it read the final events ``id > cursor`` from PostgreSQL and deliver those, in order.
A published event that is not final yet (a transaction older than its own is still open) is read
again shortly (``RECHECK_SECONDS``) until it is. Pub/Sub messages that arrive together cost one
read; a message holds one event or several in position order (``decode_published``).
While nobody is subscribed the hub reads nothing: a catch-up only marks the cursor stale, and
the first subscriber to come moves it to the last final position (one index probe, in
``subscribe``, before it is added). Subscribers therefore see ids strictly increasing with no
gap, and the last id a client saw is always a correct ``afterEventId``. (Delivering Pub/Sub
messages as they come would not be: two workers publish independently, so a later position can
arrive first.)

Dropped connections: the listener reconnects with exponential backoff and catches up from the
cursor. Every drop must go through that path: redis-py can reconnect and re-subscribe a PubSub on
its own (its retry layer), and what was published in between would go unnoticed until the next
poll. So the hub's connection has retries off and any error discards the PubSub
(``tests/api/events/test_hub_redis_drop.py`` kills it with ``CLIENT KILL TYPE pubsub``).

Resume (``afterEventId``): ``replay_then_live`` registers the live subscriber FIRST (its queue
buffers), then reads stored events after the id from PostgreSQL, then drains the live queue
skipping ids already replayed: no gap between the two, and no duplicate.

Sink groups (the WebSocket ``jobEvents`` fast path, ``schema.direct``): a subscriber may instead be
a ``Sink`` in a ``SinkGroup``, one group per (filter, rendering key). The group renders each
matching event ONCE (for GraphQL: one execution of the selection set and its JSON) and pushes
the text to each of its sinks, which must not block. No queue, task or generator per sink is
involved in delivery; the group is indexed like a subscriber, so filters cost the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import PaperlaneError
from api.events.model import JobEventMessage, decode_published
from db.repositories import EventRepository

log = logging.getLogger(__name__)

SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]
REPLAY_BATCH = 1000
RECHECK_SECONDS = 0.02  # a published event not final yet is read again after this
RECHECK_FOR_SECONDS = 10.0  # for this long at most; then the periodic poll (a bogus announcement)


class SubscriberTooSlow(PaperlaneError):
    code = "SUBSCRIBER_TOO_SLOW"


def too_slow(resume: int | None) -> SubscriberTooSlow:
    """The error a dropped subscriber gets: the last id it received is where it resumes."""
    return SubscriberTooSlow(f"subscriber too slow; resume with afterEventId={resume or 0}")


class Subscriber:
    """One live consumer's filter and bounded buffer. Iterate it to receive events."""

    __slots__ = ("document_id", "dropped", "hub", "job_id", "last_id", "queue")

    def __init__(
        self, hub: EventHub, job_id: uuid.UUID | None, document_id: uuid.UUID | None, size: int
    ):
        self.hub = hub
        self.job_id = job_id
        self.document_id = document_id
        self.queue: asyncio.Queue[JobEventMessage] = asyncio.Queue(maxsize=max(1, size))
        self.dropped = False
        self.last_id: int | None = None

    def matches(self, message: JobEventMessage) -> bool:
        return (self.job_id is None or message.job_id == self.job_id) and (
            self.document_id is None or message.document_id == self.document_id
        )

    @property
    def size(self) -> int:
        return 1

    def offer(self, message: JobEventMessage) -> int:
        if self.dropped:
            return 1
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped = True
            self.hub.unsubscribe(self)
            log.warning("dropping a subscriber that fell %d events behind", self.queue.maxsize)
        return 1

    def too_slow(self) -> SubscriberTooSlow:
        resume = self.last_id
        if resume is None and not self.queue.empty():
            resume = self.queue._queue[0].id - 1  # type: ignore[attr-defined]
        return too_slow(resume)

    async def get(self) -> JobEventMessage:
        if self.dropped:
            raise self.too_slow()
        message = await self.queue.get()
        self.last_id = message.id
        return message

    def __aiter__(self) -> AsyncIterator[JobEventMessage]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[JobEventMessage]:
        while True:
            yield await self.get()


class Sink:
    """A live subscriber fed by its ``SinkGroup``: ``push`` gets each matching event's rendered
    text and must not block (a WebSocket sink appends a frame to its socket's writer);
    ``fail`` ends it with an error (the group could not render an event)."""

    __slots__ = ("group",)

    def __init__(self) -> None:
        self.group: SinkGroup | None = None

    def push(self, event_id: int, text: str) -> None:
        raise NotImplementedError

    def fail(self, error: Exception) -> None:
        raise NotImplementedError


Render = Callable[[JobEventMessage], str]


class SinkGroup:
    """The sinks with the same filter and the same ``render`` key: each event is rendered once
    for all of them, then pushed to each."""

    __slots__ = ("document_id", "job_id", "key", "render", "sinks")

    def __init__(
        self,
        key: tuple[Any, ...],
        job_id: uuid.UUID | None,
        document_id: uuid.UUID | None,
        render: Render,
    ):
        self.key = key
        self.job_id = job_id
        self.document_id = document_id
        self.render = render
        self.sinks: set[Sink] = set()

    @property
    def size(self) -> int:
        return len(self.sinks)

    def matches(self, message: JobEventMessage) -> bool:
        return (self.job_id is None or message.job_id == self.job_id) and (
            self.document_id is None or message.document_id == self.document_id
        )

    def offer(self, message: JobEventMessage) -> int:
        sinks = tuple(self.sinks)  # a push may detach its sink (too slow)
        try:
            text = self.render(message)
        except Exception as error:
            for sink in sinks:
                sink.fail(error)
            return 0
        for sink in sinks:
            sink.push(message.id, text)
        return len(sinks)


Target = Subscriber | SinkGroup


class EventHub:
    TASK_NAME = "paperlane-event-hub"  # its listener task's name (logs, and the tests' filters)

    def __init__(
        self,
        redis_url: str,
        channel: str,
        sessions: SessionFactory,
        *,
        probe: Callable[[], Awaitable[int]] | None = None,
        queue_size: int = 1000,
        max_backoff: float = 5.0,
        poll_seconds: float = 2.0,
    ):
        self.redis_url = redis_url
        self.channel = channel
        self.sessions = sessions
        # The last final position (the stale cursor's one query); by default through a session.
        self.probe = probe or self._probe
        self.queue_size = queue_size
        self.max_backoff = max_backoff
        self.poll_seconds = poll_seconds
        self._all: set[Target] = set()
        self._by_job: dict[uuid.UUID, set[Target]] = {}
        self._by_document: dict[uuid.UUID, set[Target]] = {}
        self._groups: dict[tuple[Any, ...], SinkGroup] = {}
        self.last_seen_id: int | None = None  # the cursor: the last id delivered, in order
        self._stale = False  # events went by while nobody listened: probe before the next one
        self.published_id = 0  # the highest id Pub/Sub announced (it may not be final yet)
        self._announced_at = 0.0  # when ``published_id`` was last raised
        self._catch_up_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.connected = asyncio.Event()
        self.reconnects = 0
        self.recovered = 0  # events delivered from PostgreSQL rather than from Pub/Sub

    # -- subscribers ---------------------------------------------------------------------------

    @property
    def subscriber_count(self) -> int:
        """Queued subscribers and sinks."""
        return (
            sum(target.size for target in self._all)
            + sum(target.size for group in self._by_job.values() for target in group)
            + sum(target.size for group in self._by_document.values() for target in group)
        )

    def _index(self, target: Target) -> None:
        if target.job_id is not None:
            self._by_job.setdefault(target.job_id, set()).add(target)
        elif target.document_id is not None:
            self._by_document.setdefault(target.document_id, set()).add(target)
        else:
            self._all.add(target)

    async def subscribe(
        self,
        job_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
        queue_size: int | None = None,
    ) -> Subscriber:
        await self._freshen()
        subscriber = Subscriber(self, job_id, document_id, queue_size or self.queue_size)
        self._index(subscriber)
        return subscriber

    async def attach(
        self,
        sink: Sink,
        key: tuple[Any, ...],
        job_id: uuid.UUID | None,
        document_id: uuid.UUID | None,
        render: Render,
    ) -> None:
        """Add ``sink`` to the group of (filter, ``key``), made with ``render`` if new. Sinks
        with equal keys must render events alike: the group keeps its first ``render``."""
        await self._freshen()
        group_key = (job_id, document_id, *key)
        group = self._groups.get(group_key)
        if group is None:
            group = self._groups[group_key] = SinkGroup(group_key, job_id, document_id, render)
            self._index(group)
        group.sinks.add(sink)
        sink.group = group

    def detach(self, sink: Sink) -> None:
        group, sink.group = sink.group, None
        if group is None:
            return
        group.sinks.discard(sink)
        if not group.sinks:
            del self._groups[group.key]
            self.unsubscribe(group)

    def unsubscribe(self, subscriber: Target) -> None:
        if subscriber.job_id is not None:
            index, key = self._by_job, subscriber.job_id
        elif subscriber.document_id is not None:
            index, key = self._by_document, subscriber.document_id
        else:
            self._all.discard(subscriber)
            return
        group = index.get(key)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del index[key]

    @contextlib.asynccontextmanager
    async def subscription(
        self, job_id: uuid.UUID | None = None, document_id: uuid.UUID | None = None
    ) -> AsyncIterator[Subscriber]:
        subscriber = await self.subscribe(job_id, document_id)
        try:
            yield subscriber
        finally:
            self.unsubscribe(subscriber)

    async def replay_then_live(
        self,
        *,
        job_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
        after_id: int | None = None,
    ) -> AsyncGenerator[JobEventMessage, None]:
        """Stored events after ``after_id`` (if given), then live ones; no gap, no duplicate."""
        async with self.subscription(job_id, document_id) as subscriber:
            last = after_id
            if after_id is not None:
                async for message in self.stored(job_id, document_id, after_id):
                    last = message.id
                    subscriber.last_id = message.id
                    yield message
            async for message in subscriber:
                if last is not None and message.id <= last:
                    continue
                yield message

    async def stored(
        self, job_id: uuid.UUID | None, document_id: uuid.UUID | None, after_id: int
    ) -> AsyncIterator[JobEventMessage]:
        while True:
            async with self.sessions() as session:
                rows = await EventRepository(session).list(
                    job_id=job_id,
                    document_id=document_id,
                    after_id=after_id,
                    limit=REPLAY_BATCH,
                )
            for row in rows:
                yield JobEventMessage.from_row(row)
            if len(rows) < REPLAY_BATCH:
                return
            after_id = rows[-1].id

    # -- delivery ------------------------------------------------------------------------------

    def deliver(self, message: JobEventMessage) -> int:
        """Hand ``message`` to every matching subscriber; returns how many got it.

        Callers deliver in id order; an id at or below the cursor was delivered already.
        """
        if self.last_seen_id is not None and message.id <= self.last_seen_id:
            return 0
        self.last_seen_id = message.id
        delivered = 0
        targets: list[Target] = list(self._all)
        targets.extend(self._by_job.get(message.job_id, ()))
        targets.extend(self._by_document.get(message.document_id, ()))
        for target in targets:
            if target.matches(message):
                delivered += target.offer(message)
        return delivered

    async def on_published(self, *data: bytes | str) -> None:
        """Pub/Sub messages: the next event in order is delivered as is; a jump means catch up."""
        behind = False
        for message in self._decode(data):
            if message.id > self.published_id:
                self.published_id, self._announced_at = message.id, time.monotonic()
            if not behind and self.last_seen_id is not None and message.id == self.last_seen_id + 1:
                self.deliver(message)
            elif self.last_seen_id is None or message.id > self.last_seen_id:
                behind = True
        if behind:
            await self.catch_up()

    def _decode(self, data: tuple[bytes | str, ...]) -> list[JobEventMessage]:
        """The events of the messages, in order (a message holds one event or a commit's)."""
        messages: list[JobEventMessage] = []
        for raw in data:
            try:
                messages += decode_published(raw)
            except ValueError:
                log.warning("ignoring a malformed event on %s: %.200r", self.channel, raw)
        return messages

    @property
    def behind(self) -> bool:
        """Pub/Sub announced an event that was not final when last read (recently: an id that
        never becomes final, published by a stranger on the channel, is left to the poll), and
        someone is subscribed to get it."""
        return (
            not self.idle
            and self.last_seen_id is not None
            and self.published_id > self.last_seen_id
            and time.monotonic() - self._announced_at < RECHECK_FOR_SECONDS
        )

    @property
    def idle(self) -> bool:
        """No subscriber and no sink: an event would be delivered to nobody."""
        return not (self._all or self._by_job or self._by_document)

    async def catch_up(self) -> None:
        """Deliver, in order, every stored event after the cursor (on start: set the cursor).

        Idle (nobody subscribed), nothing is read: the cursor is only marked stale, and the next
        subscriber moves it to the last final position before it is added (``_freshen``). An
        idle API process probed PostgreSQL after every worker commit, two per document, for
        nobody (issue 16). A stale cursor is never read from: whoever subscribes gets what
        comes after the final position at the moment they subscribed, as before."""
        async with self._catch_up_lock:
            if self.last_seen_id is None:
                self.last_seen_id = await self.probe()
                return
            if self.idle:
                self._stale = True
                return
            async for message in self.stored(None, None, self.last_seen_id):
                if self.deliver(message):
                    self.recovered += 1

    async def _freshen(self) -> None:
        """Before a subscriber or sink is added: a stale cursor moves to the last final
        position. The caller adds it with no ``await`` in between, so no catch-up can run
        with the new subscriber and the old cursor."""
        if not self._stale:
            return
        async with self._catch_up_lock:
            if self._stale:
                last = await self.probe()
                self.last_seen_id = max(self.last_seen_id or 0, last)
                self._stale = False

    async def _probe(self) -> int:
        async with self.sessions() as session:
            return await EventRepository(session).last_id()

    # -- the listener --------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name=self.TASK_NAME)

    async def stop(self) -> None:
        """Stop listening. A stop flag ends the loop at its next poll (≤ 1 s): redis-py can
        swallow a cancellation that lands inside ``get_message``, so cancelling is the fallback."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        done, _ = await asyncio.wait({task}, timeout=2.5)
        while not done:
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=1.0)
        with contextlib.suppress(asyncio.CancelledError, Exception):
            task.result()

    async def _run(self) -> None:
        backoff = 0.1
        while not self._stopping:
            redis: Redis | None = None
            pubsub: PubSub | None = None
            try:
                redis = Redis.from_url(
                    self.redis_url,
                    socket_connect_timeout=2,
                    socket_keepalive=True,
                    health_check_interval=15,
                    # No silent reconnect inside redis-py: it would resubscribe without telling
                    # us, and events published in between would be lost (no gap fill).
                    retry=Retry(NoBackoff(), 0),
                )
                pubsub = redis.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self.channel)
                await self.catch_up()  # what was stored while we were not listening
                self.connected.set()
                backoff = 0.1
                polled = time.monotonic()
                while not self._stopping:
                    timeout = RECHECK_SECONDS if self.behind else 1.0
                    message: dict[str, Any] | None = await pubsub.get_message(timeout=timeout)
                    if message is not None:
                        batch = [message]  # and whatever else has already arrived
                        while len(batch) < REPLAY_BATCH and (
                            more := await pubsub.get_message(timeout=0)
                        ):
                            batch.append(more)
                        await self.on_published(
                            *(m["data"] for m in batch if m.get("type") == "message")
                        )
                    elif self.behind:
                        await self.catch_up()
                    elif time.monotonic() - polled >= self.poll_seconds:
                        # An event whose publish was lost (its publisher's Redis call failed)
                        # and that no later event has followed yet.
                        polled = time.monotonic()
                        await self.catch_up()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.connected.clear()
                self.reconnects += 1
                log.warning(
                    "event hub lost its subscription (%s); reconnecting in %.1fs",
                    type(error).__name__,
                    backoff,
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        await pubsub.aclose()
                if redis is not None:
                    with contextlib.suppress(Exception):
                        await redis.aclose()
