"""Dead letters: events a consumer parked after failing on them `SHOP_MAX_ATTEMPTS` times.

One table, `shop_dead_letters`, beside the events (the PostgreSQL schema or the SQLite
events file), so every worker, API and the CLI see the same list. A row is keyed by
consumer and log position: parking one event again (a worker that died between parking
it and moving its position) updates the row instead of adding a second. A retry that
succeeds deletes the row; a skip keeps it, marked `skipped`, as the record that the view
never got that event.

The consumer is a projection's name, or `saga` for the checkout process manager, whose
rows also name the order they park (`order_id`): the saga holds back every later event of
that order until an operator retries or skips the row. A saga retry is carried out by the
saga worker that owns the order, so the CLI only marks the row `retry` and the worker
deletes it once the order went through (or parks it again with one more attempt).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from eventsourcing.persistence import Notification
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

PARKED, SKIPPED, RETRY = "parked", "skipped", "retry"
log = logging.getLogger(__name__)
SAGA = "saga"  # the consumer name of the checkout process manager's rows
FULFILMENT = "fulfilment"  # and of the fulfilment manager's
ERROR_CHARS = 2000  # a traceback's last line is enough to find the cause; keep rows small

META = sa.MetaData()
DEAD_LETTERS = sa.Table(
    "shop_dead_letters",
    META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("consumer", sa.String(64), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("stream", sa.String(255), nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("topic", sa.String(255), nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("first_failed_at", sa.String(40), nullable=False),
    sa.Column("last_failed_at", sa.String(40), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("order_id", sa.String(64), nullable=True),  # the order a saga row parks
    sa.UniqueConstraint("consumer", "position", name="uq_shop_dead_letters_event"),
)


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_CHARS]


@dataclass(frozen=True)
class DeadLetter:
    """One parked event of one consumer (a projection's name, or `saga`)."""

    consumer: str
    position: int
    stream: str
    version: int
    topic: str
    error: str
    attempts: int
    first_failed_at: str
    last_failed_at: str
    status: str = PARKED
    id: int | None = None
    order_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Suspect:
    """The event a consumer failed on last, and how often in a row it did."""

    position: int
    first_failed_at: datetime
    attempts: int = 0
    last_failed_at: datetime | None = None

    def letter(
        self,
        consumer: str,
        stored: Notification,
        error: BaseException,
        now: datetime | None,
        order_id: str | None = None,
    ) -> DeadLetter:
        """The dead letter that parks `stored` after this suspect's attempts (`now`: its
        last failure)."""
        now = now or self.last_failed_at or self.first_failed_at
        return DeadLetter(
            consumer=consumer,
            position=stored.id,
            stream=str(stored.originator_id),
            version=int(stored.originator_version),
            topic=stored.topic,
            error=error_text(error),
            attempts=self.attempts,
            first_failed_at=self.first_failed_at.isoformat(),
            last_failed_at=now.isoformat(),
            order_id=order_id,
        )


class Strikes:
    """The failures in a row of the one event a consumer is stuck on, up to its limit.

    Every consumer that parks (the saga, the fulfilment manager, the relay, the notifier)
    counts the same way: a failure of another event starts the count again. The suspect
    stays until `clear()`, which the caller calls once the dead letter is recorded, so a
    park that fails is counted on rather than started over.
    """

    def __init__(self, label: str, max_attempts: int, clock: Callable[[], datetime]) -> None:
        self.label, self.max_attempts, self.clock = label, max_attempts, clock
        self.suspect: Suspect | None = None

    def count(self, stored: Notification, error: BaseException, about: str = "") -> bool:
        """Count (and log) one more failure of `stored`; whether it is now to be parked."""
        now = self.clock()
        if self.suspect is None or self.suspect.position != stored.id:
            self.suspect = Suspect(stored.id, now)
        self.suspect.attempts += 1
        self.suspect.last_failed_at = now
        log.warning(
            "%s: event %s%s failed (%d of %d attempts): %s",
            self.label,
            stored.id,
            about,
            self.suspect.attempts,
            self.max_attempts,
            error_text(error),
        )
        return self.suspect.attempts >= self.max_attempts

    def letter(
        self, consumer: str, stored: Notification, error: BaseException, order_id: str | None = None
    ) -> DeadLetter:
        """The dead letter of the suspect that reached the limit (see `count`)."""
        assert self.suspect is not None
        return self.suspect.letter(consumer, stored, error, self.suspect.last_failed_at, order_id)

    def clear(self) -> None:
        self.suspect = None


class DeadLetters:
    """The `shop_dead_letters` table (SQLAlchemy Core, SQLite and PostgreSQL alike)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        META.create_all(self.engine)
        self._add_order_column()

    def _add_order_column(self) -> None:
        """Tables made before saga rows existed lack `order_id`: add it (nullable, so the
        projections' rows need nothing)."""
        columns = {c["name"] for c in sa.inspect(self.engine).get_columns(DEAD_LETTERS.name)}
        if "order_id" not in columns:
            with self.engine.begin() as conn:
                conn.execute(sa.text(f"ALTER TABLE {DEAD_LETTERS.name} ADD order_id VARCHAR(64)"))

    def park(self, letter: DeadLetter) -> int:
        """Record `letter` (or refresh the row of the same event); its id."""
        row = {k: v for k, v in asdict(letter).items() if k != "id"}
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        upsert = dialect.insert(DEAD_LETTERS).values(**row)
        refreshed = {c: upsert.excluded[c] for c in ("error", "attempts", "last_failed_at")}
        upsert = upsert.on_conflict_do_update(
            index_elements=[DEAD_LETTERS.c.consumer, DEAD_LETTERS.c.position],
            set_=refreshed | {"status": PARKED},
        )
        key = (DEAD_LETTERS.c.consumer == letter.consumer) & (
            DEAD_LETTERS.c.position == letter.position
        )
        with self.engine.begin() as conn:
            conn.execute(upsert)
            return int(conn.execute(sa.select(DEAD_LETTERS.c.id).where(key)).scalar_one())

    def listed(self, status: str | None = PARKED) -> list[DeadLetter]:
        """Oldest first; every status with None."""
        query = sa.select(DEAD_LETTERS).order_by(DEAD_LETTERS.c.position, DEAD_LETTERS.c.id)
        if status is not None:
            query = query.where(DEAD_LETTERS.c.status == status)
        with self.engine.connect() as conn:
            return [DeadLetter(**row._mapping) for row in conn.execute(query)]

    def get(self, letter_id: int) -> DeadLetter | None:
        query = sa.select(DEAD_LETTERS).where(DEAD_LETTERS.c.id == letter_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else DeadLetter(**row._mapping)

    def failed_again(self, letter_id: int, error: BaseException, at: datetime) -> None:
        """A retry failed: one more attempt, the newest error and time."""
        self._update(
            letter_id,
            attempts=DEAD_LETTERS.c.attempts + 1,
            error=error_text(error),
            last_failed_at=at.isoformat(),
        )

    def resolve(self, letter_id: int) -> None:
        """The event reached its view: nothing is parked any more."""
        with self.engine.begin() as conn:
            conn.execute(DEAD_LETTERS.delete().where(DEAD_LETTERS.c.id == letter_id))

    def skip(self, letter_id: int) -> None:
        """Give up on it for good; the row stays as the record."""
        self._update(letter_id, status=SKIPPED)

    def of_consumer(self, consumer: str) -> list[DeadLetter]:
        """Every row of `consumer` that is still parked or waiting for its retry."""
        query = (
            sa.select(DEAD_LETTERS)
            .where(DEAD_LETTERS.c.consumer == consumer)
            .where(DEAD_LETTERS.c.status.in_((PARKED, RETRY)))
            .order_by(DEAD_LETTERS.c.position)
        )
        with self.engine.connect() as conn:
            return [DeadLetter(**row._mapping) for row in conn.execute(query)]

    def hand_back(self, letter_id: int) -> None:
        """Un-park it for its consumer to handle again (the saga's retry)."""
        self._update(letter_id, status=RETRY)

    def parked_again(self, letter_id: int, error: BaseException, at: datetime) -> None:
        """A handed-back event failed again: parked, with one more attempt."""
        self.failed_again(letter_id, error, at)
        self._update(letter_id, status=PARKED)

    def counts(self) -> dict[str, int]:
        """Parked events per consumer."""
        query = (
            sa.select(DEAD_LETTERS.c.consumer, sa.func.count())
            .where(DEAD_LETTERS.c.status == PARKED)
            .group_by(DEAD_LETTERS.c.consumer)
        )
        with self.engine.connect() as conn:
            return {consumer: int(count) for consumer, count in conn.execute(query)}

    def _update(self, letter_id: int, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                DEAD_LETTERS.update().where(DEAD_LETTERS.c.id == letter_id).values(**values)
            )
