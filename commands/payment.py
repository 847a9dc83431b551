"""Payment handlers: request a payment for an order and record the gateway's answers.

The commands are domain vocabulary (`domain/payment/commands.py`); here they meet the store."""

from __future__ import annotations

from commands.handling import accept, load, unchanged
from commands.ports import EventStore
from commands.results import Accepted
from domain.order import Order, UnknownOrder
from domain.payment import (
    CapturePayment,
    DeclinePayment,
    Payment,
    PaymentAlreadyRequested,
    PaymentAmountMismatch,
    RefundPart,
    RefundPayment,
    RequestPayment,
    TimeOutPayment,
    UnknownPayment,
)
from domain.shared import ids


def request_payment(cmd: RequestPayment, store: EventStore) -> Accepted:
    existing: Payment | None = store.find(ids.payment_stream(cmd.order_id))
    if existing is not None:
        if (existing.amount, existing.currency, existing.token) != (
            cmd.amount,
            cmd.currency,
            cmd.token,
        ):
            raise PaymentAlreadyRequested(f"order {cmd.order_id} has another payment")
        return unchanged(existing.id, existing.version)
    order: Order = load(store, ids.order_stream(cmd.order_id), UnknownOrder)
    if (cmd.amount, cmd.currency) != (order.total, order.currency):
        raise PaymentAmountMismatch(f"order {cmd.order_id} totals {order.total} {order.currency}")
    return accept(store, Payment.request(cmd.order_id, cmd.amount, cmd.currency, cmd.token))


def capture_payment(cmd: CapturePayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_stream(cmd.order_id), UnknownPayment)
    payment.capture(cmd.gateway_reference)
    return accept(store, payment)


def decline_payment(cmd: DeclinePayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_stream(cmd.order_id), UnknownPayment)
    payment.decline(cmd.reason)
    return accept(store, payment)


def time_out_payment(cmd: TimeOutPayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_stream(cmd.order_id), UnknownPayment)
    payment.time_out()
    return accept(store, payment)


def refund_part(cmd: RefundPart, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_stream(cmd.order_id), UnknownPayment)
    payment.refund_part(cmd.refund_id, cmd.amount, cmd.reason)
    return accept(store, payment)


def refund_payment(cmd: RefundPayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_stream(cmd.order_id), UnknownPayment)
    payment.refund(cmd.reason, cmd.amount)
    return accept(store, payment)
