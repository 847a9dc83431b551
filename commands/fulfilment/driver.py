"""Driving one order's fulfilment as far as it goes now: note, decide, run, repeat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commands.fulfilment.routing import route
from commands.fulfilment.steps import StepRunner
from commands.process_managers.unit import UnitOfWork
from domain.fulfilment import Fulfilment, decide
from domain.fulfilment.facts import begin, note
from domain.order import Order
from domain.shared.context import message_context
from domain.shared.ids import fulfilment_stream

MAX_ROUNDS = 20  # each round finishes every step it decides: a few rounds end any order


class FulfilmentDriver:
    """Handles the fulfilment manager's events, one order at a time, through its unit."""

    def __init__(
        self,
        store: UnitOfWork,
        make_runner: Callable[[Callable[[Fulfilment], None]], StepRunner],
        crash: Callable[[str], None],
    ) -> None:
        self.store, self.crash = store, crash
        self.steps = make_runner(self.save)

    def handle(self, event: Any) -> Fulfilment | None:
        """Note what `event` is about as it is now, then take every step that follows."""
        order_id, subject = route(self.store, event)
        if order_id is None:
            return None
        fulfilment: Fulfilment | None = self.store.find(fulfilment_stream(order_id))
        if fulfilment is None:
            if not isinstance(event, Order.Confirmed):
                return None  # a shipment or return of an order never confirmed: not ours
            fulfilment = begin(subject)
        with message_context(order_id, f"{event.originator_id}@{event.originator_version}"):
            note(fulfilment, subject)
            self.save(fulfilment)
            self.drive(fulfilment)
        return fulfilment

    def drive(self, fulfilment: Fulfilment) -> None:
        """Take every step that follows, until none does or the order's label is asked
        (`go_on` drives it further once the label is here)."""
        for _ in range(MAX_ROUNDS):
            if self.steps.waits(fulfilment):
                return
            steps = decide(fulfilment)
            if not steps:
                return
            for step in steps:
                if step.key not in fulfilment.done:  # an earlier step may have done it
                    self.steps.run(fulfilment, step)
                    if self.steps.waits(fulfilment):
                        return
        raise RuntimeError(
            f"fulfilment of {fulfilment.order_id} still deciding after "
            f"{MAX_ROUNDS} rounds: {decide(fulfilment)}"
        )

    @property
    def asked(self) -> bool:
        """Whether labels were asked that have not been requested yet."""
        return bool(self.steps.asked)

    def go_on(self) -> None:
        """Once the asks are committed: request the labels, then drive their orders on."""
        for fulfilment in self.steps.request_labels():
            cause = f"{fulfilment.id}@{fulfilment.version}"
            with message_context(fulfilment.order_id, cause):
                self.drive(fulfilment)

    def forget(self) -> None:
        """Drop the labels asked and not requested (their batch is undone)."""
        self.steps.asked.clear()

    def save(self, fulfilment: Fulfilment) -> None:
        if fulfilment.pending_events:
            self.store.save(fulfilment)
            self.crash("fulfilment saved")
