"""The demo catalog `shop serve` writes into an empty store: a few products, stock, a coupon."""

from __future__ import annotations

import logging

from app.bootstrap import Container
from domain.coupon import DefineCoupon
from domain.inventory import ReceiveStock
from domain.product import RegisterProduct

log = logging.getLogger("shop.api")

DEMO_PRODUCTS = (
    RegisterProduct(
        "MUG-1",
        "Stoneware mug",
        "A 350 ml mug, glazed by hand.",
        "kitchen",
        "Acme",
        12900,
        "KRW",
        {"colour": "white"},
    ),
    RegisterProduct(
        "TEA-1",
        "Green tea, 50 bags",
        "Jeju sencha, first flush.",
        "grocery",
        "Osulloc",
        8900,
        "KRW",
        {"origin": "Jeju"},
    ),
    RegisterProduct(
        "KETTLE-1",
        "Electric kettle",
        "1.7 l, keeps warm for 30 minutes.",
        "kitchen",
        "Acme",
        45000,
        "KRW",
        {"power": "2200W"},
    ),
    RegisterProduct(
        "BAG-1",
        "Canvas tote bag",
        "Heavy cotton canvas.",
        "accessories",
        "Northwind",
        19000,
        "KRW",
        {},
    ),
)
DEMO_STOCK = {"MUG-1": 100, "TEA-1": 250, "KETTLE-1": 20, "BAG-1": 60}
DEMO_COUPON = DefineCoupon("WELCOME10", "percent", 10, per_customer_limit=1)


class DemoCatalog:
    """A start-up step: seeds the demo catalog when the log is empty, once."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def start(self) -> None:
        if self.container.log.head() > 0:
            return
        bus = self.container.bus
        for product in DEMO_PRODUCTS:
            bus.handle(product)
            bus.handle(ReceiveStock(product.sku, DEMO_STOCK[product.sku]))
        bus.handle(DEMO_COUPON)
        log.info(
            "seeded the demo catalog: %d products and coupon %s",
            len(DEMO_PRODUCTS),
            DEMO_COUPON.code,
        )

    def stop(self) -> None:
        pass
