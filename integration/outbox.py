"""The outbox: every integration event once, in log order, beside the saga's state.

Tables (the state database: the PostgreSQL schema, or the SQLite events file):
`shop_integration_outbox(seq, id, type, key, occurred_at, data, position)` and
`shop_outbox_cursors(name, seq)`.

API for the consumers of the outbox (the RabbitMQ publisher, webhooks, notifications):

- `Outbox(engine).create_tables()`; `shop migrate` calls it.
- `after(seq, limit, types=None) -> list[OutboxRow]`: rows with a greater `seq`, oldest
  first; `row.seq`, `row.event` (an `IntegrationEvent`), `row.position` (its log position).
- `cursor(name) -> int` (0 before the first advance) and `advance(name, seq, leases=())`:
  a consumer's own progress, forward only (an older value never overwrites a newer one),
  written only while every lease in `leases` is held (`LeaseLost` otherwise).
- `head() -> int`: the last seq (lag = head - cursor).

Only the relay appends (`append`), one writer under its lease, so `seq` order is log order
and a reader never sees a later seq commit before an earlier one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from eventstore import leases as lease_tables
from eventstore.fencing import Lease
from eventstore.leases import require_held
from integration.contract import IntegrationEvent

RELAY = "relay@log"  # the relay's checkpoint: a log position, not an outbox seq

META = sa.MetaData()
OUTBOX = sa.Table(
    "shop_integration_outbox",
    META,
    sa.Column(
        "seq",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),  # SQLite: rowid autoincrement
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("id", sa.String(36), nullable=False, unique=True),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("key", sa.String(100), nullable=False),
    sa.Column("occurred_at", sa.String(40), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
)
CURSORS = sa.Table(
    "shop_outbox_cursors",
    META,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
)


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    event: IntegrationEvent
    position: int


class Outbox:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        META.create_all(self.engine)
        lease_tables.metadata.create_all(self.engine)

    def append(
        self, events: Iterable[tuple[IntegrationEvent, int]], position: int, leases: Sequence[Lease]
    ) -> None:
        """Add `(event, log position)` pairs not there yet, and move the relay's checkpoint
        to `position`, in one transaction held to `leases`: a crash or a deposed relay
        leaves both as they were, and a replay adds nothing twice (`id` is unique)."""
        rows = [_row(event, at) for event, at in events]
        with self.engine.begin() as conn:
            if rows:
                conn.execute(self._insert(OUTBOX).on_conflict_do_nothing(), rows)
            self._advance(conn, RELAY, position)
            require_held(conn, leases)

    def after(
        self, seq: int, limit: int = 500, types: Iterable[str] | None = None
    ) -> list[OutboxRow]:
        query = sa.select(OUTBOX).where(OUTBOX.c.seq > seq).order_by(OUTBOX.c.seq).limit(limit)
        if types is not None:
            query = query.where(OUTBOX.c.type.in_(sorted(types)))
        with self.engine.connect() as conn:
            return [_read(row) for row in conn.execute(query)]

    def head(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(OUTBOX.c.seq))).scalar() or 0)

    def cursor(self, name: str) -> int:
        query = sa.select(CURSORS.c.seq).where(CURSORS.c.name == name)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def advance(self, name: str, seq: int, leases: Sequence[Lease] = ()) -> None:
        with self.engine.begin() as conn:
            self._advance(conn, name, seq)
            require_held(conn, leases)

    def forget(self, name: str) -> None:
        """Drop a cursor: its consumer starts again from the first event (tests, drills)."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(CURSORS).where(CURSORS.c.name == name))

    def _advance(self, conn: sa.Connection, name: str, seq: int) -> None:
        upsert = self._insert(CURSORS).values(name=name, seq=seq)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[CURSORS.c.name],
                set_={"seq": upsert.excluded.seq},
                where=CURSORS.c.seq < upsert.excluded.seq,
            )
        )

    def _insert(self, table: sa.Table) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)


def _row(event: IntegrationEvent, position: int) -> dict[str, Any]:
    data = json.dumps(event.data, separators=(",", ":"), sort_keys=True)
    return {
        "id": event.id,
        "type": event.type,
        "key": event.key,
        "occurred_at": event.occurred_at,
        "data": data,
        "position": position,
    }


def _read(row: Any) -> OutboxRow:
    event = IntegrationEvent(row.id, row.type, row.occurred_at, row.key, json.loads(row.data))
    return OutboxRow(int(row.seq), event, int(row.position))
