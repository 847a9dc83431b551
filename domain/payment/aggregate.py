"""The Payment aggregate: the one payment of an order, as the gateway answered it."""

from __future__ import annotations

from eventsourcing.domain import event

from domain.payment.errors import PaymentAlreadySettled, PaymentNotCaptured
from domain.payment.values import PaymentStatus
from domain.shared import ids
from domain.shared.base import Created, EventSourced
from domain.shared.checks import check_int, check_text, check_uuid
from domain.shared.money import check_currency

MAX_AMOUNT = 10**12


class Payment(EventSourced):
    """Stream `payment-<order uuid>`.

    Invariants: amount >= 0 in one currency (the handler checks it equals the order total);
    never captured twice (a repeat capture is a no-op); capture from REQUESTED, or from
    TIMED_OUT as a late capture the saga refunds; decline and time out only from REQUESTED;
    refund only after a capture, once, for at most the captured amount.
    """

    TOPIC = "shop.payment"

    class Requested(Created):
        TOPIC = "shop.payment.requested"
        order_id: str
        amount: int
        currency: str
        token: str

    class Captured(EventSourced.Event):
        TOPIC = "shop.payment.captured"
        gateway_reference: str
        late: bool

    class Declined(EventSourced.Event):
        TOPIC = "shop.payment.declined"
        reason: str

    class TimedOut(EventSourced.Event):
        TOPIC = "shop.payment.timed_out"

    class Refunded(EventSourced.Event):
        """What was left of the capture went back: the payment is now fully refunded."""

        TOPIC = "shop.payment.refunded"
        amount: int
        reason: str

    class PartiallyRefunded(EventSourced.Event):
        """Part of the capture went back (a return's share), under `refund_id` once."""

        TOPIC = "shop.payment.partially_refunded"
        refund_id: str
        amount: int
        reason: str

    @staticmethod
    def create_id(order_id: str) -> str:
        return ids.payment_stream(order_id)

    @classmethod
    def request(cls, order_id: str, amount: int, currency: str, token: str) -> Payment:
        return cls(
            order_id=check_uuid(order_id, "order_id"),
            amount=check_int(amount, "amount", low=0, high=MAX_AMOUNT),
            currency=check_currency(currency),
            token=check_text(token, "token"),
        )

    @event(Requested)
    def __init__(self, order_id: str, amount: int, currency: str, token: str) -> None:
        self.order_id = order_id
        self.amount = amount
        self.currency = currency
        self.token = token
        self.status = str(PaymentStatus.REQUESTED)
        self.gateway_reference: str | None = None
        self.refunded_amount = 0
        self.refund_ids: set[str] = set()

    @property
    def was_captured(self) -> bool:
        return self.gateway_reference is not None

    def capture(self, gateway_reference: str) -> None:
        check_text(gateway_reference, "gateway_reference")
        if self.was_captured:
            return
        if self.status == PaymentStatus.DECLINED:
            raise PaymentAlreadySettled(f"payment for {self.order_id} was declined")
        self._captured(gateway_reference, late=self.status == PaymentStatus.TIMED_OUT)

    def decline(self, reason: str) -> None:
        check_text(reason, "reason")
        if self.status == PaymentStatus.DECLINED:
            return
        self._require_requested()
        self._declined(reason)

    def time_out(self) -> None:
        if self.status == PaymentStatus.TIMED_OUT:
            return
        self._require_requested()
        self._timed_out()

    @property
    def refundable(self) -> int:
        return self.amount - self.refunded_amount

    def refund(self, reason: str, amount: int | None = None) -> None:
        """Give back what is left of a captured payment (`amount`, at most that), once."""
        check_text(reason, "reason")
        amount = self.refundable if amount is None else amount
        check_int(amount, "amount", low=0, high=self.amount)
        if self.status == PaymentStatus.REFUNDED:
            return
        self._require_captured()
        self._refunded(min(amount, self.refundable), reason)

    def refund_part(self, refund_id: str, amount: int, reason: str) -> None:
        """Give back `amount` under `refund_id` (a repeat is a no-op), never more than is
        left; what would take it all is recorded as the full refund."""
        check_text(refund_id, "refund_id")
        check_text(reason, "reason")
        check_int(amount, "amount", low=0, high=self.amount)
        if refund_id in self.refund_ids or self.status == PaymentStatus.REFUNDED:
            return
        self._require_captured()
        amount = min(amount, self.refundable)
        if amount == self.refundable:
            self._refunded(amount, reason)
        else:
            self._partially_refunded(refund_id, amount, reason)

    def _require_captured(self) -> None:
        if self.status not in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED):
            raise PaymentNotCaptured(f"payment for {self.order_id} was not captured")

    def _require_requested(self) -> None:
        if self.status != PaymentStatus.REQUESTED:
            raise PaymentAlreadySettled(f"payment for {self.order_id} is {self.status}")

    @event(Captured)
    def _captured(self, gateway_reference: str, late: bool) -> None:
        self.gateway_reference = gateway_reference
        self.status = str(PaymentStatus.CAPTURED)

    @event(Declined)
    def _declined(self, reason: str) -> None:
        self.status = str(PaymentStatus.DECLINED)

    @event(TimedOut)
    def _timed_out(self) -> None:
        self.status = str(PaymentStatus.TIMED_OUT)

    @event(Refunded)
    def _refunded(self, amount: int, reason: str) -> None:
        self.refunded_amount += amount
        self.status = str(PaymentStatus.REFUNDED)

    @event(PartiallyRefunded)
    def _partially_refunded(self, refund_id: str, amount: int, reason: str) -> None:
        self.refund_ids.add(refund_id)
        self.refunded_amount += amount
        self.status = str(PaymentStatus.PARTIALLY_REFUNDED)
