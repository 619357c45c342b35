"""Telling "PostgreSQL or Redis is away" apart from "this data is wrong".

``DEPENDENCY_ERRORS`` is the broad net of exception *classes* a dependency failure can arrive as
(asyncpg reports a vanished Unix socket as a plain ``FileNotFoundError`` and a refused TCP
connection as ``ConnectionRefusedError``, hence ``OSError``; SQLAlchemy wraps every driver error
in ``DBAPIError``). But the same classes also carry bad data: PostgreSQL's "string is too long
for tsvector" (SQLSTATE 54000), a NUL byte in text (22021), an integer asyncpg cannot encode
(its client-side ``DataError``, a ``ValueError``) all arrive as ``DBAPIError`` subclasses.

:func:`is_dependency_error` decides per instance, and is the one rule every surface follows:
REST answers a dependency error with 503 and bad data with 422, GraphQL with
``SERVICE_UNAVAILABLE`` / a masked error, and the worker retries a dependency error but fails
the job at once with a code for bad data (retrying bad data only burns attempts and ends in a
false ``WORKER_LOST``).
"""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

DEPENDENCY_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    DBAPIError,
    OSError,
    TimeoutError,
    RedisConnectionError,
    RedisTimeoutError,
)

# SQLSTATE classes that heal by themselves: connection exception, transaction rollback
# (serialization failure, deadlock), insufficient resources, operator intervention (shutdown,
# cannot connect now), system error. Everything else (22 data exception, 23 integrity, 42 syntax
# or access, 54 program limit exceeded, …) is about the statement or its data.
TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})


def _causes(error: BaseException) -> list[BaseException]:
    """The error, the driver error SQLAlchemy wrapped, and their causes (a bounded walk)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 8 and current not in chain:
        chain.append(current)
        orig = getattr(current, "orig", None)
        current = (
            orig
            if isinstance(orig, BaseException) and orig not in chain
            else current.__cause__ or current.__context__
        )
    return chain


def sqlstate_of(error: BaseException) -> str | None:
    for cause in _causes(error):
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(state, str) and len(state) == 5:
            return state
    return None


def is_dependency_error(error: BaseException) -> bool:
    """True when ``error`` means a backing service is away or overloaded (retry may heal it)."""
    if isinstance(error, (RedisConnectionError, RedisTimeoutError)):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        state = sqlstate_of(error)
        if state is not None:
            return state[:2] in TRANSIENT_SQLSTATE_CLASSES
        causes = _causes(error)[1:]
        # The driver refused a value before sending it (asyncpg's DataError is a ValueError).
        if any(isinstance(c, (ValueError, OverflowError, UnicodeError)) for c in causes):
            return False
        # No SQLSTATE: the driver lost or never had its connection.
        return isinstance(error, (OperationalError, InterfaceError)) or any(
            isinstance(c, (OSError, TimeoutError)) for c in causes
        )
    return isinstance(error, (OSError, TimeoutError))


def is_data_error(error: BaseException) -> bool:
    """A database error caused by the data sent (not an outage, not a programming bug)."""
    if not isinstance(error, DBAPIError) or is_dependency_error(error):
        return False
    state = sqlstate_of(error)
    if state is not None:
        return state[:2] in {"22", "23", "54"}
    return True


def describe(error: BaseException, limit: int = 200) -> str:
    """A short, safe message for a data error: the server's first line, never a traceback,
    bound parameters or local paths."""
    for cause in reversed(_causes(error)):
        text = str(cause).strip().splitlines()
        if text:
            line = text[0]
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return type(error).__name__
