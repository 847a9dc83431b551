"""A manager's progress: its position in the log and the payment deadlines its batch moved.

Both are saved together at the end of a batch (`SagaState.save`, one transaction), and
only deadlines that may have changed are written: a batch touches few of them.
"""

from __future__ import annotations

from datetime import datetime

from commands.process_managers.state import SagaState
from domain.checkout import Checkout
from eventstore.fencing import current_lease


class Progress:
    """What the next `save` writes for the manager `name`."""

    def __init__(self, state: SagaState, name: str) -> None:
        self.state = state
        self.name = name
        self.position: int | None = None  # None: not read yet (or forgotten)
        self.due: dict[str, datetime] = {}  # deadlines to set
        self.done: set[str] = set()  # deadlines to clear

    def start(self) -> int:
        """The position to read on from (the saved one, the first time)."""
        if self.position is None:
            self.position = self.state.position(self.name)
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

    def save(self, position: int) -> None:
        self.state.save(self.name, position, self.due, self.done, current_lease())
        self.position = position
        self.forget_work()

    def forget_work(self) -> None:
        self.due.clear()
        self.done.clear()
