"""What a checkout manager is handed: the orders, skus and coupons it owns, and its collaborators.

The composition root (`app/run/saga.py`) builds these, one set per manager, so the manager
only follows the log and drives checkouts; which store, bus or gateway it drives them
through is decided above it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from commands.ports import Clock
from commands.process_managers.dispatch import Dispatcher
from commands.process_managers.messages import no_crash
from commands.process_managers.payments import PaymentDesk
from commands.process_managers.state import SagaState
from commands.process_managers.unit import UnitOfWork
from domain.checkout import AskableCommand
from domain.coupon import RedeemCoupon, RevertRedemption
from eventstore.log import EventLog


@dataclass(frozen=True)
class Partition:
    """What one of `count` managers owns: orders, and the skus and coupons they share.

    Orders are split by their id, so two managers never race for one checkout. Skus and
    coupon codes are split too (a stable hash of the key): only the owner of `SKU-1`
    writes `inventory-SKU-1` from the saga, and likewise for coupons. A stock or coupon
    step of an order whose manager does not own the sku or code is asked of the owner
    (`Checkout.StepAsked`), which runs it and lets the outcome come back through the log.
    Hot skus and coupons so have one writer: group commits of different managers never
    touch the same stream, so they never conflict and are never redone step by step. With
    one partition everything is owned and nothing is asked.
    """

    index: int = 0
    count: int = 1
    more: frozenset[int] = frozenset()  # further partitions held with `index` (leases)

    @classmethod
    def holding(cls, held: frozenset[int], count: int) -> Partition:
        """One manager for several partitions: a worker's leases, run as one."""
        first = min(held)
        return cls(first, count, held - {first})

    @property
    def held(self) -> frozenset[int]:
        return self.more | {self.index}

    @property
    def names(self) -> list[str]:
        """The checkpoint (and lease) name of each partition held."""
        return [Partition(index, self.count).name for index in sorted(self.held)]

    @property
    def name(self) -> str:
        if self.count == 1:
            return "checkout"
        indexes = "+".join(str(index) for index in sorted(self.held))
        return f"checkout-{indexes}-of-{self.count}"

    @property
    def whole(self) -> bool:
        """Whether every partition is held: then nothing is asked of anyone."""
        return len(self.held) == self.count

    def owns(self, order_id: str) -> bool:
        return int(order_id.replace("-", "")[:8], 16) % self.count in self.held

    def owns_sku(self, sku: str) -> bool:
        return _share(sku, self.count) in self.held

    def owns_coupon(self, code: str) -> bool:
        return _share(code, self.count) in self.held

    def runs(self, step: AskableCommand) -> bool:
        """Whether this manager writes the stream of `step`; if not, the order's manager asks."""
        if isinstance(step, (RedeemCoupon, RevertRedemption)):
            return self.owns_coupon(step.code)
        return self.owns_sku(step.sku)


def _share(key: str, count: int) -> int:
    """The partition of a sku or coupon code: crc32 is stable across processes and
    releases (Python's `hash` of a str is salted per process)."""
    return zlib.crc32(key.encode()) % count


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
