"""A mixed checkout workload: every path of the saga in one small run, for comparisons."""

from __future__ import annotations

from typing import Any

from tests.scenarios.shop import Shop

RECEIVED = {"SKU-A": 8, "SKU-B": 3}  # enough for every order, however batched
ORDERS: list[dict[str, Any]] = [
    {"lines": [("SKU-A", 1)], "coupon": "MIX"},
    {"lines": [("SKU-A", 1), ("SKU-B", 1)]},
    # No coupon here: whether a later order finds MIX's limit reached would depend on
    # whether this decline (and its revert) came first, i.e. on how events were batched.
    {"lines": [("SKU-A", 1)], "token": "tok_declined"},
    {"lines": [("SKU-B", 1)], "token": "tok_flaky"},
    {"lines": [("SKU-A", 1)], "coupon": "MIX", "token": "tok_timeout"},
    {"lines": [("SKU-B", 5)], "coupon": "MIX"},  # out of stock
    {"lines": [("SKU-A", 2)], "coupon": "MIX", "cancel": True},  # cancelled once confirmed
    {"lines": [("SKU-A", 1)], "coupon": "MIX", "customer": "cust-2"},  # over the limit
    {"lines": [("SKU-A", 1)], "token": "tok_timeout", "cancel": True},  # cancelled pending
]


def run_workload(shop: Shop) -> dict[str, str | None]:
    """Place, settle, cancel, time out, deliver late captures; order -> coupon used."""
    for sku, quantity in RECEIVED.items():
        shop.stock(sku, quantity)
    shop.coupon("MIX", max_redemptions=3)
    orders = {}
    for spec in ORDERS:
        token, coupon = spec.get("token", "tok_ok"), spec.get("coupon")
        customer = spec.get("customer", "cust-1")
        order = shop.place(*spec["lines"], token=token, coupon=coupon, customer=customer)
        orders[order] = spec.get("coupon")
    shop.settle()
    for order, spec in zip(orders, ORDERS, strict=True):
        if spec.get("cancel"):
            shop.cancel(order)
    shop.settle()
    shop.clock.advance(shop.container.settings.payment_timeout_s + 1)
    shop.settle()
    shop.deliver_late_captures()
    shop.settle()
    return orders


def summary(shop: Shop, orders: dict[str, str | None]) -> dict[str, Any]:
    """How each order (by placement rank) and each stock and coupon ended."""
    ended = []
    for order in orders:
        placed, payment = shop.order(order), shop.payment(order)
        ended.append((placed.status, placed.cancel_reason, payment and payment.status))
    stock = {sku: (shop.item(sku).on_hand, shop.item(sku).reserved) for sku in RECEIVED}
    return {"orders": ended, "stock": stock, "MIX": len(shop.coupon_state("MIX").redemptions)}
