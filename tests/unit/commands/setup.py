"""Arrange steps for handler tests: put products, stock and coupons in a store."""

from __future__ import annotations

from typing import Any

from commands.coupon import define_coupon
from commands.inventory import receive_stock
from commands.product import register_product
from domain.coupon import DefineCoupon
from domain.inventory import ReceiveStock
from domain.product import RegisterProduct
from eventstore.application import ShopStore
from tests.builders import at

NOW = at("2026-06-01T12:00:00+00:00")


def stored(store: ShopStore, stream_id: str) -> list[Any]:
    """The events stored in one stream, oldest first."""
    return list(store.events.get(stream_id))


def a_product(
    store: ShopStore, sku: str = "SKU-1", price: int = 12900, currency: str = "KRW"
) -> None:
    command = RegisterProduct(sku, f"Product {sku}", "", "tools", "Acme", price, currency, {})
    register_product(command, store)


def stock_of(store: ShopStore, sku: str, quantity: int) -> None:
    receive_stock(ReceiveStock(sku, quantity), store)


def a_coupon(store: ShopStore, code: str = "SPRING10", **rules: Any) -> None:
    fields: dict[str, Any] = {"kind": "percent", "value": 10} | rules
    define_coupon(DefineCoupon(code, **fields), store)
