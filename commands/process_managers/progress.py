"""A manager's progress: its position in the log and the payment deadlines its batch moved.

Both are saved together at the end of a batch (`SagaState.save`, one transaction), and
only deadlines that may have changed are written: a batch touches few of them.
"""

from __future__ import annotations

import time
from datetime import datetime

from commands.process_managers.state import SagaState
from domain.checkout import Checkout
from eventstore.fencing import current_leases


class Progress:
    """What the next `save` writes for the partitions `names` a manager holds.

    A manager holding several partitions (a worker with several leases) reads the log once
    for all of them, from the lowest of their positions, and moves them together.
    """

    def __init__(self, state: SagaState, names: list[str]) -> None:
        self.state = state
        self.names = names
        self.position: int | None = None  # None: not read yet (or forgotten)
        self.due: dict[str, datetime] = {}  # deadlines to set
        self.done: set[str] = set()  # deadlines to clear
        self.saved_at = 0.0

    def start(self) -> int:
        """The position to read on from (the saved one, the first time)."""
        if self.position is None:
            self.position = min(self.state.position(name) for name in self.names)
        return self.position

    @property
    def pending(self) -> bool:
        return bool(self.due or self.done)

    def note(self, checkout: Checkout) -> None:
        """Set the checkout's deadline while it awaits the gateway; clear it after."""
        if checkout.awaiting_gateway and checkout.due_at is not None:
            self.due[checkout.order_id] = checkout.due_at
            self.done.discard(checkout.order_id)
        elif checkout.due_at is not None:
            self.nothing_due(checkout.order_id)

    def nothing_due(self, order_id: str) -> None:
        self.due.pop(order_id, None)
        self.done.add(order_id)

    def skip(self, position: int, every_s: float = 1.0) -> None:
        """Move past events that were not ours; saved at most every `every_s` seconds
        (a restart replays them, which changes nothing)."""
        self.position = position
        if time.monotonic() - self.saved_at >= every_s:
            self.save(position)

    def save(self, position: int) -> None:
        self.state.save(self.names, position, self.due, self.done, current_leases())
        self.saved_at = time.monotonic()
        self.position = position
        self.forget_work()

    def forget_work(self) -> None:
        self.due.clear()
        self.done.clear()
