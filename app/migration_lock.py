"""What makes `shop migrate` safe to run from several processes: one lock, one marker.

The lock: an exclusive `flock` on `migrate.lock` in the data dir (every SQLite file lives
there), and, when a PostgreSQL store is configured, `pg_advisory_lock` on a fixed key held
by a connection of its own. Concurrent DDL on PostgreSQL fails ("tuple concurrently
updated", duplicate keys in the catalog) and on SQLite ("database is locked"); under the
lock one process creates and the others find everything there.

The marker: the table `shop_migrations` beside the events (the PostgreSQL schema, or
the SQLite events file), one row per version, written last. A process started with
`SHOP_CREATE_TABLES=false` waits for it instead of creating anything.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.backends import state_engine
from config.settings import Settings

VERSION = 6  # bump when a release adds tables: started processes then wait for the new one
LOCK_FILE = "migrate.lock"
LOCK_KEY = 0x73686F70  # "shop": one advisory lock per database, whatever the schema

MARKER = sa.Table(
    "shop_migrations",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.String(40), nullable=False),
)


class NotMigrated(Exception):
    """The store was not migrated in time; the message says what to run."""


@contextmanager
def migration_lock(
    settings: Settings, say: Callable[[str], None] = lambda _: None
) -> Iterator[None]:
    """Hold the migration lock (file, then PostgreSQL) or raise NotMigrated after the wait."""
    with _file_lock(settings, say), _advisory_lock(lock_dsn(settings), settings, say):
        yield


@contextmanager
def _file_lock(settings: Settings, say: Callable[[str], None]) -> Iterator[None]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / LOCK_FILE, "a") as handle:
        _wait(lambda: _try_flock(handle.fileno()), settings, say, f"the lock {handle.name}")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def _advisory_lock(
    dsn: str | None, settings: Settings, say: Callable[[str], None]
) -> Iterator[None]:
    if dsn is None:
        yield
        return
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:

        def take() -> bool:
            return bool(conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0])  # type: ignore[index]

        _wait(take, settings, say, "PostgreSQL's migration lock")
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def _wait(
    take: Callable[[], bool], settings: Settings, say: Callable[[str], None], what: str
) -> None:
    deadline = time.monotonic() + settings.migrate_wait_s
    if take():
        return
    say(f"waiting for {what} (another process is migrating)")
    while not take():
        if time.monotonic() >= deadline:
            raise NotMigrated(f"{what} still held after {settings.migrate_wait_s:g} s")
        time.sleep(0.05)


def lock_dsn(settings: Settings) -> str | None:
    """The PostgreSQL the lock is taken on: the event store's, else the read side's."""
    if settings.event_store == "postgres" and settings.postgres_dsn:
        return settings.postgres_dsn
    if settings.read_db_url and settings.read_db_url.startswith("postgres"):
        url = make_url(settings.read_db_url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)
    return None


def mark(engine: sa.Engine) -> list[str]:
    """Record this version as applied (the last step); what it created."""
    with engine.begin() as conn:
        MARKER.create(conn, checkfirst=True)
        if conn.execute(sa.select(MARKER.c.version).where(MARKER.c.version == VERSION)).first():
            return []
        conn.execute(
            MARKER.insert().values(version=VERSION, applied_at=datetime.now(UTC).isoformat())
        )
    return [f"{MARKER.name} version {VERSION}"]


def applied(settings: Settings) -> bool:
    """Whether this version's migration is recorded (False while the store is unreachable)."""
    engine = state_engine(settings)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(MARKER.name):
                return False
            newest = conn.execute(sa.select(sa.func.max(MARKER.c.version))).scalar()
            return (newest or 0) >= VERSION
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def wait_until_migrated(settings: Settings, poll_s: float = 0.25) -> None:
    """Return once `shop migrate` has run; NotMigrated after `SHOP_MIGRATE_WAIT_S`."""
    deadline = time.monotonic() + settings.migrate_wait_s
    while not applied(settings):
        if time.monotonic() >= deadline:
            raise NotMigrated(
                f"the store is not migrated (no {MARKER.name} version {VERSION} after "
                f"{settings.migrate_wait_s:g} s of SHOP_MIGRATE_WAIT_S): run `shop migrate` "
                "first, or start with SHOP_CREATE_TABLES=true"
            )
        time.sleep(poll_s)
