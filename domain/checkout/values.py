"""What the checkout saga knows about each step, and the triggers that are not events."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LineState(StrEnum):
    RESERVED = "reserved"
    REJECTED = "rejected"
    RELEASED = "released"
    COMMITTED = "committed"
    RETURNED = "returned"


class CouponState(StrEnum):
    REDEEMED = "redeemed"
    REJECTED = "rejected"
    REVERTED = "reverted"


class PaymentState(StrEnum):
    REQUESTED = "requested"
    SENT = "sent"  # the capture went to the gateway: no answer yet
    CAPTURED = "captured"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"
    REFUNDED = "refunded"


class Outcome(StrEnum):
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class DeadlinePassed:
    """The payment deadline of `order_id` is due: fired by the scheduler, not stored."""

    order_id: str
