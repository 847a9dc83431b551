"""Carrying out the saga's commands through the bus, each with its outcome read back.

The saga decides in the aggregates' own commands, so they go to the bus as they are. The
outcome is the event the command appended (held by the saga's unit of work until it
commits), so the saga moves on at once instead of waiting for it to come round the log.
A command that changed nothing (it had taken effect before a crash) has no outcome here;
its event is still ahead in the log, past the saga's position, and arrives through it.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any

from commands.bus import CommandBus
from commands.process_managers.unit import UnitOfWork
from commands.results import Accepted
from domain.shared.base import ConcurrencyConflict, DomainError

log = logging.getLogger(__name__)


class Dispatcher:
    """Sends commands through the bus, retrying lost races for the same stream."""

    def __init__(
        self, unit: UnitOfWork, bus: CommandBus, crash: Callable[[str], None], conflicts: int = 50
    ) -> None:
        self.unit = unit
        self.bus = bus
        self.crash = crash
        self.conflicts = conflicts

    def run(self, command: object) -> Any | None:
        """Handle `command`; the event it appended, or None if it changed nothing."""
        try:
            accepted = self._handle(command)
        except DomainError as refusal:
            # Refused by a rule (e.g. a timeout that lost to a capture): the fact that won
            # is in the log and reaches the saga through it.
            log.info("saga command %s refused: %s", type(command).__name__, refusal)
            return None
        self.crash(f"sent {type(command).__name__}")
        if not accepted.changed:
            return None
        return self.unit.recorded(accepted.stream_id, accepted.version)

    def _handle(self, command: object) -> Accepted:
        return handled(self.bus, command, self.conflicts)


def handled(bus: CommandBus, command: object, conflicts: int = 50) -> Accepted:
    """`bus.handle(command)`, again after a short random pause while another writer wins
    the race for its stream (each try reloads it); the last conflict is raised."""
    for attempt in range(conflicts):
        try:
            return bus.handle(command)
        except ConcurrencyConflict:
            time.sleep(random.uniform(0, 0.002 * min(attempt + 1, 10)))
    return bus.handle(command)
