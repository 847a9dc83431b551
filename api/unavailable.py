"""Which exceptions mean "a store did not answer" rather than "the code is wrong".

A killed connection, a restarting server or a SQLite file another process holds locked
fail the request, but the same request sent again moves on once the store is back. Those
answer 503 with `Retry-After`; everything else keeps answering 500. The drivers' errors
arrive raw or wrapped (SQLAlchemy's `DBAPIError.orig`, the eventsourcing library's
`raise ... from`), so the chain is followed down to the driver's own exception.
"""

from __future__ import annotations

import sqlite3

import eventsourcing.persistence as es
import psycopg
import redis.exceptions
import sqlalchemy.exc

# The classes a handler is registered for; `store_unavailable` then decides per instance.
WRAPPERS: tuple[type[Exception], ...] = (
    sqlalchemy.exc.DBAPIError,  # OperationalError, InterfaceError and the rest
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free in time
    es.OperationalError,
    es.InterfaceError,
    psycopg.OperationalError,  # psycopg_pool's PoolTimeout is one too
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

# SQLite raises OperationalError for a bad statement as well as for a busy file: only
# the lock is worth a retry.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def store_unavailable(error: BaseException) -> bool:
    """Whether `error` is a connection-level failure a retry can get past."""
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    driver = _driver_error(error)
    if isinstance(driver, sqlite3.Error):
        return isinstance(driver, sqlite3.OperationalError) and _busy(driver)
    return isinstance(
        driver,
        (
            psycopg.OperationalError,
            psycopg.InterfaceError,
            redis.exceptions.ConnectionError,
            redis.exceptions.TimeoutError,
            sqlalchemy.exc.TimeoutError,
        ),
    ) or _transient_wrapper(driver)


def _driver_error(error: BaseException) -> BaseException:
    """The innermost exception that caused `error` (itself when nothing did)."""
    seen = {id(error)}
    while True:
        inner = getattr(error, "orig", None) or error.__cause__
        if not isinstance(inner, BaseException) or id(inner) in seen:
            return error
        seen.add(id(inner))
        error = inner


def _transient_wrapper(error: BaseException) -> bool:
    """A wrapper raised without a driver error beneath it (the library's own "closed")."""
    return isinstance(
        error,
        (
            es.OperationalError,
            es.InterfaceError,
            sqlalchemy.exc.OperationalError,
            sqlalchemy.exc.InterfaceError,
        ),
    )


def _busy(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return any(phrase in message for phrase in _SQLITE_BUSY)
