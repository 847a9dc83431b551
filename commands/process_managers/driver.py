"""Driving one order's checkout as far as it goes now: fold, decide, dispatch, repeat.

Every command's outcome is read back and observed in turn, so an order moves through its
steps without waiting for the log. Captures are the exception: the Checkout records
`CaptureSent` first, and the capture goes to the gateway only once the unit has made that
durable (`flush`), so a crash can never lead to two captures.

Stock and coupon steps are the other exception when the saga runs as several partitions:
only the partition that owns a sku or coupon code writes its stream (see `Partition`).
For a step on a stream it does not own, the driver records `Checkout.StepAsked` instead
of running it; the owner follows those asks in the log and runs them through its own
dispatcher, and the outcome comes back through the log like any other event. One
order's asks are on one stream and each owner handles the log in order, so a release is
never run before the reserve it undoes. The Checkout remembers what it asked, so a step
decided again while its outcome is on its way is not asked twice.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from commands.process_managers.messages import cause_of
from commands.process_managers.parts import Partition, SagaParts
from commands.process_managers.progress import Progress
from domain.checkout import (
    ASKABLE_KINDS,
    Checkout,
    CollectPayment,
    DeadlinePassed,
    SagaCommand,
    begin,
    decide,
    observe,
    order_of,
    rebuilt,
)
from domain.order import Order
from domain.shared.context import message_context
from domain.shared.ids import checkout_stream, payment_stream


class CheckoutDriver:
    """Handles upstream events for the orders of one partition, through the unit of work."""

    def __init__(self, parts: SagaParts, partition: Partition, progress: Progress) -> None:
        self.unit, self.dispatcher, self.payments = parts.unit, parts.dispatcher, parts.payments
        self.crash, self.partition, self.progress = parts.crash, partition, progress
        self.captures: list[tuple[Checkout, CollectPayment]] = []  # wait for the commit

    def handle(self, event: Any) -> Checkout | None:
        """Drive the order `event` is about as far as it goes now, then record the progress."""
        if not isinstance(event, DeadlinePassed):
            self.unit.saw(event)
        if isinstance(event, Checkout.StepAsked):
            self._answer(event)
            return None
        order_id = order_of(event)
        if order_id is None or not self.partition.owns(order_id):
            return None
        checkout, reloaded = self._checkout(order_id, event)
        deadline = isinstance(event, DeadlinePassed)
        if checkout is None:
            if deadline:
                self.progress.nothing_due(order_id)  # no such checkout: nothing to wait for
            return None
        version = checkout.version
        with message_context(order_id, cause_of(event)):
            self._drive(checkout, [event], recheck=reloaded or deadline)
            self._save(checkout)
        if reloaded or checkout.version != version or deadline:
            self.progress.note(checkout)  # only when it may have changed: saves deletes
        return checkout

    def flush(self) -> None:
        """Commit the unit; then send the captures it recorded, and commit their outcomes."""
        while True:
            if self.unit.pending:
                self.unit.commit()
                self.crash("unit committed")
            if not self.captures:
                return
            # Compensated before the capture went out: it never will.
            captures = [(c, collect) for c, collect in self.captures if c.awaiting_gateway]
            self.captures = []
            answers = self.payments.send_all([collect for _, collect in captures])
            for (checkout, _), facts in zip(captures, answers, strict=True):
                with message_context(checkout.order_id, f"{checkout.id}@{checkout.version}"):
                    self._drive(checkout, facts, recheck=False)
                    self._save(checkout)
                self.progress.note(checkout)

    def _drive(self, checkout: Checkout, facts: list[Any], recheck: bool) -> None:
        events = deque(facts)
        if checkout.awaiting_gateway and recheck:
            events.extendleft(self.payments.recheck(checkout))
        sent: set[SagaCommand] = set()
        while events:
            observe(checkout, events.popleft())
            for command in decide(checkout):
                if command not in sent:  # each once per drive; a repeat waits for the log
                    sent.add(command)
                    events.extend(self._run(checkout, command))

    def _run(self, checkout: Checkout, command: SagaCommand) -> list[Any]:
        if isinstance(command, CollectPayment):
            self.payments.prepare(checkout)
            self._save(checkout)  # durable before the gateway hears of it: never two captures
            self.captures.append((checkout, command))
            return []
        if isinstance(command, ASKABLE_KINDS) and not self.partition.runs(command):
            checkout.record_ask(command)  # the owner runs it; the outcome comes by the log
            return []
        outcome = self.dispatcher.run(command)
        return [] if outcome is None else [outcome]

    def _answer(self, asked: Checkout.StepAsked) -> None:
        """Run a step another partition asked of a sku or coupon this one owns.

        Its outcome reaches the order's partition through the log; run again after a
        crash, the command finds its order already known and changes nothing.
        """
        command = rebuilt(asked.command, asked.arguments)
        if self.partition.runs(command):
            with message_context(command.order_id, cause_of(asked)):
                self.dispatcher.run(command)

    def _checkout(self, order_id: str, event: Any) -> tuple[Checkout | None, bool]:
        """The order's Checkout, and whether it was read from the store (not held)."""
        stream = checkout_stream(order_id)
        if isinstance(event, Order.Placed):
            self.unit.seed(event)  # payment and confirmation need the order: no read back
            self.unit.absent(stream)  # a first delivery: both start now
            self.unit.absent(payment_stream(order_id))
        held = self.unit.holds(stream)
        checkout: Checkout | None = self.unit.find(stream)
        if checkout is None and isinstance(event, Order.Placed):
            checkout = begin(event)  # held by the unit from its first save
        return checkout, checkout is not None and not held

    def _save(self, checkout: Checkout) -> None:
        if checkout.pending_events:
            self.unit.save(checkout)
            self.crash("checkout saved")
