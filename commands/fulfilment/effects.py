"""The fulfilment manager's effects on the outside world: labels, voids, hand-overs, refunds.

Each is recorded as asked (`Fulfilment.StepAsked`) and saved before it leaves, with the
leases still valid, and is done (`StepDone`) once its answer is recorded in our streams.
Labels, the one effect every order has, are asked together: a batch's asks are committed
once and then the labels requested one after another (see `StepRunner.request_labels`).
One found asked but not done was cut off by a crash: the carrier or the provider is
asked what it has for that reference first, and the request goes out again only if it
never arrived. So a label is requested once and a refund is sent once, whatever crashes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from commands.carrier import Carrier, Label, with_retries
from commands.payment_gateway import PaymentGateway, TransientGatewayError
from commands.ports import EventStore
from domain.fulfilment import AskLabel, Fulfilment, HandOver, Refund, VoidLabel
from domain.payment import Payment, PaymentStatus
from domain.shared import ids
from domain.shipment import Shipment
from eventstore.fencing import check_leases, current_leases

T = TypeVar("T")
REFUNDABLE = (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED)


class Effects:
    """Sends the effects; `save` records the Fulfilment's ask and `durable` commits what
    was recorded (the manager's unit of work), both before the effect leaves."""

    def __init__(
        self,
        store: EventStore,
        carrier: Carrier,
        gateway: PaymentGateway,
        save: Callable[[Fulfilment], None],
        crash: Callable[[str], None],
        durable: Callable[[], None],
    ) -> None:
        self.store, self.carrier, self.gateway = store, carrier, gateway
        self.save, self.crash, self.durable = save, crash, durable

    def known_label(self, fulfilment: Fulfilment, step: AskLabel) -> Label | None:
        """The carrier's label for a request asked before a crash cut it off, if it has
        one; None for a request never asked, or asked but never arrived."""
        if step.key not in fulfilment.asked:
            return None
        return with_retries(lambda: self.carrier.lookup_label(step.reference))

    def ask_label(self, fulfilment: Fulfilment, step: AskLabel) -> None:
        """Record the ask; the label is requested by `request_label` once the manager has
        committed the asks of the batch (`leaving` first), so they cost one commit."""
        fulfilment.ask(step.key)
        self.save(fulfilment)

    def leaving(self) -> None:
        """Before the labels asked by a batch leave, its asks committed: a deposed owner
        sends nothing."""
        check_leases(current_leases())

    def request_label(self, fulfilment: Fulfilment, step: AskLabel, shipment: Shipment) -> Label:
        self.crash("step asked")
        answer = with_retries(
            lambda: self.carrier.create_label(
                step.reference, fulfilment.order_id, shipment.address, step.key
            )
        )
        self.crash("carrier answered")
        return answer

    def void(self, fulfilment: Fulfilment, step: VoidLabel) -> None:
        self._asking(fulfilment, step.key)  # voiding twice is harmless: no lookup needed
        with_retries(lambda: self.carrier.void_label(step.reference, step.key))

    def hand_over(self, fulfilment: Fulfilment, step: HandOver) -> None:
        self._asking(fulfilment, step.key)
        with_retries(lambda: self.carrier.hand_over(step.reference, step.key))

    def refund(self, fulfilment: Fulfilment, step: Refund) -> int:
        """Send the refund (at most what is left of the capture); the amount sent."""
        payment: Payment | None = self.store.find(ids.payment_stream(fulfilment.order_id))
        if payment is None or step.refund_id in payment.refund_ids:
            return 0 if payment is None else step.amount  # recorded before a crash
        amount = min(step.amount, payment.refundable) if payment.status in REFUNDABLE else 0
        if amount == 0:
            return 0
        if step.key in fulfilment.asked and self._refund_arrived(step.refund_id):
            return amount
        self._asking(fulfilment, step.key)
        _with_gateway_retries(lambda: self.gateway.refund(payment.id, amount, step.refund_id))
        self.crash("refund sent")
        return amount

    def _refund_arrived(self, refund_id: str) -> bool:
        return _with_gateway_retries(lambda: self.gateway.lookup_refund(refund_id))

    def _asking(self, fulfilment: Fulfilment, key: str) -> None:
        fulfilment.ask(key)
        self.save(fulfilment)
        self.durable()
        check_leases(current_leases())  # a deposed owner sends nothing
        self.crash("step asked")


def _with_gateway_retries(call: Callable[[], T]) -> T:
    """The provider's transient failures retried a few times, like a capture's."""
    return with_retries(call, transient=(TransientGatewayError,))
