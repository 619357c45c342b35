"""The review queue: COMPLETED documents (extracted, not yet finalized), oldest upload first.

``next``/``previous`` walk it from a document (which may have left the queue meanwhile, e.g.
just finalized): the neighbour in upload order, wrapping around at the ends so documents skipped
earlier come back. Both use ``ix_documents_status_uploaded``.

``ReviewQueueWatch`` keeps the dashboards' count of it live (``reviewQueueLength`` subscription).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncGenerator, Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Document, DocumentStatus
from db.repositories import DocumentRepository
from db.repositories.documents import DocumentCriteria

QUEUED_FOR_REVIEW = DocumentStatus.COMPLETED.value


class ReviewQueue:
    def __init__(self, session: AsyncSession):
        self.documents = DocumentRepository(session)

    async def _step(self, start: uuid.UUID | None, *, forward: bool) -> Document | None:
        position = None
        if start is not None:
            current = await self.documents.get(start)
            if current is not None:
                position = (current.uploaded_at, current.id)
        found = await self.documents.next_in_status(QUEUED_FOR_REVIEW, position, forward=forward)
        if found is None and position is not None:
            # Past the end: wrap around, but never back to where we stand.
            found = await self.documents.next_in_status(
                QUEUED_FOR_REVIEW, None, forward=forward, exclude=start
            )
        return found

    async def next(self, after: uuid.UUID | None = None) -> Document | None:
        """The oldest document to review after ``after`` (without it: the oldest of all)."""
        return await self._step(after, forward=True)

    async def previous(self, before: uuid.UUID | None = None) -> Document | None:
        """The document to review before ``before`` (without it: the newest)."""
        return await self._step(before, forward=False)

    async def length(self) -> int:
        return await self.documents.count(DocumentCriteria(statuses=(QUEUED_FOR_REVIEW,)))


log = logging.getLogger(__name__)


class ReviewQueueWatch:
    """The queue's length, pushed to every subscriber of this process when it changes.

    Why a poll, not events: the queue grows when a job completes, but shrinks on a finalize,
    which is no job event (the events channel carries ``JobEvent``s only, by contract) and may
    happen on another API process or in a worker (the straight-through rule). One indexed count
    per process per ``interval``, shared by every subscriber, costs less than reacting to each
    event of a busy feed. It runs only while someone listens. Each subscriber keeps only the
    latest length: a slow one skips values, never falls behind or holds memory.
    """

    def __init__(
        self,
        sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        interval: float,
    ):
        self._sessions = sessions
        self._interval = interval
        self._listeners: set[asyncio.Queue[int]] = set()
        self._poller: asyncio.Task[None] | None = None
        self._counting = asyncio.Lock()
        self.length: int | None = None  # what every listener was last told

    async def lengths(self) -> AsyncGenerator[int, None]:
        """The current length at once, then each new one."""
        latest: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        self._listeners.add(latest)
        try:
            if self._poller is None or self._poller.done():
                self.length = None  # nobody was listening: what we knew may be stale
                self._poller = asyncio.create_task(self._poll(), name="review-queue-watch")
            async with self._counting:  # newcomers arriving together share one count
                if self.length is None:
                    self.length = await self._count()
                current = self.length
            yield current
            while True:
                yield await latest.get()
        finally:
            self._listeners.discard(latest)

    @property
    def idle(self) -> bool:
        return self._poller is None or self._poller.done()

    async def _count(self) -> int:
        async with self._sessions() as session:
            return await ReviewQueue(session).length()

    async def _poll(self) -> None:
        while self._listeners:
            await asyncio.sleep(self._interval)
            try:
                async with self._counting:
                    length = await self._count()
                    changed = length != self.length
                    self.length = length
            except Exception:
                log.warning("counting the review queue failed; trying again", exc_info=True)
                continue
            if changed:
                for listener in self._listeners:
                    with contextlib.suppress(asyncio.QueueEmpty):
                        listener.get_nowait()  # an unread older length: replaced
                    listener.put_nowait(length)

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
