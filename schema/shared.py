"""Shared execution of subscription results: one execution per (document, variables, event).

Strawberry executes a subscription's selection set once per event per subscriber. For the
dashboard feed (1,000 browser tabs on one API process, all sending the same generated document)
that is 1,000 identical executions of the same ten scalar fields per event. Here the per-event
execution goes through ``SharedEventExecutor`` (the schema's ``execution_context_class``): the
first subscriber to reach an event executes it and stores the result under

    (the operation node, the coerced variables, the event object)

and every other subscriber with the same key gets that same result object. The WebSocket
handlers (``schema.app``) then also share its JSON: ``shared_next_text`` encodes the payload once
and only splices each subscriber's own operation id into the ``next`` / ``data`` message.

What stays per subscriber, unchanged: parsing, validation and the cost limits (Strawberry's
normal path, so invalid documents get the same errors), argument checks, the hub subscription
(job/document filter, ``afterEventId`` replay without gap or duplicate, the bounded queue that
closes a slow subscriber), error results, and both protocols. Sharing needs only that equal keys
give equal results, which holds because:

- the operation node is the parsed document's own node (``ParserCache`` hands every subscriber
  that sent the same text the same ``DocumentNode``; the cache entry keeps the node alive, so
  its identity cannot be reused by another document);
- the root value is a ``JobEvent`` (plain data: its fields have no resolvers reading the context
  or the user), and the key holds that very object: the hub hands one ``JobEventMessage`` to all
  live subscribers and ``job_event_of`` turns it into one ``JobEvent`` for all of them. Keys are
  identities kept alive by the entry, never ids that could be reused (event ids restart after
  a ``TRUNCATE … RESTART IDENTITY`` in tests, or a restored database); replayed events are
  fresh objects per subscriber and simply not shared;
- there is no field middleware (a schema extension with a ``resolve`` hook would run per
  subscriber; with one installed nothing is shared);
- results with errors are never shared (error masking may rewrite them per execution).

Measured with ``python -m tests.schema.shared_feed_bench`` (200 in-process subscribers over the
real handlers and fake sockets, 200 events, CPU time per event per subscriber; 2 vCPUs shared
with other work, so ±10 %; three runs each):

=====================================  ===================  ==========  =====================
case                                   before (Strawberry)  shared      direct (schema.direct)
=====================================  ===================  ==========  =====================
graphql-transport-ws, one document     330-370 µs           52-74 µs    1.3-1.5 µs
graphql-ws, one document               340-370 µs           70-73 µs    3.9-4.2 µs
200 different documents (no sharing)   335-365 µs           370-400 µs  139-146 µs
=====================================  ===================  ==========  =====================

The "shared" column is this module alone: what remained per subscriber was Strawberry's stream
plumbing (extension hooks per result, the async generator layers) and the hub's queue
hand-off. ``jobEvents`` over WebSocket now skips those once live (``schema.direct``, the last
column, 2026-11-30): the hub renders each event once per group of identical subscriptions,
through this executor, and each socket gets the frame; this module's cache still serves the
subscriptions that stay on Strawberry's path (replayed events, ineligible documents,
``schema.subscribe`` called in process). Fake sockets: the write itself (uvicorn, the kernel)
is not in these figures; ``tests/bench/bench_events.py`` has them.
``PaperlaneMaskErrors._process_result`` also skips Strawberry's runtime-Protocol ``isinstance``
(~25 µs per streamed result); the "before" column was measured without either change.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    OperationType,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.events.model import JobEventMessage
from schema.types import JobEvent

CACHE_SIZE = 4096
_UNSET: Any = object()


Key = tuple[int, str, int]


class _Entry:
    __slots__ = ("data", "operation", "payload_json", "result", "root")

    def __init__(self, operation: OperationDefinitionNode, root: object, result: ExecutionResult):
        self.operation = operation  # keep the node and the event alive while cached, so that
        self.root = root  # their ids in the key cannot be reused by other objects
        self.result = result
        self.data = result.data
        self.payload_json: str | None = None


class SharedResults:
    """A small LRU of executed events; single-threaded (the event loop's thread)."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._entries: OrderedDict[Key, _Entry] = OrderedDict()
        self._by_data: dict[int, _Entry] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Key, operation: OperationDefinitionNode, root: object) -> Any:
        entry = self._entries.get(key)
        if entry is None or entry.operation is not operation or entry.root is not root:
            self.misses += 1
            return None
        self.hits += 1
        return entry.result

    def put(self, key: Key, operation: OperationDefinitionNode, root: object, result: Any) -> None:
        if not isinstance(result, ExecutionResult) or result.errors or result.data is None:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._by_data.pop(id(old.data), None)
        entry = _Entry(operation, root, result)
        self._entries[key] = entry
        self._by_data[id(entry.data)] = entry
        while len(self._entries) > self.size:
            _, evicted = self._entries.popitem(last=False)
            self._by_data.pop(id(evicted.data), None)

    def payload_json(self, data: object) -> str | None:
        """``{"data": …}`` as JSON if ``data`` is a shared result's data, encoded once."""
        entry = self._by_data.get(id(data))
        if entry is None or entry.data is not data:
            return None
        if entry.payload_json is None:
            entry.payload_json = json.dumps({"data": data}, separators=(",", ":"))
        return entry.payload_json

    def clear(self) -> None:
        self._entries.clear()
        self._by_data.clear()
        self.hits = self.misses = 0


