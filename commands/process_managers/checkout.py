"""The checkout process manager: follows the log and drives every order to a terminal state."""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from commands.bus import build_command_bus
from commands.payment_gateway import PaymentGateway
from commands.process_managers.dispatch import Dispatcher
from commands.process_managers.messages import TOPICS, cause_of, no_crash
from commands.process_managers.payments import PaymentDesk
from commands.process_managers.state import SagaState
from commands.process_managers.unit import UnitOfWork
from domain.checkout import (
    Checkout,
    CollectPayment,
    DeadlinePassed,
    begin,
    decide,
    observe,
    order_of,
)
from domain.order import Order
from domain.shared.base import ConcurrencyConflict
from domain.shared.context import message_context
from domain.shared.ids import checkout_stream, payment_stream
from eventstore.application import ShopStore
from eventstore.log import EventLog

log = logging.getLogger(__name__)


class CheckoutProcessManager:
    """Drives each order's checkout saga, recording its progress in `checkout-<order uuid>`.

    Trigger: `Order.Placed` in the log (then stock, coupon, payment and order events, and
    payment deadlines from `SagaState`). Steps: reserve every line, redeem the coupon,
    request the payment and capture it through the gateway, commit the reservations and
    confirm the order. Compensations: out of stock, coupon rejected, payment declined or
    timed out, or a customer's cancellation undo what was done (release or return stock,
    revert the coupon, time out or refund the payment) and cancel the order with the
    reason; a capture that arrives after that is refunded.

    It drives each order as far as it can at once: every command's outcome is read back
    and fed to the decisions, so no step waits for the log. A batch's appends go to the
    store in one transaction (`UnitOfWork`); the captures it decided on go to the gateway
    only once that is durable, and their outcomes in a second transaction. The log
    delivers the saga's own events again later; the Checkout has them already and nothing
    happens. Correctness rests on the Checkout stream, idempotent commands and
    deterministic ids; the position and the Checkout cache only save work.
    """

    def __init__(
        self,
        store: ShopStore,
        log_: EventLog,
        gateway: PaymentGateway,
        state: SagaState,
        clock: Callable[[], datetime],
        payment_timeout_s: float,
        *,
        partition: int = 0,
        partitions: int = 1,
        batch_size: int = 200,
        crash: Callable[[str], None] = no_crash,
        cache_size: int = 20_000,
        group_commit: bool = True,
    ) -> None:
        self.store, self.log, self.state, self.clock = store, log_, state, clock
        self.partition, self.partitions = partition, partitions
        self.name = "checkout" if partitions == 1 else f"checkout-{partition}-of-{partitions}"
        self.batch_size, self.crash, self.cache_size = batch_size, crash, cache_size
        self.group_commit = group_commit  # off where a transaction holds one stream only
        self.unit = UnitOfWork(store, write_through=not group_commit)
        self.dispatcher = Dispatcher(self.unit, build_command_bus(self.unit, clock), crash)
        self.payments = PaymentDesk(gateway, self.dispatcher, clock, payment_timeout_s)
        self.position: int | None = None
        self._cache: OrderedDict[str, Checkout] = OrderedDict()
        self._due: dict[str, datetime] = {}
        self._done: set[str] = set()
        self._captures: list[tuple[Checkout, CollectPayment]] = []

    def run_batch(self) -> int:
        """Handle the next batch of events after the position; how many were handled."""
        after = self._position()
        batch = self.log.read_batch(after, self.batch_size, TOPICS)
        self._in_unit([logged.event for logged in batch.events])
        if batch.upto > after or self._due or self._done:
            self._commit(batch.upto)
        return len(batch.events)

    def fire_deadlines(self) -> int:
        """Time out the payments whose deadline has passed; how many were due."""
        position = self._position()
        due = self.state.due(self.name, self.clock())
        self._in_unit([DeadlinePassed(order_id) for order_id in due])
        if due:
            self._commit(position)
        return len(due)

    def _position(self) -> int:
        if self.position is None:
            self.position = self.state.position(self.name)
        return self.position

    def handle(self, event: Any) -> Checkout | None:
        """Drive the order `event` is about as far as it goes now, then record the progress."""
        if not isinstance(event, DeadlinePassed):
            self.unit.saw(event)
        order_id = order_of(event)
        if order_id is None or not self.owns(order_id):
            return None
        if isinstance(event, Order.Placed):
            self.unit.seed(event)  # payment and confirmation need the order: no read back
            self.unit.absent(checkout_stream(order_id))  # a first delivery: both start now
            self.unit.absent(payment_stream(order_id))
        checkout, reloaded = self._checkout(order_id, event)
        if checkout is None:
            if isinstance(event, DeadlinePassed):
                self._done.add(order_id)  # no such checkout: nothing to wait for
            return None
        version = checkout.version
        with message_context(order_id, cause_of(event)):
            self._drive(checkout, [event], reloaded or isinstance(event, DeadlinePassed))
            self._save(checkout)
        if reloaded or checkout.version != version or isinstance(event, DeadlinePassed):
            self._note_deadline(checkout)  # only when it may have changed: saves deletes
        return checkout

    def owns(self, order_id: str) -> bool:
        return int(order_id.replace("-", "")[:8], 16) % self.partitions == self.partition

    def forget(self) -> None:
        """Drop everything held in memory (after a failure): the store is the truth."""
        self._forget_work()
        self.position = None

    def _forget_work(self) -> None:
        self.unit.discard()
        self._cache.clear()
        self._due.clear()
        self._done.clear()
        self._captures.clear()

    def _in_unit(self, events: list[Any]) -> None:
        """Handle `events` as one unit; if another writer made it stale, again step by step."""
        try:
            try:
                self._handle_all(events)
            except ConcurrencyConflict:
                if not self.group_commit:
                    raise
                log.info("saga %s: a stream changed under the batch; redoing it", self.name)
                self._forget_work()
                with self.unit.writing_through():
                    self._handle_all(events)
        except BaseException:
            self.forget()
            raise

    def _handle_all(self, events: list[Any]) -> None:
        for event in events:
            self.handle(event)
        self._flush()

    def _flush(self) -> None:
        """Commit the unit; then send the captures it recorded, and commit their outcomes."""
        while True:
            if self.unit.pending:
                self.unit.commit()
                self.crash("unit committed")
            if not self._captures:
                return
            captures, self._captures = self._captures, []
            for checkout, step in captures:
                if not checkout.awaiting_gateway:
                    continue  # compensated before the capture went out: it never will
                with message_context(checkout.order_id, f"{checkout.id}@{checkout.version}"):
                    self._drive(checkout, self.payments.send(step), recheck=False)
                    self._save(checkout)
                self._note_deadline(checkout)

    def _drive(self, checkout: Checkout, facts: list[Any], recheck: bool) -> None:
        events = deque(facts)
        if checkout.awaiting_gateway and recheck:
            events.extendleft(self.payments.recheck(checkout))
        sent: set[object] = set()
        while events:
            observe(checkout, events.popleft())
            for step in decide(checkout):
                if step not in sent:  # each step once per drive; a repeat waits for the log
                    sent.add(step)
                    events.extend(self._run(checkout, step))

    def _run(self, checkout: Checkout, step: object) -> list[Any]:
        if isinstance(step, CollectPayment):
            self.payments.prepare(checkout)
            self._save(checkout)  # durable before the gateway hears of it: never two captures
            self._captures.append((checkout, step))
            return []
        outcome = self.dispatcher.run(step)
        return [] if outcome is None else [outcome]

    def _checkout(self, order_id: str, event: Any) -> tuple[Checkout | None, bool]:
        if order_id in self._cache:
            self._cache.move_to_end(order_id)
            return self._cache[order_id], False
        checkout: Checkout | None = self.unit.find(checkout_stream(order_id))
        reloaded = checkout is not None
        if checkout is None and isinstance(event, Order.Placed):
            checkout = begin(event)
        if checkout is not None:
            self._cache[order_id] = checkout
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return checkout, reloaded

    def _save(self, checkout: Checkout) -> None:
        if checkout.pending_events:
            self.unit.save(checkout)
            self.crash("checkout saved")

    def _note_deadline(self, checkout: Checkout) -> None:
        if checkout.awaiting_gateway and checkout.due_at is not None:
            self._due[checkout.order_id] = checkout.due_at
            self._done.discard(checkout.order_id)
        elif checkout.due_at is not None:
            self._due.pop(checkout.order_id, None)
            self._done.add(checkout.order_id)

    def _commit(self, position: int) -> None:
        self.state.save(self.name, position, self._due, self._done)
        self.position = position
        self._due.clear()
        self._done.clear()
        self.crash("position saved")
