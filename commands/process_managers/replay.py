"""Replaying a parked order: its parked event, then its later events, read from the log.

The manager that owns the order hands them to its Checkout in one unit, as if the log
delivered them now; events of other orders in between are not handled again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from eventsourcing.persistence import Notification

from commands.process_managers.messages import TOPICS
from commands.process_managers.parts import Partition
from commands.process_managers.progress import Progress
from commands.process_managers.relevance import order_in
from domain.checkout import order_of
from eventstore.dead_letters import DeadLetter
from eventstore.log import EventLog


class Follower(Protocol):
    """What parking needs of a checkout manager."""

    log: EventLog
    partition: Partition
    progress: Progress
    keep: Callable[[Notification], bool]
    batch_size: int

    def in_unit(self, events: list[Any]) -> None: ...

    def commit(self, position: int) -> None: ...


def replayed(manager: Follower, letter: DeadLetter) -> list[Any]:
    """The parked event, then its order's events after it up to the manager's position."""
    events = [manager.log.decoded(manager.log.stored_at(letter.position))]
    stop, after = manager.progress.start(), letter.position
    while letter.order_id is not None and after < stop:
        stored, upto = manager.log.stored_batch(after, manager.batch_size, TOPICS, manager.keep)
        events += _of_order(manager.log, stored, letter.order_id, stop)
        if upto <= after:
            break
        after = upto
    return events


def _of_order(log_: EventLog, stored: list[Notification], order_id: str, stop: int) -> list[Any]:
    """The events of `order_id` among `stored` up to `stop`; one whose order cannot be read
    is decoded to find out, and left out if it does not decode (it is not known to be
    this order's: it was parked on its own)."""
    found = []
    for notification in stored:
        if notification.id > stop or order_in(notification) not in (order_id, None):
            continue
        try:
            event = log_.decoded(notification)
        except Exception:
            if order_in(notification) is None:
                continue
            raise
        if order_of(event) == order_id:
            found.append(event)
    return found
