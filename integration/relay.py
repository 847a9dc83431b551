"""The relay: follows the log with its own checkpoint and turns public facts into
integration events in the outbox, the checkpoint moving in the same transaction.

Run by `SagaRunner` like the process managers, under the one `relay` lease: a deposed
relay's append is refused (`LeaseLost`) and the new holder starts from the checkpoint.
Losing the checkpoint only replays the log: event ids are derived from the internal
events, so the outbox ignores what it already has. `crash` is the drills' hook, called
after each append (`SHOP_INTEGRATION_CRASH_AFTER`); it does nothing otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import Notification

from eventstore.fencing import current_leases
from eventstore.log import EventLog
from eventstore.versions import AggregateVersions
from integration.contract import IntegrationEvent
from integration.mapping import TOPICS, to_integration
from integration.outbox import RELAY, Outbox
from integration.parking import RelayParking

NAME = "relay"


def no_crash(point: str) -> None:
    """The crash hook of production: does nothing (the drills pass one that kills)."""


class Relay:
    """Log -> outbox, one batch per call (a lease unit of its own)."""

    name = NAME

    def __init__(
        self,
        log: EventLog,
        outbox: Outbox,
        parking: RelayParking | None = None,
        batch_size: int = 200,
        crash: Callable[[str], None] = no_crash,
    ) -> None:
        self.log, self.outbox, self.parking = log, outbox, parking
        self.batch_size, self.crash = batch_size, crash
        self.position: int | None = None  # None: read the checkpoint first
        self._saved = -1
        self.versions = AggregateVersions(log.store)

    def run_batch(self) -> int:
        """Map the next batch after the checkpoint into the outbox; events handled."""
        if self.position is None:
            self.position = self._saved = self.outbox.cursor(RELAY)
        if self.parking is not None:
            self.parking.take_back(self.log, self._redo)
        stored, upto = self.log.stored_batch(self.position, self.batch_size, TOPICS)
        mapped: list[tuple[IntegrationEvent, int]] = []
        for notification in stored:
            try:
                mapped.extend(self._mapped(notification))
            except Exception as error:
                if self.parking is None:
                    raise
                self._commit(mapped, self.position)  # what went before stays relayed
                mapped = []
                self.parking.count(notification, error)  # raises until it parks
            self.position = notification.id
        self._commit(mapped, upto)
        return len(stored)

    def _mapped(self, notification: Notification) -> list[tuple[IntegrationEvent, int]]:
        event = to_integration(self.log.decoded(notification), self._load)
        return [] if event is None else [(event, notification.id)]

    def _load(self, stream: str, version: int) -> Any:
        return self.versions.at(stream, version)

    def _redo(self, stored: Notification, position: int) -> None:
        self.outbox.append(self._mapped(stored), position, current_leases())

    def _commit(self, mapped: list[tuple[IntegrationEvent, int]], position: int) -> None:
        """Append and move the checkpoint, unless there is nothing new (an idle poll)."""
        if mapped or position > self._saved:
            self.outbox.append(mapped, position, current_leases())
            self._saved = max(self._saved, position)
            self.crash("relay: outbox appended")
        self.position = position

    def fire_deadlines(self) -> int:
        return 0

    def flush(self) -> None:
        """Nothing waits in memory: the checkpoint is saved with every batch."""

    def forget(self) -> None:
        self.position, self._saved = None, -1

    def repartition(self, partition: Any) -> None:
        self.forget()
