"""The head of the log, read again only when another append may have moved it.

Every follower asks for the head with each poll: a few workers with a few followers each
ask the store hundreds of times a second while nothing happens, and a read through the
library's pool costs about 80 us of CPU on SQLite and 250 us on PostgreSQL. Each store
has a cheap sign that something was committed since the last read, and the head is read
again only when the sign moved:

- SQLite: `PRAGMA data_version` on a connection of its own, which changes whenever any
  other connection, in any process, commits to the file
  (https://sqlite.org/pragma.html#pragma_data_version); about 5 us.
- PostgreSQL: the library's recorder sends `NOTIFY` on the events table's channel in
  every append's transaction, delivered when it commits
  (https://www.postgresql.org/docs/current/sql-notify.html); a connection of our own
  that `LISTEN`s is checked without blocking, about 10 us. A listening connection that
  died without a word would leave the sign still forever, so the head is read again at
  least every `POSTGRES_MAX_AGE_S` whatever it says. The library names the channel after
  the table, not the schema: shops sharing a database wake each other's followers, which
  then read a head that has not moved, nothing worse.

The sign is read before the head: a commit between the two only makes the next call
read again. When there is no sign to go by (an in-memory database, a listener that
could not connect), every call reads the head.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

POSTGRES_MAX_AGE_S = 1.0
RECONNECT_AFTER_S = 1.0


class CachedHead:
    """The last head read, and the sign of change it was read at."""

    def __init__(
        self,
        sign: Callable[[], object | None],
        max_age_s: float | None = None,
        close: Callable[[], None] = lambda: None,
    ) -> None:
        self.sign, self.max_age_s, self.close = sign, max_age_s, close
        self._lock = threading.Lock()
        self._seen: tuple[object, int, float] | None = None  # sign, head, when read

    def get(self, read: Callable[[], int]) -> int:
        with self._lock:
            sign, now = self.sign(), time.monotonic()
            seen = self._seen
            if sign is None or seen is None or seen[0] != sign or self._aged(seen[2], now):
                seen = self._seen = (sign, read(), now)
            return seen[1]

    def _aged(self, read_at: float, now: float) -> bool:
        return self.max_age_s is not None and now - read_at >= self.max_age_s


class SQLiteVersion:
    """`sign()`: the file's data version, seen from a connection that never writes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None  # opened on first use

    def sign(self) -> object | None:
        if self._conn is None:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        row = self._conn.execute("PRAGMA data_version").fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


class PostgresAppends:
    """`sign()`: how many notifications this listener has seen on `channel`, or None
    while it is not listening (then a reconnect is tried now and then)."""

    def __init__(self, connect_kwargs: dict[str, Any], channel: str) -> None:
        self.connect_kwargs, self.channel = connect_kwargs, channel
        self._conn: psycopg.Connection[Any] | None = None
        self._count = 0
        self._generation = 0  # a new connection is a new sign: it may have missed some
        self._retry_at = 0.0

    def sign(self) -> object | None:
        conn = self._conn or self._listen()
        if conn is None:
            return None
        try:
            self._count += sum(1 for _ in conn.notifies(timeout=0))
        except psycopg.Error as error:
            log.warning("stopped listening for appends on %s: %s", self.channel, error)
            self._drop()
            return None
        return (self._generation, self._count)

    def _listen(self) -> psycopg.Connection[Any] | None:
        if time.monotonic() < self._retry_at:
            return None
        try:
            conn = psycopg.connect(**self.connect_kwargs, autocommit=True, connect_timeout=5)
            conn.execute(sql.SQL("LISTEN {0}").format(sql.Identifier(self.channel)))
        except psycopg.Error as error:
            log.warning("cannot listen for appends on %s: %s", self.channel, error)
            self._retry_at = time.monotonic() + RECONNECT_AFTER_S
            return None
        self._conn, self._generation = conn, self._generation + 1
        return conn

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _drop(self) -> None:
        self._retry_at = time.monotonic() + RECONNECT_AFTER_S
        self.close()
