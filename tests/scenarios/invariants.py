"""What must hold after any run of the saga, however it was interrupted or raced."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from domain.inventory import InventoryItem
from domain.shared import ids
from tests.scenarios.shop import Shop

TERMINAL = ("CONFIRMED", "CANCELLED")


def assert_stock_conserved(shop: Shop, received: Mapping[str, int]) -> None:
    """received = on hand + sold; reserved = the open reservations; never below zero."""
    for sku, quantity in received.items():
        item: InventoryItem = shop.item(sku)
        sold = sum(item.committed.values())
        assert quantity == item.on_hand + sold, (sku, quantity, item.on_hand, sold)
        assert item.reserved == sum(item.reservations.values()), sku
        assert 0 <= item.reserved <= item.on_hand, (sku, item.reserved, item.on_hand)


def assert_never_oversold(shop: Shop, sku: str) -> None:
    """Replaying the whole stream, available stock never went below zero."""
    item = None
    for past in shop.store.events.get(ids.inventory_stream(sku)):
        item = past.mutate(item)
        assert item is not None
        assert item.available >= 0, past


def assert_payments_once(shop: Shop, orders: Iterable[str]) -> None:
    for order in orders:
        counts = shop.captures(order)
        assert counts["captures"] <= 1, (order, counts)
        assert counts["repeats"] == 0, (order, counts)


def assert_settled(
    shop: Shop, orders: Mapping[str, str | None], received: Mapping[str, int]
) -> None:
    """Every order terminal and every aggregate consistent with how it ended.

    `orders` maps each order to the coupon it used (or None).
    """
    status = {order: shop.order(order).status for order in orders}
    assert all(s in TERMINAL for s in status.values()), [
        o for o, s in status.items() if s not in TERMINAL
    ]
    assert_payments_once(shop, orders)
    assert_stock_conserved(shop, received)
    for order, current in status.items():
        _assert_payment_matches(shop, order, current)
        assert shop.checkout(order).outcome == current, order
    for code in {code for code in orders.values() if code}:
        confirmed = {o for o, c in orders.items() if c == code and status[o] == "CONFIRMED"}
        assert set(shop.coupon_state(code).redemptions) == confirmed, code
    for sku in received:
        assert shop.item(sku).reservations == {}, sku


def _assert_payment_matches(shop: Shop, order: str, status: str) -> None:
    payment: Any = shop.payment(order)
    if status == "CONFIRMED":
        assert payment is not None, order
        assert payment.status == "CAPTURED", order
    else:  # no money kept for a cancelled order
        assert payment is None or payment.status in ("DECLINED", "TIMED_OUT", "REFUNDED"), (
            order,
            payment.status,
        )