SHARED = SharedResults()

_EVENTS: OrderedDict[int, tuple[JobEventMessage, JobEvent]] = OrderedDict()
EVENT_CACHE = 1024


def job_event_of(message: JobEventMessage) -> JobEvent:
    """One ``JobEvent`` per delivered message object: the hub hands the same message to every
    live subscriber, and the same ``JobEvent`` lets ``schema.shared`` execute it once for all."""
    hit = _EVENTS.get(id(message))
    if hit is not None and hit[0] is message:
        return hit[1]
    event = JobEvent.of(message)
    _EVENTS[id(message)] = (message, event)
    if len(_EVENTS) > EVENT_CACHE:
        _EVENTS.popitem(last=False)
    return event


# The subscription executor whose root field resolver is being called, for that resolver (same
# task): ``schema.direct`` keeps it to execute each event once for a group of subscribers.
SUBSCRIBING: ContextVar[SharedEventExecutor | None] = ContextVar("subscribing", default=None)


class SharedEventExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with per-event executions of subscriptions shared (see above)."""

    _share_prefix: Any = _UNSET  # (operation id, variables JSON) or None; set once per operation

    def _prefix(self) -> tuple[int, str] | None:
        if self._share_prefix is _UNSET:
            prefix: tuple[int, str] | None = None
            middleware = self.middleware_manager
            if self.operation.operation is OperationType.SUBSCRIPTION and not (
                middleware is not None and middleware.middlewares
            ):
                try:
                    variables = json.dumps(
                        self.variable_values.coerced, sort_keys=True, separators=(",", ":")
                    )
                    prefix = (id(self.operation), variables)
                except (TypeError, ValueError):
                    prefix = None  # a variable value JSON cannot hold: do not share
            self._share_prefix = prefix
        return self._share_prefix

    def build_resolve_info(
        self,
        field_def: GraphQLField,
        field_nodes: list[FieldNode],
        parent_type: GraphQLObjectType,
        path: Path,
    ) -> GraphQLResolveInfo:
        if (
            path.prev is None
            and self._share_prefix is _UNSET  # the subscription's executor, not a per-event one
            and self.operation.operation is OperationType.SUBSCRIPTION
        ):
            SUBSCRIBING.set(self)
        return super().build_resolve_info(field_def, field_nodes, parent_type, path)

    def build_per_event_executor(self, payload: Any) -> Any:
        self._prefix()  # computed once on the subscription's executor, copied to per-event ones
        return super().build_per_event_executor(payload)

    def execute_operation(self, serially: bool | None = None) -> Any:
        root = self.root_value
        prefix = self._share_prefix if serially is False else None
        if prefix is None or prefix is _UNSET or not isinstance(root, JobEvent):
            return super().execute_operation(serially)
        key = (prefix[0], prefix[1], id(root))
        cached = SHARED.get(key, self.operation, root)
        if cached is not None:
            return cached
        result = super().execute_operation(serially)
        if self.is_awaitable(result):

            async def settle() -> Any:
                settled = await result
                SHARED.put(key, self.operation, root, settled)
                return settled

            return settle()
        SHARED.put(key, self.operation, root, result)
        return result


def shared_next_text(message: Any) -> str | None:
    """The JSON text of a ``next`` (graphql-transport-ws) or ``data`` (graphql-ws) message whose
    payload is exactly a shared result's ``{"data": …}``, built from the once-encoded payload;
    ``None`` for anything else (it is then encoded the usual way)."""
    if not isinstance(message, dict):
        return None
    kind = message.get("type")
    if kind not in ("next", "data"):
        return None
    payload = message.get("payload")
    if not isinstance(payload, dict) or len(payload) != 1 or "data" not in payload:
        return None
    encoded = SHARED.payload_json(payload["data"])
    if encoded is None:
        return None
    return f'{{"id":{json.dumps(message.get("id"))},"type":"{kind}","payload":{encoded}}}'
