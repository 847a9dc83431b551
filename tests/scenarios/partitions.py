"""Helpers for scenarios with a partitioned saga: who owns what, and placing by partition."""

from __future__ import annotations

import random
from typing import Any

from eventsourcing.utils import get_topic

from commands.process_managers.parts import Partition
from domain.checkout import Checkout
from domain.order import PlaceOrder
from domain.shared import ids
from tests.scenarios.shop import Shop


def owner(key: str, count: int) -> int:
    """The partition that owns the sku (or coupon code) `key`."""
    return next(i for i in range(count) if Partition(i, count).owns_sku(key))


def place_in(shop: Shop, partition: Partition, *lines: tuple[str, int], **options: Any) -> str:
    """Place an order whose id falls to `partition`: its key is drawn until one does."""
    customer = options.get("customer", "cust-1")
    wanted = [{"sku": sku, "quantity": qty} for sku, qty in lines]
    for _ in range(1000):
        key = f"key-{random.random()}"
        if partition.owns(ids.new_order_uuid(customer, key)):
            coupon, token = options.get("coupon"), options.get("token", "tok_ok")
            shop.bus.handle(PlaceOrder(customer, key, wanted, coupon, token))
            return ids.new_order_uuid(customer, key)
    raise AssertionError(f"no order id found for {partition}")


def asks(shop: Shop) -> list[Any]:
    """Every `Checkout.StepAsked` in the log, oldest first."""
    topic = get_topic(Checkout.StepAsked)
    return [logged.event for logged in shop.container.log.read(0, 100_000, [topic])]
