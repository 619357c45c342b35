"""Direct delivery of ``jobEvents`` over WebSocket: one frame per group, written to each socket.

On Strawberry's path every event costs, per subscriber: the hub's queue hand-off, the resolver's
async generator layers, graphql-core's map iterator, Strawberry's extension hooks per result,
the message dict and its encoding, and a write. ``schema.shared`` already executes and encodes
the event once per (operation, variables); what remained per subscriber was the plumbing.

Here an eligible subscription leaves that path once it is live. Its resolver (same checks as
before: ids, NOT_FOUND, the replay window; parsing, validation and cost limits ran before it on
Strawberry's normal path) registers a ``DirectSink`` in the hub's ``SinkGroup`` for

    (job filter, document filter, the operation node, the variables its selection set uses)

and hands the sink to the socket's handler (below). Per event the group executes the
selection set ONCE (the subscription's own executor, with the event as root value), encodes
``{"data": …}`` ONCE, and pushes the text to each sink; a sink puts its protocol's frame
(``{"id":"<its operation id>","type":"next"|"data","payload":`` + text + ``}``) on its
socket's ``SocketWriter``. Nothing
per subscriber runs per event besides that string concatenation and a list append.

Eligible: a ``jobEvents`` subscription sent over one of our WebSocket handlers (``schema.app``
sets ``TARGET`` in the operation's task), whose operation has exactly one root selection, the
``jobEvents`` field, without directives, executed by ``SharedEventExecutor`` without field
middleware, with JSON-encodable variables. Anything else (SSE, ``schema.subscribe`` in process,
a fragment at the root) stays on Strawberry's path. ``JobEvent`` is plain data: its selection
executes synchronously and cannot fail; if an execution ever did not (errors, or awaitable),
the group's subscriptions end with that error on Strawberry's path (masked, logged) rather than
send a frame Strawberry would not have sent.

Once live (right after attaching, or after the replay below), the sink is handed to the
socket's handler (``Target.adopt``, ``schema.app``) and the resolver returns: Strawberry's
operation ends without a message (the handler suppresses its ``complete``), and its task, its
execution context, extension runners and graphql-core executor are freed (~24 KiB per live
subscription, issue 16). The handler keeps the operation id registered, so the rest behaves as
before: ``complete``/``stop`` detach the sink (a ``stop`` still gets its ``complete``), the
per-connection limit counts it, the credential re-check still closes the socket, and shutdown
detaches every sink. When a sink ends on its own (too slow, a failed execution) the handler
sends what Strawberry sent for an error raised by the source stream: a ``next``/``data`` with
the error (logged and masked as Strawberry does), then ``complete``. A sink that is not adopted
(no handler, or it ended during the replay) is waited for in the resolver, as before.
``afterEventId``: the sink is attached FIRST and holds live events back
while the stored ones are replayed through the normal path (the resolver yields them), then
releases those newer than the last replayed one and skips any older one that arrives later:
no gap, no duplicate. Slow subscribers: frames not yet handed to the socket count against the
hub's ``queue_size``; one more drops the sink, and the subscription ends with the same
``SUBSCRIBER_TOO_SLOW`` error naming the last id it received.

Ordering on a socket: ``SocketWriter`` is one per WebSocket, created on its first eligible
subscription; a task exists only while frames are pending. It sends pending frames back to back
when the socket drains (a slow-but-alive client gets its backlog in one go), and every other
message the handler sends waits for it first, so ``complete`` or an error never overtakes a
frame of the same operation; frames of a sink that ended are skipped.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator
from contextvars import ContextVar
from typing import Any

from graphql import ExecutionResult, FieldNode, Node, VariableNode

from api.events.hub import EventHub, Sink, SubscriberTooSlow, too_slow
from api.events.model import JobEventMessage
from schema.shared import SHARED, SUBSCRIBING, SharedEventExecutor, job_event_of
from schema.types import JobEvent
from schema.wire import Wire

log = logging.getLogger(__name__)


class _Resume:
    """Awaiting it carries on a coroutine that was started outside any task and suspended at
    ``yielded`` (a future): what ``await`` would have done had a task started it."""

    __slots__ = ("coro", "yielded")

    def __init__(self, coro: Any, yielded: Any):
        self.coro = coro
        self.yielded = yielded

    def __await__(self) -> Generator[Any, Any, None]:
        coro, value = self.coro, self.yielded
        while True:
            try:
                received = yield value
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as error:  # cancellation: into the coroutine
                try:
                    value = coro.throw(error)
                except StopIteration:
                    return
            else:
                try:
                    value = coro.send(received)
                except StopIteration:
                    return


class SocketWriter:
    """Writes a WebSocket's direct frames in order, without a task while the socket keeps up.

    A frame is written at once: straight to the socket (``schema.wire``) when the server lets
    us, else by running the send coroutine in place, as uvicorn's send only suspends when the
    transport pushes back (its buffer is full). Only then does a task carry that send on;
    frames arriving meanwhile wait in ``pending`` (counted against their sink's limit) and go
    out back to back, one batch per drain, when the socket drains."""

    __slots__ = ("broken", "pending", "send", "task", "wire", "wrote")

    def __init__(self, send: Callable[[str], Coroutine[Any, Any, None]], wire: Wire | None = None):
        self.send = send
        self.wire = wire
        self.pending: list[tuple[DirectSink, int, str]] = []
        self.task: asyncio.Task[None] | None = None
        self.broken = False
        self.wrote = False  # a frame was put since the keep-alive last looked (schema.app)

    def put(self, sink: DirectSink, event_id: int, frame: str) -> None:
        if self.broken:
            return
        self.wrote = True
        if self.task is not None:  # a write is waiting for the socket: queue behind it
            sink.queued += 1
            self.pending.append((sink, event_id, frame))
            return
        sink.last_id = event_id
        try:
            if self.wire is not None and self.wire.write(frame):
                return
        except Exception:
            self._broke()
            return
        coro = self.send(frame)
        try:
            yielded = coro.send(None)
        except StopIteration:
            return  # written (the usual case)
        except Exception:
            self._broke()
            return
        self.task = asyncio.get_running_loop().create_task(self._drain(_Resume(coro, yielded)))

    def _broke(self) -> None:
        # The socket is gone: the handler's reader sees it and shuts the operations down.
        self.broken = True
        self.pending = []

    async def _drain(self, started: _Resume) -> None:
        try:
            await started
            while self.pending:
                batch, self.pending = self.pending, []
                for sink, event_id, frame in batch:
                    sink.queued -= 1
                    if sink.group is None:
                        continue  # the subscription ended
                    sink.last_id = event_id
                    await self.send(frame)
        except Exception:
            self._broke()
        finally:
            self.task = None

    async def flush(self) -> None:
        """Wait until the frames pending now (and any added meanwhile) are written."""
        while (task := self.task) is not None and task is not asyncio.current_task():
            await asyncio.wait((task,))

    def close(self) -> None:
        self._broke()
        if self.task is not None:
            self.task.cancel()


Adopt = Callable[["Target", "DirectSink"], bool]


class Target:
    """Where an operation's direct frames go: its socket's writer and its frame prefix; and
    the handler that takes the live sink over (``adopt``: True if it did)."""

    __slots__ = ("adopted", "operation_id", "owner", "prefix", "writer")

    def __init__(
        self, writer: SocketWriter, operation_id: str, kind: str, owner: Adopt | None = None
    ):
        self.writer = writer
        self.operation_id = operation_id
        self.prefix = f'{{"id":{json.dumps(operation_id)},"type":"{kind}","payload":'
        self.owner = owner
        self.adopted = False

    def adopt(self, sink: DirectSink) -> bool:
        if self.owner is None or not self.owner(self, sink):
            return False
        self.adopted = True
        return True


# Set by the WebSocket handlers (``schema.app``) in each operation's task.
TARGET: ContextVar[Target | None] = ContextVar("direct_target", default=None)


class DirectSink(Sink):
    """One subscription's place in its group: frames go to its socket's writer."""

    __slots__ = (
        "ended",
        "error",
        "first_id",
        "held",
        "hub",
        "last_id",
        "on_end",
        "queued",
        "skip_through",
        "target",
    )

    def __init__(self, hub: EventHub, target: Target, after_id: int | None):
        super().__init__()
        self.hub = hub
        self.target = target
        self.queued = 0  # frames pending in the writer, not yet handed to the socket
        self.last_id = after_id  # the last event the client was sent
        self.first_id: int | None = None  # the first event pushed (resume point if none sent)
        self.skip_through = after_id  # after a replay: live events up to here were replayed
        self.held: list[tuple[int, str]] | None = None  # live events held back during a replay
        self.ended = False  # ended on its own: too slow (error None) or a failed execution
        self.error: Exception | None = None
        self.on_end: Callable[[DirectSink], None] | None = None  # called once, when it ends

    def push(self, event_id: int, text: str) -> None:
        if self.first_id is None:
            self.first_id = event_id
        if self.held is not None:
            if len(self.held) >= self.hub.queue_size:
                self._end(None)
            else:
                self.held.append((event_id, text))
            return
        if self.skip_through is not None and event_id <= self.skip_through:
            return
        if self.queued >= self.hub.queue_size:
            self._end(None)
            return
        self.target.writer.put(self, event_id, self.target.prefix + text + "}")

    def fail(self, error: Exception) -> None:
        self._end(error)

    def _end(self, error: Exception | None) -> None:
        self.hub.detach(self)
        if self.ended:
            return
        if error is None:
            log.warning("dropping a subscriber that fell %d events behind", self.hub.queue_size)
        self.ended, self.error = True, error
        if self.on_end is not None:
            self.on_end(self)

    def ending(self) -> Exception:
        """The error the subscription ends with (once ``ended``)."""
        return self.error if self.error is not None else self.too_slow()

    async def wait(self) -> Exception:
        """Until the sink ends on its own; the error to end the subscription with."""
        if not self.ended:
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def wake(_: DirectSink) -> None:
                if not done.done():
                    done.set_result(None)

            self.on_end = wake
            await done
        return self.ending()

    def hold(self) -> None:
        self.held = []

    def release(self, last_replayed: int | None) -> None:
        held, self.held = self.held or [], None
        self.skip_through = last_replayed
        for event_id, text in held:
            if self.group is None:
                return
            self.push(event_id, text)

    def too_slow(self) -> SubscriberTooSlow:
        resume = self.last_id
        if resume is None and self.first_id is not None:
            resume = self.first_id - 1
        return too_slow(resume)


def _variables(node: Node, names: set[str]) -> set[str]:
    """The names of the variables used under ``node``."""
    if isinstance(node, VariableNode):
        names.add(node.name.value)
        return names
    for key in node.keys:
        value = getattr(node, key, None)
        for child in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(child, Node):
                _variables(child, names)
    return names


class Route:
    """An eligible subscription's group key and renderer (see the module docstring)."""

    __slots__ = ("executor", "key", "target")

    def __init__(self, executor: SharedEventExecutor, key: tuple[Any, ...], target: Target):
        self.executor = executor
        self.key = key
        self.target = target

    @classmethod
    def of(cls, operation: Any) -> Route | None:
        target = TARGET.get()
        executor = SUBSCRIBING.get()
        if target is None or executor is None or executor.operation is not operation:
            return None
        selections = operation.selection_set.selections
        if (
            len(selections) != 1
            or not isinstance(selections[0], FieldNode)
            or selections[0].name.value != "jobEvents"
            or selections[0].directives
            or executor._prefix() is None  # field middleware, or variables JSON cannot hold
        ):
            return None
        coerced = executor.variable_values.coerced
        used = sorted(_variables(selections[0], set()) & coerced.keys())
        try:
            variables = json.dumps({name: coerced[name] for name in used}, sort_keys=True)
        except (TypeError, ValueError):
            return None
        # The group keeps this executor, hence the operation node: its id is not reused.
        return cls(executor, (id(operation), variables), target)

    def render(self, message: JobEventMessage) -> str:
        """``{"data": …}`` of the event, as JSON: executed and encoded once per group."""
        executor = self.executor
        result = executor.build_per_event_executor(job_event_of(message)).execute_operation(False)
        if inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()
            raise TypeError("a jobEvents selection did not execute synchronously")
        if not isinstance(result, ExecutionResult) or result.errors or result.data is None:
            errors = getattr(result, "errors", None)
            raise (errors[0] if errors else TypeError("a jobEvents selection gave no data"))
        text = SHARED.payload_json(result.data)  # encoded once, shared with Strawberry's path
        if text is None:
            text = json.dumps({"data": result.data}, separators=(",", ":"))
        return text

    async def events(
        self,
        hub: EventHub,
        job_id: Any,
        document_id: Any,
        after_id: int | None,
    ) -> AsyncGenerator[JobEvent, None]:
        """The replayed events (yielded: they take Strawberry's path), then live ones directly.
        Once live the sink is handed to the socket's handler and this ends without error
        (Strawberry's operation then ends silently, see the module docstring); a sink nobody
        adopts ends this with its error (too slow, a failed execution), or by cancellation."""
        sink = DirectSink(hub, self.target, after_id)
        await hub.attach(sink, self.key, job_id, document_id, self.render)
        adopted = False
        try:
            if after_id is not None:
                sink.hold()
                last = after_id
                async for message in hub.stored(job_id, document_id, after_id):
                    last = sink.last_id = message.id
                    yield job_event_of(message)
                sink.release(last)
            if not sink.ended and self.target.adopt(sink):
                adopted = True
                return
            raise await sink.wait()
        finally:
            if not adopted:
                hub.detach(sink)
