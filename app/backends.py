"""The only translation from our settings to the eventsourcing library's variables, and
the engine of the database beside the events."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from config.settings import ConfigurationError, Settings
from eventstore.leases import ending_stalled_transactions, with_session_option


def event_store_env(settings: Settings) -> dict[str, str]:
    """The `env=` dict for `ShopStore`, per `SHOP_EVENT_STORE`."""
    if settings.event_store == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if settings.event_store == "sqlite":
        return _sqlite_env(settings) | _cache_env(settings)
    if settings.event_store == "postgres":
        return _postgres_env(settings) | _cache_env(settings)
    return _esdb_env(settings) | _cache_env(settings)


def _cache_env(settings: Settings) -> dict[str, str]:
    """Keep recently used aggregates in memory; each load then reads only newer events.

    Fast-forwarding makes the cache safe with other writers: a cached aggregate is brought
    up to date from the store before use, and a stale one loses at save time (conflict).
    """
    if settings.aggregate_cache_size <= 0:
        return {}
    return {
        "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }


def _sqlite_env(settings: Settings) -> dict[str, str]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(settings.events_sqlite_path),
        "ORIGINATOR_ID_TYPE": "text",
        # Our recorder subclass adds the polling subscribe() the library's lacks, and
        # checks a worker's lease inside its appends (`eventstore.fencing`).
        "APPLICATION_RECORDER_TOPIC": "eventstore.fencing:FencedSQLiteRecorder",
        "SQLITE_LOCK_TIMEOUT": "30",
        "CREATE_TABLE": "y" if settings.create_tables else "n",
    }


def _postgres_env(settings: Settings) -> dict[str, str]:
    if not settings.postgres_dsn:
        raise ConfigurationError("SHOP_EVENT_STORE=postgres needs SHOP_POSTGRES_DSN")
    url = urlparse(settings.postgres_dsn)
    if url.scheme not in ("postgres", "postgresql") or not url.path.strip("/"):
        raise ConfigurationError(
            "SHOP_POSTGRES_DSN must look like postgresql://user[:password]@host[:port]/dbname"
        )
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.path.strip("/"),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "ORIGINATOR_ID_TYPE": "text",
        # Left off on purpose: with DB functions the library mixed up tables (FACTS.md).
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        # Opened at start and kept: a process rarely has more than a few appends or reads
        # in flight, and busier moments open up to the library's overflow (10) more. A
        # replica deployment (APIs, workers, a follower's LISTEN connection each) stays
        # well inside PostgreSQL's default 100 connections.
        "POSTGRES_POOL_SIZE": "4",
        # An append stopped mid-transaction holds the events table's lock (every append
        # waits) and its lease row: the server ends it after the library's 5 s, or after
        # the lease time if shorter (`eventstore.leases.ending_stalled_transactions`).
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": str(min(5, int(settings.lease_ttl_s))),
        "APPLICATION_RECORDER_TOPIC": "eventstore.fencing:FencedPostgresRecorder",
        "CREATE_TABLE": "y" if settings.create_tables else "n",
    }
    if settings.postgres_schema:
        env["POSTGRES_SCHEMA"] = settings.postgres_schema
    return env


# What kurrentdbclient 1.3 accepts (its connection_spec.URI_SCHEMES_ALL).
ESDB_SCHEMES = ("esdb", "esdb+discover", "kurrentdb", "kurrentdb+discover", "kdb", "kdb+discover")


def _esdb_env(settings: Settings) -> dict[str, str]:
    if not settings.esdb_uri:
        raise ConfigurationError("SHOP_EVENT_STORE=esdb needs SHOP_ESDB_URI")
    scheme, separator, _ = settings.esdb_uri.partition("://")
    if not separator or scheme.lower() not in ESDB_SCHEMES:
        schemes = ", ".join(f"{name}://" for name in ESDB_SCHEMES)
        raise ConfigurationError(f"SHOP_ESDB_URI must start with one of {schemes}")
    # Our factory: a gRPC deadline on every call (the URI's DefaultDeadline, else 10 s).
    return {
        "PERSISTENCE_MODULE": "eventstore.kurrentdb:ShopKurrentDBFactory",
        "KURRENTDB_URI": settings.esdb_uri,
    }


def state_engine(settings: Settings) -> Engine:
    """The database beside the events: the PostgreSQL schema, or the SQLite events file
    (a file of its own in data_dir for the other stores).

    The saga keeps its checkpoints and deadlines there, the workers their leases, and
    `shop migrate` its marker. Beside the events, so an append and the lease that fences it
    are checked in one transaction (`eventstore.fencing`).
    """
    if settings.event_store == "postgres" and settings.postgres_dsn:
        url = make_url(settings.postgres_dsn).set(drivername="postgresql+psycopg")
        url = ending_stalled_transactions(url, settings.lease_ttl_s)
        if settings.postgres_schema:
            url = with_session_option(url, f"-csearch_path={settings.postgres_schema}")
        return create_engine(url, pool_pre_ping=True)
    if settings.event_store == "sqlite":
        return sqlite_engine(settings.events_sqlite_path)
    return sqlite_engine(settings.data_dir / "saga.sqlite3")


def keys_engine(settings: Settings) -> Engine:
    """Where the customers' data keys live (`eventstore.keys`): the PostgreSQL schema of the
    events, else `keys.sqlite3` in data_dir, a file apart from the events.

    That file overwrites what it deletes (`secure_delete`) and keeps a rollback journal,
    deleted at each commit, instead of a WAL that would hold old pages: an erased key is in
    no file afterwards.
    """
    if settings.event_store == "postgres":
        return state_engine(settings)
    path = settings.data_dir / "keys.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    def _secure(conn: Any, _: Any) -> None:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA secure_delete=ON")

    event.listen(engine, "connect", _secure)
    return engine


def sqlite_engine(path: Path) -> Engine:
    """A SQLAlchemy engine on a SQLite file in WAL mode, waiting up to 30 s for its lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA journal_mode=WAL"))
    return engine
