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

    def __init__(self, state: SagaState, names: list[str], every_s: float = 0.0) -> None:
        self.state = state
        self.names = names
        # Saved at most this often (the last save's values wait in memory): the position
        # is a cache and the deadlines go with it, so a crash only replays a little more.
        self.every_s = every_s
        self.unsaved = False
        self.position: int | None = None  # None: not read yet (or forgotten)
        self.due: dict[str, datetime] = {}  # deadlines to set
        self.done: set[str] = set()  # deadlines to clear
        self.saved_at = 0.0

    def start(self) -> int:
        """The position to read on from (the saved one, the first time)."""
        if self.position is None:
            self.position = self.state.position(*self.names)
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

    def skip(self, position: int) -> None:
        """Move past events that were not ours; saved at most once a second."""
        self.save(position, every_s=max(self.every_s, 1.0))

    def save(self, position: int, every_s: float | None = None) -> None:
        """Save the position with the deadlines noted so far, unless the last save was
        less than `every_s` (default: the progress's own) ago; then only note it."""
        self.position, self.unsaved = position, True
        wait = self.every_s if every_s is None else every_s
        if time.monotonic() - self.saved_at >= wait:
            self.flush()

    def flush(self) -> None:
        """Save what is noted now (a worker stopping, or handing partitions over)."""
        if not self.unsaved or self.position is None:
            return
        self.state.save(self.names, self.position, self.due, self.done, current_leases())
        self.saved_at, self.unsaved = time.monotonic(), False
        self.forget_work()

    def forget_work(self) -> None:
        self.due.clear()
        self.done.clear()
