"""Where the saga keeps its log position and its open payment deadlines (SQLAlchemy Core).

Both are written in one transaction at the end of each batch. The position is a cache:
losing it replays the log, which changes nothing. A deadline row is missing only while the
batch that created it is unfinished, and then the position has not moved past the event
that will recreate it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    Index,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)

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


class SagaState:
    """Checkpoints and payment deadlines of the process managers, one row per manager/order."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        metadata.create_all(self.engine)

    def position(self, manager: str) -> int:
        query = select(checkpoints.c.position).where(checkpoints.c.manager == manager)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar() or 0

    def save(
        self, manager: str, position: int, due: Mapping[str, datetime], done: Iterable[str]
    ) -> None:
        """Move the position and set or clear deadlines, all in one transaction."""
        gone = set(done) | set(due)
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(checkpoints)
                .where(checkpoints.c.manager == manager)
                .values(position=position)
            ).rowcount
            if not moved:
                conn.execute(insert(checkpoints).values(manager=manager, position=position))
            if gone:
                conn.execute(delete(deadlines).where(deadlines.c.order_id.in_(sorted(gone))))
            if due:
                rows = [
                    {"order_id": order_id, "manager": manager, "due_at": at.timestamp()}
                    for order_id, at in due.items()
                ]
                conn.execute(insert(deadlines), rows)

    def due(self, manager: str, now: datetime, limit: int = 200) -> list[str]:
        """Orders of `manager` whose deadline is at or before `now`, earliest first."""
        query = (
            select(deadlines.c.order_id)
            .where(deadlines.c.manager == manager, deadlines.c.due_at <= now.timestamp())
            .order_by(deadlines.c.due_at)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def next_due(self, manager: str) -> datetime | None:
        query = select(deadlines.c.due_at).where(deadlines.c.manager == manager)
        with self.engine.connect() as conn:
            first = conn.execute(query.order_by(deadlines.c.due_at).limit(1)).scalar()
        return None if first is None else datetime.fromtimestamp(first, UTC)

    def forget_position(self, manager: str) -> None:
        """Drop the checkpoint (a cache): the manager replays the log from the start."""
        with self.engine.begin() as conn:
            conn.execute(delete(checkpoints).where(checkpoints.c.manager == manager))
