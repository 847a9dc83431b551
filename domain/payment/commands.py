"""What can be asked of an order's payment: request it, record the gateway's answer (captured,
declined), time it out, refund it.

Frozen dataclasses in the domain's words, so the checkout saga's decisions can return
them; `commands/payment.py` carries them out."""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True)
class RefundPart:
    """Give back `amount` of the capture under `refund_id` (a return's, or a lost parcel's)."""

    order_id: str
    refund_id: str
    amount: int
    reason: str
