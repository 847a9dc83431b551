"""What the checkout saga listens to, and how it labels what it causes."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from domain.checkout import Checkout, DeadlinePassed
from domain.checkout.facts import COUPON_FACTS, LINE_FACTS, PAYMENT_FACTS
from domain.order import Order
from domain.shared.ids import checkout_stream

ORDER_FACTS = (Order.Placed, Order.CancellationRequested, Order.Confirmed, Order.Cancelled)
# Steps asked of the partition that owns a sku or coupon (see `Partition`) are followed
# by every partition; each runs those of the skus and coupons it owns.
ASKS = (Checkout.StepAsked,)
TOPICS = tuple(
    get_topic(kind) for kind in (*ORDER_FACTS, *LINE_FACTS, *COUPON_FACTS, *PAYMENT_FACTS, *ASKS)
)


def no_crash(point: str) -> None:
    """The crash hook of production: does nothing (the drills pass one that kills)."""


def cause_of(event: Any) -> str:
    """The causation id of what the saga does about `event`: the event's stream and version."""
    if isinstance(event, DeadlinePassed):
        return f"deadline:{checkout_stream(event.order_id)}"
    return f"{event.originator_id}@{event.originator_version}"
