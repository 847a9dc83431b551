"""One of every public fact, saved to a store: the orders, parcels, refunds, stock and
products whose internal events the relay maps (builders for the integration tests)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from domain.inventory import InventoryItem
from domain.order import Order
from domain.order.values import PricedLine
from domain.payment import Payment
from domain.product import Product
from domain.shipment import Shipment

ADDRESS = {"name": "Kim", "line1": "1 Main St", "city": "Seoul", "postal_code": "04524",
           "country": "KR"}  # fmt: skip


def save_every_public_fact(store: Any) -> str:
    """Save one of each mapped event (and some that are not public); the order id."""
    order_id, other = str(uuid4()), str(uuid4())
    line = PricedLine("SKU-1", "Hammer", 2, 1500, "KRW")
    order = Order.place(order_id, "cust-1", [line], 0, None, "tok_secret", ADDRESS)
    order.confirm()
    cancelled = Order.place(other, "cust-1", [line], 0, None, "tok_secret", None)
    cancelled.cancel("PAYMENT_DECLINED")
    product = Product.register("SKU-1", "Hammer", "", "tools", "Acme", 1500, "KRW", {})
    product.change_price(1400)
    product.discontinue()
    item = InventoryItem.start_tracking("SKU-1")
    item.receive(10)
    item.reserve(order_id, 2)
    item.commit(order_id)
    payment = Payment.request(order_id, 3000, "KRW", "tok_secret")
    payment.capture("ref-1")
    payment.refund_part("ret-1", 1000, "return")
    payment.refund("goodwill")
    parcel = Shipment.open(order_id, order_id, "cust-1", [("SKU-1", 2)], ADDRESS)
    parcel.record_label("sim", "TRK-1")
    parcel.dispatch("admin")
    parcel.record_carrier_event("ev-1", "DELIVERED", "2026-06-02T10:00:00+00:00")
    for aggregate in (order, cancelled, product, item, payment, parcel):
        store.save(aggregate)
    return order_id
