"""The exceptions that mean "PostgreSQL or Redis is away", not "this request is wrong".

One list for every surface: REST answers them with 503, GraphQL with SERVICE_UNAVAILABLE, and the
worker's task base retries them with backoff. asyncpg reports a vanished Unix socket as a plain
``FileNotFoundError`` and a refused TCP connection as ``ConnectionRefusedError``, hence ``OSError``.
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
