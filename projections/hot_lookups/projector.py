"""`HotLookupsProjector`: one small document per sku, product, order and coupon."""

from __future__ import annotations

from collections.abc import Iterable

from eventsourcing.utils import get_topic

from domain.coupon import Coupon
from domain.inventory import InventoryItem
from domain.order import Order, OrderStatus
from domain.payment import Payment, PaymentStatus
from domain.product import Product
from domain.shipment import Shipment, ShipmentStatus
from eventstore.log import Logged
from projections.core import Docs, Key
from projections.events import iso, plain, stream_key

Item = InventoryItem
# (on_hand, reserved) change per inventory event, read from its `quantity`/`delta`.
STOCK_MOVES = {
    Item.StockReceived: (1, 0),
    Item.StockAdjusted: (1, 0),
    Item.StockReserved: (0, 1),
    Item.ReservationReleased: (0, -1),
    Item.ReservationCommitted: (-1, -1),
    Item.StockReturned: (1, 0),
    Item.ReturnRestocked: (1, 0),
}
ORDER_STATUS = {
    Order.Placed: OrderStatus.PENDING,
    Order.Confirmed: OrderStatus.CONFIRMED,
    Order.Cancelled: OrderStatus.CANCELLED,
}
PAYMENT_STATUS = {
    Payment.Requested: PaymentStatus.REQUESTED,
    Payment.Captured: PaymentStatus.CAPTURED,
    Payment.Declined: PaymentStatus.DECLINED,
    Payment.TimedOut: PaymentStatus.TIMED_OUT,
    Payment.PartiallyRefunded: PaymentStatus.PARTIALLY_REFUNDED,
    Payment.Refunded: PaymentStatus.REFUNDED,
}
# The order's own shipment (stream named after the order); an exchange's has no order doc.
FULFILMENT_STATUS = {
    Shipment.Opened: ShipmentStatus.READY,
    Shipment.LabelCreated: ShipmentStatus.LABELLED,
    Shipment.LabelRefused: ShipmentStatus.ON_HOLD,
    Shipment.AddressCorrected: ShipmentStatus.READY,
    Shipment.Dispatched: ShipmentStatus.SHIPPED,
    Shipment.InTransit: ShipmentStatus.IN_TRANSIT,
    Shipment.Delivered: ShipmentStatus.DELIVERED,
    Shipment.Lost: ShipmentStatus.LOST,
    Shipment.Voided: ShipmentStatus.VOIDED,
}
COUPON_COUNT = {Coupon.Redeemed: 1, Coupon.RedemptionReverted: -1}
PRODUCT_FIELDS = (
    "sku",
    "name",
    "description",
    "category",
    "brand",
    "attributes",
    "price",
    "currency",
)
KIND = {"inventory": "stock", "product": "product", "order": "order", "payment": "order"}
KIND |= {"coupon": "coupon", "shipment": "order"}
# Rejections change no document but the stream's version, which the ETag carries.
HANDLED = (
    Item.TrackingStarted,
    *STOCK_MOVES,
    Item.ReservationRejected,
    *ORDER_STATUS,
    *PAYMENT_STATUS,
    *FULFILMENT_STATUS,
    *COUPON_COUNT,
    Coupon.Defined,
    Coupon.Disabled,
    Coupon.RedemptionRejected,
    Product.Registered,
    Product.DetailsChanged,
    Product.PriceChanged,
    Product.Discontinued,
)
STOCK_EVENTS = (*STOCK_MOVES, Item.TrackingStarted, Item.ReservationRejected)


