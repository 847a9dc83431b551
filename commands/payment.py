"""Payment commands: request a payment for an order and record the gateway's answers."""

from __future__ import annotations

from dataclasses import dataclass

from commands.handling import accept, load, unchanged
from commands.ports import EventStore
from commands.results import Accepted
from domain.order import Order, UnknownOrder
from domain.payment import (
    Payment,
    PaymentAlreadyRequested,
    PaymentAmountMismatch,
    UnknownPayment,
)
from domain.shared import ids


@dataclass(frozen=True)
class RequestPayment:
    order_id: str
    amount: int
    currency: str
    token: str


@dataclass(frozen=True)
class CapturePayment:
    order_id: str
    gateway_reference: str


@dataclass(frozen=True)
class DeclinePayment:
    order_id: str
    reason: str


@dataclass(frozen=True)
class TimeOutPayment:
    order_id: str


@dataclass(frozen=True)
class RefundPayment:
    """`amount` None refunds everything that was captured."""

    order_id: str
    reason: str
    amount: int | None = None


def request_payment(cmd: RequestPayment, store: EventStore) -> Accepted:
    existing: Payment | None = store.find(ids.payment_id(cmd.order_id))
    if existing is not None:
        if (existing.amount, existing.currency, existing.token) != (
            cmd.amount,
            cmd.currency,
            cmd.token,
        ):
            raise PaymentAlreadyRequested(f"order {cmd.order_id} has another payment")
        return unchanged(existing.id, existing.version)
    order: Order = load(store, ids.order_id(cmd.order_id), UnknownOrder)
    if (cmd.amount, cmd.currency) != (order.total, order.currency):
        raise PaymentAmountMismatch(f"order {cmd.order_id} totals {order.total} {order.currency}")
    return accept(store, Payment.request(cmd.order_id, cmd.amount, cmd.currency, cmd.token))


def capture_payment(cmd: CapturePayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_id(cmd.order_id), UnknownPayment)
    payment.capture(cmd.gateway_reference)
    return accept(store, payment)


def decline_payment(cmd: DeclinePayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_id(cmd.order_id), UnknownPayment)
    payment.decline(cmd.reason)
    return accept(store, payment)


def time_out_payment(cmd: TimeOutPayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_id(cmd.order_id), UnknownPayment)
    payment.time_out()
    return accept(store, payment)


def refund_payment(cmd: RefundPayment, store: EventStore) -> Accepted:
    payment: Payment = load(store, ids.payment_id(cmd.order_id), UnknownPayment)
    payment.refund(cmd.reason, cmd.amount)
    return accept(store, payment)
