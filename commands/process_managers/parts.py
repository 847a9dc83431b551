"""What a checkout manager is handed: the orders it owns and the collaborators it works with.

The composition root (`app/run/saga.py`) builds these, one set per manager, so the manager
only follows the log and drives checkouts; which store, bus or gateway it drives them
through is decided above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from commands.ports import Clock
from commands.process_managers.dispatch import Dispatcher
from commands.process_managers.messages import no_crash
from commands.process_managers.payments import PaymentDesk
from commands.process_managers.state import SagaState
from commands.process_managers.unit import UnitOfWork
from eventstore.log import EventLog


@dataclass(frozen=True)
class Partition:
    """The orders one manager owns: those whose id hashes to `index` of `count`, so two
    managers never race each other for one checkout."""

    index: int = 0
    count: int = 1

    @property
    def name(self) -> str:
        return "checkout" if self.count == 1 else f"checkout-{self.index}-of-{self.count}"

    def owns(self, order_id: str) -> bool:
        return int(order_id.replace("-", "")[:8], 16) % self.count == self.index


@dataclass(frozen=True)
class SagaParts:
    """A manager's collaborators.

    `unit` is the one aggregate cache on the saga's path: the bus behind `dispatcher`
    loads and saves through it, and so does the manager its Checkouts. `crash` is the
    drills' hook at each step boundary (production's does nothing).
    """

    log: EventLog
    state: SagaState
    unit: UnitOfWork
    dispatcher: Dispatcher
    payments: PaymentDesk
    clock: Clock
    crash: Callable[[str], None] = no_crash