class HotLookupsProjector:
    """Documents: `stock` {sku, on_hand, reserved, available} per sku; `product` (detail
    as last recorded) per sku; `order` {order_id, customer_id, status, payment_status,
    fulfilment_status} per order uuid; `coupon` (definition, active redemptions,
    disabled) per code. Stock, product and coupon documents keep `version`, their
    stream's version, for the ETag."""

    name = "hot_lookups"
    topics = tuple(get_topic(cls) for cls in HANDLED)

    def keys(self, logged: Logged) -> Iterable[Key]:
        kind = KIND.get(str(logged.event.originator_id).split("-", 1)[0])
        return [(kind, stream_key(logged))] if kind else []

    def apply(self, logged: Logged, docs: Docs) -> None:
        event, key = logged.event, stream_key(logged)
        at = {"updated_at": iso(event.timestamp)}
        version = {"version": event.originator_version}
        if isinstance(event, STOCK_EVENTS):
            self._stock(logged, key, docs)
        elif isinstance(event, Product.Registered | Product.DetailsChanged):
            self._product(logged, key, docs)
        elif isinstance(event, Product.PriceChanged):
            docs.update("product", key, price=event.price, **at, **version)
        elif isinstance(event, Product.Discontinued):
            docs.update("product", key, discontinued=True, **at, **version)
        elif isinstance(event, Order.Placed):
            docs.put(
                "order",
                key,
                {
                    "order_id": key,
                    "customer_id": event.customer_id,
                    "status": OrderStatus.PENDING,
                    "payment_status": None,
                    "fulfilment_status": None,
                    **at,
                },
            )
        elif type(event) in ORDER_STATUS:
            docs.update("order", key, status=ORDER_STATUS[type(event)], **at)
        elif type(event) in PAYMENT_STATUS:
            docs.update("order", key, payment_status=PAYMENT_STATUS[type(event)], **at)
        elif type(event) in FULFILMENT_STATUS:
            if docs.get("order", key) is not None:  # not for an exchange's shipment
                docs.update("order", key, fulfilment_status=FULFILMENT_STATUS[type(event)], **at)
        else:
            self._coupon(logged, key, docs)

    def _stock(self, logged: Logged, sku: str, docs: Docs) -> None:
        event = logged.event
        doc = docs.get("stock", sku) or {"sku": sku, "on_hand": 0, "reserved": 0}
        on_hand, reserved = STOCK_MOVES.get(type(event), (0, 0))
        amount = getattr(event, "quantity", getattr(event, "delta", 0))
        doc = doc | {"on_hand": doc["on_hand"] + on_hand * amount}
        doc["reserved"] += reserved * amount
        doc |= {"available": doc["on_hand"] - doc["reserved"], "version": event.originator_version}
        docs.put("stock", sku, doc)

    def _product(self, logged: Logged, sku: str, docs: Docs) -> None:
        event = logged.event
        details = {f: plain(getattr(event, f)) for f in PRODUCT_FIELDS if hasattr(event, f)}
        if isinstance(event, Product.Registered):
            details |= {"discontinued": False, "registered_at": iso(event.timestamp)}
        docs.update(
            "product",
            sku,
            **details,
            updated_at=iso(event.timestamp),
            version=event.originator_version,
        )

    def _coupon(self, logged: Logged, code: str, docs: Docs) -> None:
        event = logged.event
        if isinstance(event, Coupon.Defined):
            docs.put(
                "coupon",
                code,
                plain(
                    {
                        "code": event.code,
                        "kind": event.kind,
                        "value": event.value,
                        "currency": event.currency,
                        "min_order_total": event.min_order_total,
                        "max_redemptions": event.max_redemptions,
                        "per_customer_limit": event.per_customer_limit,
                        "valid_from": event.valid_from,
                        "valid_until": event.valid_until,
                        "redemptions": 0,
                        "disabled": False,
                        "version": event.originator_version,
                    }
                ),
            )
            return
        doc = docs.get("coupon", code)
        if doc is None:
            return
        version = event.originator_version
        if isinstance(event, Coupon.Disabled):
            docs.update("coupon", code, disabled=True, version=version)
        elif type(event) in COUPON_COUNT:
            count = doc["redemptions"] + COUPON_COUNT[type(event)]
            docs.update("coupon", code, redemptions=count, version=version)
        else:  # a rejected redemption
            docs.update("coupon", code, version=version)
