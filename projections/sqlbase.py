"""The base of the SQL views: generations, the batch transaction, parked events.

One SQLAlchemy Core code path for SQLite and PostgreSQL; the tables and statements it
runs are in `projections.sqlstore`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventstore.log import Logged
from projections.core import Doc, Docs, Key, ProjectionView, fold, fresh_events
from projections.sqlstore import (
    ADVANCE,
    GENERATIONS,
    LIVE,
    META,
    PARKED,
    POSITION,
    POSITION_LOCKED,
    TRACKING,
)

# SQLite's default `wal_autocheckpoint`, in pages, and the one a replay's batches use.
CHECKPOINT_PAGES = 1_000
BULK_CHECKPOINT_PAGES = 20_000


class SqlView(ProjectionView):
    """Base of the SQL views: generation bookkeeping and the one-transaction batch."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.checkpoint_pages = CHECKPOINT_PAGES

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A replay's batches checkpoint SQLite's WAL every 20,000 pages instead of 1,000.

        Each checkpoint writes back, and syncs, pages the next batches change again (the
        timeline's key, the order rows): a rebuild spent about a tenth of its time in them.
        Live batches keep the default: one of them would now and then run an 80 MB
        checkpoint in its commit, and every read would search a WAL index that large.
        """
        self.checkpoint_pages = BULK_CHECKPOINT_PAGES
        try:
            yield
        finally:
            self.checkpoint_pages = CHECKPOINT_PAGES

    # -- what each view defines ----------------------------------------------------
    @abstractmethod
    def tables(self, generation: int) -> list[sa.Table]: ...

    @abstractmethod
    def load(self, conn: Connection, generation: int, keys: set[Key]) -> dict[Key, Doc]: ...

    @abstractmethod
    def save(self, conn: Connection, generation: int, docs: Docs) -> None: ...

    @abstractmethod
    def rows(self, conn: Connection, generation: int) -> dict[str, Any]:
        """Every row as stored (canonical JSON), keyed `kind:id`, to compare generations."""

    def create_tables(self, conn: Connection, generation: int) -> None:
        for table in self.tables(generation):
            table.create(conn, checkfirst=True)

    def drop_tables(self, conn: Connection, generation: int) -> None:
        for table in reversed(self.tables(generation)):
            table.drop(conn, checkfirst=True)

    # -- generations -----------------------------------------------------------------
    def write(self) -> Any:
        return self.engine.connect().execution_options(write=True)

    def ensure(self) -> None:
        META.create_all(self.engine)
        with self.write() as conn, conn.begin():
            if self._live(conn) is None:
                conn.execute(GENERATIONS.insert().values(projection=self.name, live=0))
        live = self.live_generation()
        with self.engine.connect() as conn:
            missing = live != 0 and not self.has_tables(conn, live)
        if live == 0 or missing:
            # A new schema (or a dropped table): start a generation the runner fills.
            self.switch(self.create_generation())

    def has_tables(self, conn: Connection, generation: int) -> bool:
        inspector = sa.inspect(conn)
        return all(inspector.has_table(table.name) for table in self.tables(generation))

    def _live(self, conn: Connection) -> int | None:
        return conn.execute(LIVE, {"name": self.name}).scalar()

    def live_generation(self) -> int:
        with self.engine.connect() as conn:
            return self._live(conn) or 0

    def generations(self) -> list[int]:
        query = sa.select(TRACKING.c.generation).where(TRACKING.c.projection == self.name)
        with self.engine.connect() as conn:
            return sorted(conn.execute(query).scalars())

    def position(self, generation: int | None = None) -> int:
        with self.engine.connect() as conn:
            return self._position(conn, generation or self._live(conn) or 0)

    def _position(self, conn: Connection, generation: int, lock: bool = False) -> int:
        query = POSITION_LOCKED if lock else POSITION
        return conn.execute(query, {"name": self.name, "gen": generation}).scalar() or 0

    def create_generation(self) -> int:
        with self.write() as conn, conn.begin():
            newest = conn.execute(
                sa.select(sa.func.max(TRACKING.c.generation)).where(
                    TRACKING.c.projection == self.name
                )
            ).scalar()
            generation = max(newest or 0, self._live(conn) or 0) + 1
            self.create_tables(conn, generation)
            values = {"projection": self.name, "generation": generation, "position": 0}
            conn.execute(TRACKING.insert().values(**values))
        return generation

    def switch(self, generation: int) -> None:
        with self.write() as conn, conn.begin():
            conn.execute(
                GENERATIONS.update()
                .where(GENERATIONS.c.projection == self.name)
                .values(live=generation)
            )

    def drop_generation(self, generation: int) -> None:
        with self.write() as conn, conn.begin():
            self.drop_tables(conn, generation)
            gone = {"projection": self.name, "generation": generation}
            conn.execute(PARKED.delete().filter_by(**gone))
            conn.execute(
                TRACKING.delete().where(
                    TRACKING.c.projection == self.name, TRACKING.c.generation == generation
                )
            )

    # -- the batch -------------------------------------------------------------------
    def apply(
        self, events: Sequence[Logged], after: int, upto: int, generation: int | None = None
    ) -> bool:
        with self.write() as conn, conn.begin():
            self._checkpoint_every(conn)
            generation = generation or self._live(conn) or 0
            stored = self._position(conn, generation, lock=True)
            if stored < after:
                return False
            fresh = fresh_events(events, stored)
            if fresh:
                docs = fold(self.projector, fresh, lambda keys: self.load(conn, generation, keys))
                self.save(conn, generation, docs)
            if upto > stored:
                conn.execute(ADVANCE, {"name": self.name, "gen": generation, "upto": upto})
        return True

    def _checkpoint_every(self, conn: Connection) -> None:
        """Set this connection's `wal_autocheckpoint` (SQLite) to the view's, if it is not."""
        pages = self.checkpoint_pages
        if conn.dialect.name == "sqlite" and conn.info.get("checkpoint_pages") != pages:
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={pages}")
            conn.info["checkpoint_pages"] = pages

    def apply_parked(self, logged: Logged, generation: int | None = None) -> bool:
        with self.write() as conn, conn.begin():  # the position's lock orders us with batches
            generation = generation or self._live(conn) or 0
            marker = {"projection": self.name, "generation": generation}
            marker["position"] = logged.position
            done = sa.select(PARKED.c.position).filter_by(**marker)
            if self._position(conn, generation, lock=True) < logged.position:
                return False
            if conn.execute(done).first() is not None:
                return False
            docs = fold(self.projector, [logged], lambda keys: self.load(conn, generation, keys))
            self.save(conn, generation, docs)
            conn.execute(PARKED.insert().values(**marker))
        return True

    def snapshot(self, generation: int | None = None) -> tuple[int, dict[str, Any]]:
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # one snapshot for position and rows
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                generation = generation or self._live(conn) or 0
                return self._position(conn, generation), self.rows(conn, generation)

    def close(self) -> None:
        self.engine.dispose()
