"""From internal events to integration events: which facts are public, and in what shape.

Only what a subscriber needs leaves the shop: never the payment token, never the shipping
address (personal data stays where it can be erased). Shipment, refund, stock and product
events carry state their internal event does not (the order of a shipment, the currency
of a refund, the stock levels after a change): it is read from the aggregate *as of that
event's version*, so a replay a year later publishes exactly the same data. Stock events
carry the levels, not the delta: a subscriber that missed one still ends up right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.utils import get_topic

from domain.inventory import InventoryItem
from domain.order import Order
from domain.payment import Payment
from domain.product import Product
from domain.shipment import Shipment
from integration import contract as c
from integration.contract import IntegrationEvent

Load = Callable[[str, int], Any]  # the aggregate of a stream as of a version
Shape = tuple[str, str, dict[str, Any]]  # type, key, data
LINE_FIELDS = ("sku", "name", "quantity", "unit_price")


def _order_id(event: Any) -> str:
    return str(event.originator_id).split("-", 1)[1]  # order-<uuid>, payment-<uuid>


def _placed(event: Any, load: Load) -> Shape:
    lines = [{k: line[k] for k in LINE_FIELDS} for line in event.lines]
    data = {
        "order_id": event.order_id,
        "customer_id": event.customer_id,
        "lines": lines,
        "currency": event.currency,
        "subtotal": event.subtotal,
        "discount": event.discount,
        "total": event.total,
        "coupon_code": event.coupon_code,
    }
    return c.ORDER_PLACED, event.order_id, data


def _confirmed(event: Any, load: Load) -> Shape:
    return c.ORDER_CONFIRMED, _order_id(event), {"order_id": _order_id(event)}


def _cancelled(event: Any, load: Load) -> Shape:
    data = {"order_id": _order_id(event), "reason": event.reason}
    return c.ORDER_CANCELLED, _order_id(event), data


def _shipment(kind: str) -> Callable[[Any, Load], Shape]:
    def shape(event: Any, load: Load) -> Shape:
        parcel = load(str(event.originator_id), event.originator_version)
        data: dict[str, Any] = {
            "order_id": parcel.order_id,
            "return_id": parcel.return_id,  # set for an exchange's replacement parcel
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
        }
        if kind == c.SHIPMENT_DELIVERED:
            data["delivered_at"] = event.occurred_at
        return kind, parcel.order_id, data

    return shape


def _refunded(event: Any, load: Load) -> Shape:
    payment = load(str(event.originator_id), event.originator_version)
    data = {
        "order_id": payment.order_id,
        "refund_id": getattr(event, "refund_id", None),  # None: the whole remainder
        "amount": event.amount,
        "currency": payment.currency,
        "refunded_total": payment.refunded_amount,
        "full": isinstance(event, Payment.Refunded),
    }
    return c.REFUND_ISSUED, payment.order_id, data


def _stock(event: Any, load: Load) -> Shape:
    item = load(str(event.originator_id), event.originator_version)
    levels = {"on_hand": item.on_hand, "reserved": item.reserved, "available": item.available}
    return c.STOCK_CHANGED, item.sku, {"sku": item.sku, **levels}


def _product(event: Any, load: Load) -> Shape:
    product = load(str(event.originator_id), event.originator_version)
    data = {
        "sku": product.sku,
        **product.details,
        "price": product.price,
        "currency": product.currency,
        "discontinued": product.is_discontinued,
    }
    return c.PRODUCT_CHANGED, product.sku, data


Stock = InventoryItem
SHAPES: dict[type, Callable[[Any, Load], Shape]] = {
    Order.Placed: _placed,
    Order.Confirmed: _confirmed,
    Order.Cancelled: _cancelled,
    Shipment.Dispatched: _shipment(c.SHIPMENT_SHIPPED),
    Shipment.Delivered: _shipment(c.SHIPMENT_DELIVERED),
    Payment.Refunded: _refunded,
    Payment.PartiallyRefunded: _refunded,
    **dict.fromkeys(
        (
            Stock.StockReceived,
            Stock.StockAdjusted,
            Stock.StockReserved,
            Stock.ReservationReleased,
            Stock.ReservationCommitted,
            Stock.StockReturned,
            Stock.ReturnRestocked,
        ),
        _stock,
    ),
    **dict.fromkeys(
        (Product.Registered, Product.DetailsChanged, Product.PriceChanged, Product.Discontinued),
        _product,
    ),
}
TOPICS = tuple(get_topic(kind) for kind in SHAPES)


def to_integration(event: Any, load: Load) -> IntegrationEvent | None:
    """The public event for `event`, or None when it is not a public fact."""
    shape = SHAPES.get(type(event))
    if shape is None:
        return None
    kind, key, data = shape(event, load)
    stream, version = str(event.originator_id), int(event.originator_version)
    occurred_at = event.timestamp.isoformat()
    return IntegrationEvent(c.event_id(stream, version), kind, occurred_at, key, data)
