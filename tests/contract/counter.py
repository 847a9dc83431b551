"""A minimal aggregate for testing the event store port apart from the shop's domain."""

from __future__ import annotations

from eventsourcing.domain import event

from domain.shared.base import Created, EventSourced


class Counter(EventSourced):
    """Stream counter-<name>."""

    TOPIC = "test.counter"

    class Started(Created):
        TOPIC = "test.counter.started"
        name: str

    class Incremented(EventSourced.Event):
        TOPIC = "test.counter.incremented"
        by: int

    @staticmethod
    def create_id(name: str) -> str:
        return f"counter-{name}"

    @event(Started)
    def __init__(self, name: str) -> None:
        self.name = name
        self.total = 0

    @event(Incremented)
    def increment(self, by: int = 1) -> None:
        self.total += by
