"""A generic rate limiter: a fixed window per (purpose, caller) counted in Redis.

One Lua script increments the window's counter and sets its expiry in the same round trip, so
every API process shares the counts and a burst spread over processes is still one budget.
A caller is the signed-in actor when one is known (``request.state.actor``: a user or token,
with an ``id``; ``kind`` optional) and the client's address otherwise; callers over their budget
get :class:`RateLimited` (REST: 429 ``RATE_LIMITED`` with ``Retry-After``; GraphQL: an error with
``extensions.code``). Sign-in throttling reuses :meth:`RateLimiter.check` with its own purpose
and code (``TOO_MANY_ATTEMPTS``).

Why a fixed window: one counter per key and window (O(1) memory, one INCR), and the worst case
(2× the budget across a window edge) is acceptable for abuse protection; the budgets are
settings, not promises.

When Redis itself is away the limiter *fails open* by default (logs a warning and lets the
request through): uploads keep working through the outbox while Redis is down, which is worth
more than the limit for those few seconds. Pass ``fail_open=False`` where a limit must hold
(sign-in throttling), and the dependency error propagates (503).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from api.errors import PaperlaneError
from api.settings import Settings
from api.unavailable import DEPENDENCY_ERRORS

log = logging.getLogger(__name__)

# KEYS[1] = counter key; ARGV[1] = window in ms. Returns {count, ms until the window ends}.
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


class RateLimited(PaperlaneError):
    """Too many requests for one purpose from one caller: HTTP 429 with ``Retry-After``."""

    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    """``requests`` per ``window_seconds``; ``requests <= 0`` turns the limit off."""

    requests: int
    window_seconds: float = 60.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    retry_after: int


class RateLimiter:
    def __init__(self, redis: Redis, *, prefix: str = "paperlane:rl"):
        self.redis = redis
        self.prefix = prefix

    async def hit(self, purpose: str, caller: str, limit: Limit) -> Decision:
        """Count one request and say whether it is within the budget (no exception)."""
        if limit.requests <= 0:
            return Decision(True, 0, 0)
        window_ms = max(1, int(limit.window_seconds * 1000))
        key = f"{self.prefix}:{purpose}:{caller}"
        count, ttl_ms = await self.redis.eval(_HIT, 1, key, window_ms)
        retry_after = max(1, math.ceil(int(ttl_ms) / 1000))
        return Decision(int(count) <= limit.requests, int(count), retry_after)

    async def peek(self, purpose: str, caller: str, limit: Limit) -> Decision:
        """Whether the caller is still within the budget, without counting a request (sign-in
        counts failures only: it peeks before checking a password, hits after a failure)."""
        if limit.requests <= 0:
            return Decision(True, 0, 0)
        key = f"{self.prefix}:{purpose}:{caller}"
        count, ttl_ms = await self.redis.get(key), await self.redis.pttl(key)
        used = int(count or 0)
        retry_after = max(1, math.ceil(max(int(ttl_ms), 0) / 1000))
        return Decision(used < limit.requests, used, retry_after)

    async def check(
        self,
        purpose: str,
        callers: list[str],
        limit: Limit,
        *,
        code: str | None = None,
        fail_open: bool = True,
    ) -> None:
        """Count one request against every caller key; raise :class:`RateLimited` if any is over.

        Several keys (e.g. the actor *and* the address) are all counted, so a caller cannot
        escape the per-address budget by rotating tokens, nor the per-token one by moving.
        """
        try:
            decisions = [await self.hit(purpose, caller, limit) for caller in callers]
        except DEPENDENCY_ERRORS as error:
            if not fail_open:
                raise
            log.warning("rate limiter unavailable, letting %s through: %r", purpose, error)
            return
        refused = [d for d in decisions if not d.allowed]
        if refused:
            retry_after = max(d.retry_after for d in refused)
            raise RateLimited(
                f"too many {purpose} requests: at most {limit.requests} per "
                f"{limit.window_seconds:g} s; retry in {retry_after} s",
                retry_after=retry_after,
                code=code,
            )


def client_address(scope_or_request: Any) -> str:
    """The client's address as the ASGI server reports it (uvicorn's ``--proxy-headers`` /
    ``forwarded_allow_ips`` decide whether a proxy's X-Forwarded-For is believed)."""
    client = getattr(scope_or_request, "client", None)
    host = getattr(client, "host", None) if client is not None else None
    return f"addr:{host or 'unknown'}"


def actor_key(actor: Any) -> str | None:
    """``actor:<kind>:<id>`` for a signed-in user or token, ``None`` when there is none."""
    if actor is None:
        return None
    actor_id = getattr(actor, "id", None)
    if actor_id is None:
        return None
    kind = getattr(actor, "kind", None) or type(actor).__name__.lower()
    return f"actor:{kind}:{actor_id}"


def caller_keys(connection: Any, actor: Any = None) -> list[str]:
    """The keys a request is counted under: its actor (when known) and its address."""
    if actor is None:
        state = getattr(connection, "state", None)
        actor = getattr(state, "actor", None) if state is not None else None
    keys = [client_address(connection)]
    key = actor_key(actor)
    if key is not None:
        keys.insert(0, key)
    return keys


async def limit_uploads(
    redis: Redis, settings: Settings, connection: Any, actor: Any = None
) -> None:
    """Count one upload call against the caller's actor budget (when signed in) and its address
    budget (always); both REST and GraphQL uploads call this before storing any file (the
    multipart body has been received by then: the bound on bytes is BodySizeLimit's)."""
    limiter = RateLimiter(redis)
    window = settings.upload_rate_window_seconds
    keys = caller_keys(connection, actor)
    for key in keys:
        per = (
            settings.upload_rate_limit_per_actor
            if key.startswith("actor:")
            else settings.upload_rate_limit_per_address
        )
        await limiter.check("upload", [key], Limit(per, window))


__all__ = [
    "Decision",
    "Limit",
    "RateLimited",
    "RateLimiter",
    "actor_key",
    "caller_keys",
    "client_address",
    "limit_uploads",
]
