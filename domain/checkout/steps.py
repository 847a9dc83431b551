"""The commands the checkout saga sends, in the domain's own words.

`domain` may not import `commands`, so the saga's decisions name their commands here, with
the same names and fields as the bus commands; the process manager maps each one to its
bus command. `CollectPayment` is the one step that is not a bus command: the process
manager carries it out through the payment gateway port.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReserveStock:
    sku: str
    order_id: str
    quantity: int


@dataclass(frozen=True)
class ReleaseReservation:
    sku: str
    order_id: str


@dataclass(frozen=True)
class CommitReservation:
    sku: str
    order_id: str


@dataclass(frozen=True)
class ReturnStock:
    sku: str
    order_id: str


@dataclass(frozen=True)
class RedeemCoupon:
    code: str
    order_id: str
    customer_id: str
    order_total: int


@dataclass(frozen=True)
class RevertRedemption:
    code: str
    order_id: str


@dataclass(frozen=True)
class RequestPayment:
    order_id: str
    amount: int
    currency: str
    token: str


@dataclass(frozen=True)
class CollectPayment:
    """Send the capture to the gateway (once per payment) and record its answer."""

    order_id: str
    amount: int
    currency: str
    token: str


@dataclass(frozen=True)
class TimeOutPayment:
    order_id: str


@dataclass(frozen=True)
class RefundPayment:
    order_id: str
    reason: str


@dataclass(frozen=True)
class ConfirmOrder:
    order_id: str


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    reason: str


Step = (
    ReserveStock
    | ReleaseReservation
    | CommitReservation
    | ReturnStock
    | RedeemCoupon
    | RevertRedemption
    | RequestPayment
    | CollectPayment
    | TimeOutPayment
    | RefundPayment
    | ConfirmOrder
    | CancelOrder
)
