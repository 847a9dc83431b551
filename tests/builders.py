"""Event builders for given/when/then tests: `order_placed(order_id)`, `payment_declined(...)`.

Each returns one stored-shape event; the first event of a stream has version 0 and later
ones take `version=` (default 1). `given(*events)` folds them into the aggregate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import uuid4

from eventsourcing.utils import get_topic

from domain.coupon import Coupon
from domain.inventory import InventoryItem
from domain.order import Order
from domain.payment import Payment
from domain.product import Product
from domain.shared import ids
from domain.shared.base import Created, EventSourced

E = TypeVar("E", bound=EventSourced.Event)

WIDGET_LINE = {"sku": "SKU-1", "name": "Widget", "quantity": 2, "unit_price": 12900}


def new_order_id() -> str:
    return str(uuid4())


def given(*history: EventSourced.Event) -> Any:
    """The aggregate these events make, with nothing pending."""
    aggregate = None
    for past_event in history:
        aggregate = past_event.mutate(aggregate)
    return aggregate


def _event(cls: type[E], stream_id: str, version: int, **fields: Any) -> E:
    if issubclass(cls, Created):
        fields["originator_topic"] = get_topic(_aggregate_of(cls))
    return cls(
        originator_id=stream_id,
        originator_version=version,
        timestamp=cls.create_timestamp(),
        **fields,
    )


def _aggregate_of(cls: type) -> type:
    for aggregate in (Product, InventoryItem, Coupon, Order, Payment):
        if cls.__qualname__.startswith(aggregate.__name__ + "."):
            return aggregate
    raise LookupError(cls)


# Product


def product_registered(sku: str = "SKU-1", price: int = 12900, **details: Any) -> Any:
    fields = {
        "name": "Widget",
        "description": "A widget",
        "category": "tools",
        "brand": "Acme",
        "currency": "KRW",
        "attributes": {"colour": "red"},
    } | details
    return _event(Product.Registered, ids.product_stream(sku), 0, sku=sku, price=price, **fields)


def product_details_changed(sku: str = "SKU-1", version: int = 1, **details: Any) -> Any:
    fields = {
        "name": "Widget",
        "description": "A widget",
        "category": "tools",
        "brand": "Acme",
        "attributes": {"colour": "red"},
    } | details
    return _event(Product.DetailsChanged, ids.product_stream(sku), version, **fields)


def product_price_changed(sku: str, price: int, previous_price: int, version: int = 1) -> Any:
    stream = ids.product_stream(sku)
    return _event(Product.PriceChanged, stream, version, price=price, previous_price=previous_price)


def product_discontinued(sku: str = "SKU-1", version: int = 1) -> Any:
    return _event(Product.Discontinued, ids.product_stream(sku), version)


# Inventory


def tracking_started(sku: str = "SKU-1") -> Any:
    return _event(InventoryItem.TrackingStarted, ids.inventory_stream(sku), 0, sku=sku)


def stock_received(sku: str = "SKU-1", quantity: int = 10, version: int = 1) -> Any:
    return _event(
        InventoryItem.StockReceived, ids.inventory_stream(sku), version, quantity=quantity
    )


def stock_adjusted(sku: str, delta: int, reason: str = "count", version: int = 1) -> Any:
    stream = ids.inventory_stream(sku)
    return _event(InventoryItem.StockAdjusted, stream, version, delta=delta, reason=reason)


def stock_reserved(sku: str, order_id: str, quantity: int, version: int = 1) -> Any:
    stream = ids.inventory_stream(sku)
    return _event(
        InventoryItem.StockReserved, stream, version, order_id=order_id, quantity=quantity
    )


def reservation_rejected(
    sku: str, order_id: str, requested: int, available: int, version: int = 1
) -> Any:
    return _event(
        InventoryItem.ReservationRejected,
        ids.inventory_stream(sku),
        version,
        order_id=order_id,
        requested=requested,
        available=available,
    )


def reservation_released(sku: str, order_id: str, quantity: int, version: int = 1) -> Any:
    stream = ids.inventory_stream(sku)
    cls = InventoryItem.ReservationReleased
    return _event(cls, stream, version, order_id=order_id, quantity=quantity)


def reservation_committed(sku: str, order_id: str, quantity: int, version: int = 1) -> Any:
    stream = ids.inventory_stream(sku)
    cls = InventoryItem.ReservationCommitted
    return _event(cls, stream, version, order_id=order_id, quantity=quantity)


def stock_returned(sku: str, order_id: str, quantity: int, version: int = 1) -> Any:
    stream = ids.inventory_stream(sku)
    cls = InventoryItem.StockReturned
    return _event(cls, stream, version, order_id=order_id, quantity=quantity)


# Coupon


def coupon_defined(
    code: str = "SPRING10", kind: str = "percent", value: int = 10, **rules: Any
) -> Any:
    fields = {
        "currency": "",
        "min_order_total": 0,
        "max_redemptions": None,
        "per_customer_limit": None,
        "valid_from": None,
        "valid_until": None,
    } | rules
    return _event(
        Coupon.Defined, ids.coupon_stream(code), 0, code=code, kind=kind, value=value, **fields
    )


def coupon_redeemed(
    code: str,
    order_id: str,
    customer_id: str = "cust-1",
    order_total: int = 25800,
    version: int = 1,
) -> Any:
    return _event(
        Coupon.Redeemed,
        ids.coupon_stream(code),
        version,
        order_id=order_id,
        customer_id=customer_id,
        order_total=order_total,
    )


def redemption_rejected(
    code: str, order_id: str, reason: str, customer_id: str = "cust-1", version: int = 1
) -> Any:
    return _event(
        Coupon.RedemptionRejected,
        ids.coupon_stream(code),
        version,
        order_id=order_id,
        customer_id=customer_id,
        reason=reason,
    )


def redemption_reverted(code: str, order_id: str, version: int = 1) -> Any:
    return _event(Coupon.RedemptionReverted, ids.coupon_stream(code), version, order_id=order_id)


def coupon_disabled(code: str = "SPRING10", version: int = 1) -> Any:
    return _event(Coupon.Disabled, ids.coupon_stream(code), version)


# Order


def order_placed(
    order_id: str,
    customer_id: str = "cust-1",
    lines: list[dict[str, Any]] | None = None,
    discount: int = 0,
    coupon_code: str | None = None,
    currency: str = "KRW",
    payment_token: str = "tok_ok",
    shipping_address: dict[str, str] | None = None,
) -> Any:
    lines = [dict(line) for line in (lines or [WIDGET_LINE])]
    subtotal = sum(line["quantity"] * line["unit_price"] for line in lines)
    return _event(
        Order.Placed,
        ids.order_stream(order_id),
        0,
        order_id=order_id,
        customer_id=customer_id,
        lines=lines,
        currency=currency,
        subtotal=subtotal,
        discount=discount,
        total=subtotal - discount,
        coupon_code=coupon_code,
        payment_token=payment_token,
        shipping_address=shipping_address,
    )


def order_confirmed(order_id: str, version: int = 1) -> Any:
    return _event(Order.Confirmed, ids.order_stream(order_id), version)


def order_cancellation_requested(
    order_id: str, requested_by: str = "cust-1", version: int = 1
) -> Any:
    stream = ids.order_stream(order_id)
    return _event(Order.CancellationRequested, stream, version, requested_by=requested_by)


def order_cancelled(order_id: str, reason: str, version: int = 1) -> Any:
    return _event(Order.Cancelled, ids.order_stream(order_id), version, reason=reason)


# Payment


def payment_requested(
    order_id: str, amount: int = 25800, currency: str = "KRW", token: str = "tok_ok"
) -> Any:
    return _event(
        Payment.Requested,
        ids.payment_stream(order_id),
        0,
        order_id=order_id,
        amount=amount,
        currency=currency,
        token=token,
    )


def payment_captured(
    order_id: str, gateway_reference: str = "gw-1", late: bool = False, version: int = 1
) -> Any:
    return _event(
        Payment.Captured,
        ids.payment_stream(order_id),
        version,
        gateway_reference=gateway_reference,
        late=late,
    )


def payment_declined(order_id: str, reason: str = "card_declined", version: int = 1) -> Any:
    return _event(Payment.Declined, ids.payment_stream(order_id), version, reason=reason)


def payment_timed_out(order_id: str, version: int = 1) -> Any:
    return _event(Payment.TimedOut, ids.payment_stream(order_id), version)


def payment_refunded(
    order_id: str, amount: int = 25800, reason: str = "refund", version: int = 2
) -> Any:
    stream = ids.payment_stream(order_id)
    return _event(Payment.Refunded, stream, version, amount=amount, reason=reason)


def at(iso: str) -> datetime:
    """A timezone-aware instant: `at("2026-01-01T00:00:00+00:00")`."""
    return datetime.fromisoformat(iso)
