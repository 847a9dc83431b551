"""`DataKeys`: one AES-256 key per customer, kept apart from the events, forgotten on erasure.

Every personal field of every event is sealed with its customer's key (`eventstore.sealing`).
Erasing a customer deletes the key; what was sealed with it can no longer be read by anyone,
which is how an append-only log forgets a person (crypto-shredding).

The keys live in a table of their own (`data_keys`): in the PostgreSQL schema beside the
events, or in `keys.sqlite3` in the data dir for the embedded stores. An erased customer
keeps a row without a key (a tombstone), so nothing is ever sealed for them again. The
SQLite file runs with `secure_delete` (a deleted key is overwritten in the file, not left
in a free page) and a rollback journal rather than WAL (no old page lingers in a log
file); on PostgreSQL the erasure ends with `VACUUM FULL data_keys`, which rewrites the
table without the key's dead row version.

Keys are cached per process (bounded, least recently used). An erasure bumps a generation
counter that every process reads at most once a second; a process that sees it move drops
its cache, so an erased key stops opening anything everywhere within about a second.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import sqlalchemy as sa

log = logging.getLogger(__name__)

metadata = sa.MetaData()
DATA_KEYS = sa.Table(
    "data_keys",
    metadata,
    sa.Column("subject", sa.String(200), primary_key=True),
    sa.Column("data_key", sa.LargeBinary),  # NULL once erased
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("erased_at", sa.Float),
)
ERASURES = sa.Table(
    "data_key_erasures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("generation", sa.Integer, nullable=False),
)
ERASED = b""  # the cache's mark of a tombstone
KEY_BYTES = 32


class DataKeys:
    def __init__(self, engine: sa.Engine, cache_size: int = 10_000, check_every_s: float = 1.0):
        self.engine = engine
        self.cache_size, self.check_every_s = cache_size, check_every_s
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._checked_at = float("-inf")
        # Called when an erasure is seen: whatever holds opened personal data drops it.
        self.on_erasure: list[Callable[[], None]] = []

    @classmethod
    def in_memory(cls) -> DataKeys:
        """Keys that live as long as this process: for the in-memory store and for tests."""
        engine = sa.create_engine(
            "sqlite://", poolclass=sa.StaticPool, connect_args={"check_same_thread": False}
        )
        keys = cls(engine, check_every_s=float("inf"))
        keys.create_tables()
        return keys

    def create_tables(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            if conn.execute(sa.select(ERASURES.c.id)).first() is None:
                conn.execute(ERASURES.insert().values(id=1, generation=0))

    def for_sealing(self, subject: str) -> bytes | None:
        """`subject`'s key, made on first use; None once they are erased."""
        key = self._held(subject)
        if key is None:
            key = self._make(subject)
        return key or None

    def for_opening(self, subject: str) -> bytes | None:
        """`subject`'s key if they have one; None if erased or never given one."""
        return self._held(subject) or None

    def is_erased(self, subject: str) -> bool:
        return self._held(subject) == ERASED

    def erase(self, subject: str) -> None:
        """Forget `subject`'s key for good (a tombstone keeps it from coming back)."""
        now = time.time()
        with self.engine.begin() as conn:
            erased = DATA_KEYS.update().where(DATA_KEYS.c.subject == subject)
            if not conn.execute(erased.values(data_key=None, erased_at=now)).rowcount:
                conn.execute(
                    DATA_KEYS.insert().values(subject=subject, created_at=now, erased_at=now)
                )
            conn.execute(ERASURES.update().values(generation=ERASURES.c.generation + 1))
        with self._lock:
            self._cache[subject] = ERASED
        for forget in self.on_erasure:
            forget()
        self._compact()

    def refresh(self) -> None:
        """Drop every cached key if some process erased one since the last check (at most
        one query per `check_every_s`)."""
        now = time.monotonic()
        if now - self._checked_at < self.check_every_s:
            return
        self._checked_at = now
        with self.engine.connect() as conn:
            generation = conn.execute(sa.select(ERASURES.c.generation)).scalar()
        if generation == self._generation:
            return
        with self._lock:
            self._cache.clear()
        if self._generation is not None:
            for forget in self.on_erasure:
                forget()
        self._generation = generation

    def _held(self, subject: str) -> bytes | None:
        """The key (ERASED for a tombstone) from the cache, else the table; None: no row."""
        key = self._known(subject)
        return self._load(subject) if key is None else key

    def _known(self, subject: str) -> bytes | None:
        self.refresh()
        with self._lock:
            key = self._cache.get(subject)
            if key is not None:
                self._cache.move_to_end(subject)
            return key

    def _load(self, subject: str) -> bytes | None:
        query = sa.select(DATA_KEYS.c.data_key).where(DATA_KEYS.c.subject == subject)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return self._remember(subject, row.data_key or ERASED)

    def _make(self, subject: str) -> bytes:
        """A new key, or the one another process made first (the row decides)."""
        with self.engine.begin() as conn:
            if (
                conn.execute(
                    sa.select(DATA_KEYS.c.subject).where(DATA_KEYS.c.subject == subject)
                ).first()
                is None
            ):
                try:
                    with conn.begin_nested():
                        conn.execute(
                            DATA_KEYS.insert().values(
                                subject=subject,
                                data_key=os.urandom(KEY_BYTES),
                                created_at=time.time(),
                            )
                        )
                except sa.exc.IntegrityError:
                    pass  # made by another process a moment ago: read theirs
        return self._load(subject) or ERASED

    def _remember(self, subject: str, key: bytes) -> bytes:
        if self.cache_size:
            with self._lock:
                self._cache[subject] = key
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return key

    def _compact(self) -> None:
        """Leave no old copy of an erased key in the database files."""
        if self.engine.dialect.name != "postgresql":
            return  # SQLite: secure_delete and the rollback journal did it (see module doc)
        for attempt in range(3):  # it waits for readers of the table; a busy moment passes
            try:
                with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sa.text("SET lock_timeout = '5s'"))
                    conn.execute(sa.text("VACUUM FULL data_keys"))
                return
            except sa.exc.DBAPIError as error:
                log.warning("VACUUM FULL data_keys failed (try %d): %s", attempt + 1, error)
        log.error("the erased key's old row stays until autovacuum reclaims it")
