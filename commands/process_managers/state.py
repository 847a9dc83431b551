"""Where the saga keeps its log position and its open payment deadlines (SQLAlchemy Core).

Both are written in one transaction at the end of each batch, with the partition's lease
checked in it (a deposed owner writes nothing). The position is a cache: losing it
replays the log, which changes nothing; it only ever moves forward. A deadline row is
missing only while the batch that created it is unfinished, and then the position has
not moved past the event that will recreate it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from eventstore import leases
from eventstore.fencing import Lease
from eventstore.leases import require_held

metadata = MetaData()
checkpoints = Table(
    "saga_checkpoints",
    metadata,
    Column("manager", String(100), primary_key=True),
    Column("position", BigInteger, nullable=False),
)
deadlines = Table(
    "saga_deadlines",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("manager", String(100), nullable=False),
    Column("due_at", Float, nullable=False),  # epoch seconds: portable and comparable
    Index("ix_saga_deadlines_due", "manager", "due_at"),
)
# Built once: every worker asks it ten times a second, and building the expression cost
# more than running it.
DUE = (
    select(deadlines.c.order_id)
    .where(deadlines.c.due_at <= bindparam("now"))
    .order_by(deadlines.c.due_at)
    .limit(bindparam("rows"))
)


class SagaState:
    """Checkpoints and payment deadlines of the process managers, one row per manager/order."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        metadata.create_all(self.engine)
        leases.metadata.create_all(self.engine)

    def position(self, *managers: str) -> int:
        """Where `managers` (partitions run as one) go on from: the lowest of their own
        checkpoints, each partition new to the store counting from the point every earlier
        partitioning had handled (`partitioning_floor`). One read of the checkpoints."""
        with self.engine.connect() as conn:
            stored = dict(conn.execute(select(checkpoints.c.manager, checkpoints.c.position)).all())
        floor = partitioning_floor(stored)
        return min(int(stored[name]) if name in stored else floor for name in managers)

    def checkpoint(self, manager: str) -> int:
        """One manager's own checkpoint (0 before its first save): for a manager that is
        not a checkout partition, whose floor says nothing about it."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(checkpoints.c.position).where(checkpoints.c.manager == manager)
            ).scalar()
        return 0 if found is None else int(found)

    def save(
        self,
        managers: str | Sequence[str],
        position: int,
        due: Mapping[str, datetime],
        done: Iterable[str],
        leases: Sequence[Lease] = (),
    ) -> None:
        """Move the positions of `managers` (partition names) and set or clear deadlines,
        all in one transaction, and only while every one of `leases` is held (`LeaseLost`
        and nothing written otherwise). A position never moves backwards: one already
        further (another owner got there first) stays where it is.
        """
        names = [managers] if isinstance(managers, str) else list(managers)
        gone = set(done) | set(due)
        with self.engine.begin() as conn:
            for name in names:
                self._advance(conn, name, position)
            if gone:
                conn.execute(delete(deadlines).where(deadlines.c.order_id.in_(sorted(gone))))
            if due:
                rows = [
                    {"order_id": order_id, "manager": names[0], "due_at": at.timestamp()}
                    for order_id, at in due.items()
                ]
                conn.execute(insert(deadlines), rows)
            require_held(conn, leases)  # last: the writes above hold the lock (SQLite)

    def _advance(self, conn: Connection, manager: str, position: int) -> None:
        """Insert the position, or raise it to `position`; one statement, so two first
        saves racing cannot lose the higher one."""
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        upsert = dialect.insert(checkpoints).values(manager=manager, position=position)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[checkpoints.c.manager],
                set_={"position": upsert.excluded.position},
                where=checkpoints.c.position < upsert.excluded.position,
            )
        )

    def due(self, owns: Callable[[str], bool], now: datetime, limit: int = 200) -> list[str]:
        """Orders `owns` accepts whose deadline is at or before `now`, earliest first.

        By order, not by manager: after a change of partition count, the new partitions
        take over the deadlines the old ones set.
        """
        with self.engine.connect() as conn:
            found = conn.execute(DUE, {"now": now.timestamp(), "rows": limit * 10}).scalars()
            return [order for order in found if owns(order)][:limit]

    def forget_position(self, manager: str) -> None:
        """Drop the checkpoint (a cache): the manager replays the log from the start."""
        with self.engine.begin() as conn:
            conn.execute(delete(checkpoints).where(checkpoints.c.manager == manager))


PARTITION = re.compile(r"^checkout-(\d+)-of-(\d+)$")


def partitioning_floor(stored: Mapping[str, int]) -> int:
    """The highest position below which some earlier partitioning handled every event.

    A partitioning counts only if every one of its partitions saved a checkpoint; its floor
    is the lowest of them. Starting there, a new partition replays only what the slowest
    old partition had not yet reached (handling an event twice changes nothing).
    """
    floors = [position for name, position in stored.items() if name == "checkout"]
    seen: dict[int, dict[int, int]] = {}
    for name, position in stored.items():
        if match := PARTITION.match(name):
            seen.setdefault(int(match[2]), {})[int(match[1])] = position
    for count, positions in seen.items():
        if len(positions) == count:
            floors.append(min(positions.values()))
    return max(floors, default=0)
