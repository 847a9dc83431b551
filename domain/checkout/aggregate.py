"""The Checkout aggregate: the checkout saga's own memory of one order's progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.checkout.asks import AskableCommand, rebuilt, written
from domain.checkout.transitions import COUPON_FROM, LINE_FROM, PAYMENT_FROM
from domain.checkout.values import CouponState, LineState, Outcome, PaymentState
from domain.shared import ids
from domain.shared.base import Created, EventSourced


class Checkout(EventSourced):
    """Stream `checkout-<order uuid>`: started, each step's outcome, compensation, completion.

    Invariants: a step's state only moves forward (see `transitions`), so facts
    delivered twice or out of order change nothing; one compensation reason, the first;
    CANCELLED is final, CONFIRMED may only become CANCELLED; each step asked of another
    saga partition is asked once (see `asks`).
    """

    TOPIC = "shop.checkout"

    class Started(Created):
        TOPIC = "shop.checkout.started"
        order_id: str
        customer_id: str
        lines: list[dict[str, Any]]  # [{sku, quantity}]
        subtotal: int
        total: int
        currency: str
        coupon_code: str | None
        payment_token: str

    class LineRecorded(EventSourced.Event):
        """A stock step's outcome for one line (a `LineState`)."""

        TOPIC = "shop.checkout.line_recorded"
        sku: str
        state: str

    class CouponRecorded(EventSourced.Event):
        TOPIC = "shop.checkout.coupon_recorded"
        state: str
        reason: str | None

    class PaymentRecorded(EventSourced.Event):
        TOPIC = "shop.checkout.payment_recorded"
        state: str
        detail: str | None

    class CaptureSent(EventSourced.Event):
        """The capture is about to go to the gateway; `due_at` is the payment deadline."""

        TOPIC = "shop.checkout.capture_sent"
        due_at: datetime

    class StepAsked(EventSourced.Event):
        """A stock or coupon command left to the saga partition that owns its stream."""

        TOPIC = "shop.checkout.step_asked"
        command: str  # the command's class name, e.g. "ReserveStock"
        arguments: dict[str, Any]  # its fields, enough to rebuild it exactly

    class CancellationRequested(EventSourced.Event):
        TOPIC = "shop.checkout.cancellation_requested"
        requested_by: str

    class CompensationDecided(EventSourced.Event):
        TOPIC = "shop.checkout.compensation_decided"
        reason: str

    class Completed(EventSourced.Event):
        TOPIC = "shop.checkout.completed"
        outcome: str
        reason: str | None

    @staticmethod
    def create_id(order_id: str) -> str:
        return ids.checkout_stream(order_id)

    @event(Started)
    def __init__(
        self,
        order_id: str,
        customer_id: str,
        lines: list[dict[str, Any]],
        subtotal: int,
        total: int,
        currency: str,
        coupon_code: str | None,
        payment_token: str,
    ) -> None:
        self.order_id = order_id
        self.customer_id = customer_id
        self.lines = [(line["sku"], line["quantity"]) for line in lines]
        self.subtotal = subtotal
        self.total = total
        self.currency = currency
        self.coupon_code = coupon_code
        self.payment_token = payment_token
        self.line_states: dict[str, LineState] = {}
        self.coupon: CouponState | None = None
        self.payment: PaymentState | None = None
        self.due_at: datetime | None = None
        self.cancellation_requested = False
        self.compensation: str | None = None
        self.outcome: Outcome | None = None
        self.cancel_reason: str | None = None
        self.deadline_passed = False  # a trigger, never recorded: see `notice_deadline`
        self.asked: set[AskableCommand] = set()  # the steps asked of other partitions

    @property
    def awaiting_gateway(self) -> bool:
        return self.payment == PaymentState.SENT

    @property
    def is_finished(self) -> bool:
        """Terminal for the saga: cancelled, or confirmed with no cancellation pending."""
        return self.outcome == Outcome.CANCELLED or (
            self.outcome == Outcome.CONFIRMED and self.compensation is None
        )

    def notice_deadline(self, passed: bool) -> None:
        """Whether the input being handled is the payment deadline falling due.

        Not a fact of the stream: the scheduler's deadline row outlives a crash and fires
        again, so a reloaded checkout needs no record of it.
        """
        self.deadline_passed = passed

    def record_line(self, sku: str, state: LineState) -> None:
        if self.line_states.get(sku) in LINE_FROM[state]:
            self._line_recorded(sku, str(state))

    def record_coupon(self, state: CouponState, reason: str | None = None) -> None:
        if self.coupon_code and self.coupon in COUPON_FROM[state]:
            self._coupon_recorded(str(state), reason)

    def record_payment(self, state: PaymentState, detail: str | None = None) -> None:
        if self.payment in PAYMENT_FROM[state]:
            self._payment_recorded(str(state), detail)

    def record_capture_sent(self, due_at: datetime) -> None:
        if self.payment == PaymentState.REQUESTED:
            self._capture_sent(due_at)

    def record_ask(self, step: AskableCommand) -> None:
        if step not in self.asked:
            self._step_asked(*written(step))

    def record_cancellation_request(self, requested_by: str) -> None:
        if not self.cancellation_requested and self.outcome != Outcome.CANCELLED:
            self._cancellation_requested(requested_by)

    def decide_compensation(self, reason: str) -> None:
        if self.compensation is None and self.outcome != Outcome.CANCELLED:
            self._compensation_decided(reason)

    def record_confirmed(self) -> None:
        if self.outcome is None and self.compensation is None:
            self._completed(str(Outcome.CONFIRMED), None)

    def record_cancelled(self, reason: str) -> None:
        if self.outcome != Outcome.CANCELLED:
            self._completed(str(Outcome.CANCELLED), reason)

    @event(LineRecorded)
    def _line_recorded(self, sku: str, state: str) -> None:
        self.line_states[sku] = LineState(state)

    @event(CouponRecorded)
    def _coupon_recorded(self, state: str, reason: str | None) -> None:
        self.coupon = CouponState(state)

    @event(PaymentRecorded)
    def _payment_recorded(self, state: str, detail: str | None) -> None:
        self.payment = PaymentState(state)

    @event(CaptureSent)
    def _capture_sent(self, due_at: datetime) -> None:
        self.payment = PaymentState.SENT
        self.due_at = due_at

    @event(StepAsked)
    def _step_asked(self, command: str, arguments: dict[str, Any]) -> None:
        self.asked.add(rebuilt(command, arguments))

    @event(CancellationRequested)
    def _cancellation_requested(self, requested_by: str) -> None:
        self.cancellation_requested = True

    @event(CompensationDecided)
    def _compensation_decided(self, reason: str) -> None:
        self.compensation = reason

    @event(Completed)
    def _completed(self, outcome: str, reason: str | None) -> None:
        self.outcome = Outcome(outcome)
        self.cancel_reason = reason
        if self.outcome == Outcome.CANCELLED and self.compensation is None:
            self.compensation = reason
