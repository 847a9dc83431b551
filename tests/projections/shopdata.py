"""Real shop histories for read-model tests: aggregates saved through `ShopStore`.

No hand-written events: every fact is recorded by the domain's own methods, so the
read models are tested against what the write side really stores.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import uuid4

from domain.coupon import Coupon
from domain.inventory import InventoryItem
from domain.order import Order, PricedLine
from domain.payment import Payment
from domain.product import Product
from domain.shared import ids
from eventstore.application import ShopStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)

CATALOG = [  # sku, name, description, category, brand, price, stock
    (
        "SKU-KB1",
        "Mechanical keyboard",
        "Clicky blue switches, aluminium case",
        "keyboards",
        "Keyco",
        12900,
        5,
    ),
    (
        "SKU-KB2",
        "Silent keyboard",
        "Quiet membrane keys for the office",
        "keyboards",
        "Hush",
        4900,
        0,
    ),
    ("SKU-MS1", "Wireless mouse", "Ergonomic mouse with silent clicks", "mice", "Keyco", 2900, 12),
    (
        "SKU-MS2",
        "Gaming mouse",
        "Fast optical sensor, keyboard not included",
        "mice",
        "Zap",
        7900,
        3,
    ),
    ("SKU-MN1", "Monitor 27", "A 27 inch monitor with thin bezels", "monitors", "Viewy", 32900, 2),
]


@dataclass
class Shop:
    """Drives aggregates the way the command handlers and the saga would."""

    store: ShopStore
    prices: dict[str, tuple[str, int]] = field(default_factory=dict)

    def product(
        self,
        sku: str,
        name: str,
        description: str,
        category: str,
        brand: str,
        price: int,
        stock: int = 0,
    ) -> None:
        product = Product.register(sku, name, description, category, brand, price, "KRW", {})
        item = InventoryItem.start_tracking(sku)
        if stock:
            item.receive(stock)
        self.store.save(product)
        self.store.save(item)
        self.prices[sku] = (name, price)

    def catalog(self) -> None:
        for row in CATALOG:
            self.product(*row)

    def change(self, sku: str, method: str, *args: object, **kwargs: object) -> None:
        stream = ids.product_stream(sku) if method != "receive" else ids.inventory_stream(sku)
        aggregate = self.store.get(stream)
        getattr(aggregate, method)(*args, **kwargs)
        self.store.save(aggregate)

    def coupon(self, code: str, value: int = 10, max_redemptions: int | None = None) -> None:
        coupon = Coupon.define(code, "percent", value, max_redemptions=max_redemptions)
        self.store.save(coupon)

    def order(
        self,
        customer: str,
        lines: dict[str, int],
        coupon: str | None = None,
        outcome: str = "captured",
    ) -> str:
        """Place an order and run it to `outcome`: captured, declined, pending, reserved
        (stock held, nothing paid yet), cancelled (by the customer after capture)."""
        order_id = str(uuid4())
        priced = [
            PricedLine(sku, self.prices[sku][0], qty, self.prices[sku][1], "KRW")
            for sku, qty in lines.items()
        ]
        subtotal = sum(line.amount for line in priced)
        discount = 0
        if coupon:
            discount = self.store.get(ids.coupon_stream(coupon)).discount_for(subtotal)
        order = Order.place(order_id, customer, priced, discount, coupon, "tok_ok", None)
        self.store.save(order)
        if outcome == "pending":
            return order_id
        reserved = self._reserve(order_id, lines)
        if not reserved:
            return self._cancel(order_id, lines, "OUT_OF_STOCK")
        if outcome == "reserved":
            return order_id
        if coupon:
            self._on(ids.coupon_stream(coupon), "redeem", order_id, customer, order.total, NOW)
        payment = Payment.request(order_id, order.total, "KRW", "tok_ok")
        self.store.save(payment)
        if outcome == "declined":
            self._on(payment.id, "decline", "card_declined")
            if coupon:
                self._on(ids.coupon_stream(coupon), "revert", order_id)
            return self._cancel(order_id, lines, "PAYMENT_DECLINED")
        self._on(payment.id, "capture", f"ref-{order_id[:8]}")
        for sku in lines:
            self._on(ids.inventory_stream(sku), "commit", order_id)
        self._on(ids.order_stream(order_id), "confirm")
        if outcome == "cancelled":
            self._on(ids.order_stream(order_id), "request_cancellation", customer)
            self._on(payment.id, "refund", "customer request")
            for sku in lines:
                self._on(ids.inventory_stream(sku), "return_stock", order_id)
            self._on(ids.order_stream(order_id), "cancel", "CUSTOMER_REQUEST")
        return order_id

    def _reserve(self, order_id: str, lines: dict[str, int]) -> bool:
        for sku, qty in lines.items():
            item = self.store.get(ids.inventory_stream(sku))
            item.reserve(order_id, qty)
            self.store.save(item)
            if order_id not in item.reservations:
                return False
        return True

    def _cancel(self, order_id: str, lines: dict[str, int], reason: str) -> str:
        for sku in lines:
            self._on(ids.inventory_stream(sku), "release", order_id)
        self._on(ids.order_stream(order_id), "cancel", reason)
        return order_id

    def _on(self, stream: str, method: str, *args: object) -> None:
        aggregate = self.store.get(stream)
        getattr(aggregate, method)(*args)
        self.store.save(aggregate)


def random_traffic(shop: Shop, orders: int, seed: int = 7) -> list[str]:
    """`orders` orders with mixed outcomes over the catalog (restocking as it goes)."""
    rng = random.Random(seed)
    skus = [row[0] for row in CATALOG]
    placed = []
    for number in range(orders):
        if number % 10 == 0:
            for sku in skus:
                shop.change(sku, "receive", 20)
        lines = {sku: rng.randint(1, 3) for sku in rng.sample(skus, rng.randint(1, 3))}
        outcome = rng.choice(["captured", "captured", "declined", "cancelled", "pending"])
        placed.append(shop.order(f"cust-{rng.randint(1, 5)}", lines, None, outcome))
    return placed
