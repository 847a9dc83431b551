"""Projector mapping: real domain events folded over empty documents, no store involved."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from domain.coupon import Coupon
from domain.inventory import InventoryItem
from domain.order import Order, PricedLine
from domain.payment import Payment
from domain.product import Product
from eventstore.log import Logged
from projections.catalog_search.projector import CatalogSearchProjector
from projections.core import Docs, fold, fresh_events
from projections.hot_lookups.projector import HotLookupsProjector
from projections.order_views.projector import OrderViewsProjector
from tests.projections.shopdata import NOW

ORDER = str(uuid4())


def logged(*aggregates: Any, start: int = 1) -> list[Logged]:
    events = [event for aggregate in aggregates for event in aggregate.collect_events()]
    for event in events:
        object.__setattr__(event, "metadata", {"correlation_id": "c", "causation_id": "c"})
    return [Logged(start + n, event) for n, event in enumerate(events)]


def project(projector: Any, events: list[Logged]) -> Docs:
    return fold(projector, events, lambda keys: {})


def placed_order() -> Order:
    line = PricedLine("SKU-1", "Widget", 2, 1000, "KRW")
    return Order.place(ORDER, "alice", [line], 200, "TENOFF", "tok_ok", None)


def test_a_placed_then_declined_order_is_cancelled_with_its_payment_status() -> None:
    order, payment = placed_order(), Payment.request(ORDER, 1800, "KRW", "tok_declined")
    payment.decline("card_declined")
    order.cancel("PAYMENT_DECLINED")

    docs = project(OrderViewsProjector(), logged(order, payment))

    doc = docs.get("order", ORDER)
    assert doc is not None
    assert (doc["status"], doc["payment_status"], doc["cancel_reason"]) == (
        "CANCELLED",
        "DECLINED",
        "PAYMENT_DECLINED",
    )
    assert (doc["subtotal"], doc["discount"], doc["total"]) == (2000, 200, 1800)
    assert doc["placed_position"] == 1


def test_stock_and_coupon_events_join_the_order_timeline_only() -> None:
    item = InventoryItem.start_tracking("SKU-1")
    item.receive(5)
    item.reserve(ORDER, 2)
    coupon = Coupon.define("TENOFF", "percent", 10)
    coupon.redeem(ORDER, "alice", 1800, NOW)

    docs = project(OrderViewsProjector(), logged(placed_order(), item, coupon))

    types = [row["type"] for kind, row in docs.appended if kind == "timeline"]
    assert types == ["shop.order.placed", "shop.inventory.stock_reserved", "shop.coupon.redeemed"]
    assert docs.changed == {("order", ORDER)}


def test_stock_moves_through_reserve_commit_release_and_return() -> None:
    item, other = InventoryItem.start_tracking("SKU-1"), str(uuid4())
    item.receive(10)
    item.reserve(ORDER, 3)
    item.reserve(other, 2)
    item.commit(ORDER)
    item.release(other)
    item.adjust(-1, "damaged")

    stock = project(HotLookupsProjector(), logged(item)).get("stock", "SKU-1")

    assert stock == {"sku": "SKU-1", "on_hand": 6, "reserved": 0, "available": 6, "version": 6}


def test_lookups_keep_the_stream_version_through_rejections() -> None:
    item = InventoryItem.start_tracking("SKU-1")
    item.receive(1)
    item.reserve(ORDER, 5)  # rejected: nothing moves but the version
    coupon = Coupon.define("TENOFF", "percent", 10, max_redemptions=1)
    coupon.redeem(str(uuid4()), "alice", 1000, NOW)
    coupon.redeem(str(uuid4()), "bob", 1000, NOW)  # rejected: the limit is reached
    product = Product.register("SKU-1", "Widget", "A widget", "tools", "Acme", 900, "KRW", {})
    product.change_price(800)
    product.discontinue()

    docs = project(HotLookupsProjector(), logged(item, coupon, product))

    versions = [
        docs.get(kind, key)["version"]
        for kind, key in (("stock", "SKU-1"), ("coupon", "TENOFF"), ("product", "SKU-1"))  # type: ignore[index]
    ]
    assert versions == [item.version, coupon.version, product.version] == [2, 2, 2]


def test_a_coupon_counts_redemptions_minus_reverts() -> None:
    coupon = Coupon.define("TENOFF", "percent", 10, max_redemptions=3)
    first, second = str(uuid4()), str(uuid4())
    coupon.redeem(first, "alice", 1000, NOW)
    coupon.redeem(second, "bob", 1000, NOW)
    coupon.revert(first)
    coupon.disable()

    doc = project(HotLookupsProjector(), logged(coupon)).get("coupon", "TENOFF")

    assert doc is not None
    assert (doc["redemptions"], doc["max_redemptions"], doc["disabled"]) == (1, 3, True)


def test_a_discontinued_product_leaves_the_search_listing_with_its_stock() -> None:
    item = InventoryItem.start_tracking("SKU-1")
    item.receive(4)  # stock may arrive before the product exists
    product = Product.register("SKU-1", "Widget", "A widget", "tools", "Acme", 900, "KRW", {})
    product.change_price(800)

    before = project(CatalogSearchProjector(), logged(item, product)).get("product", "SKU-1")
    product.discontinue()
    after = project(CatalogSearchProjector(), logged(product, start=9)).get("product", "SKU-1")

    assert before is not None
    assert after is not None
    assert (before["listed"], before["price"], before["available"]) == (True, 800, 4)
    assert before["newest"] == 3  # the position of its registration
    assert after["listed"] is False


def test_events_a_projector_does_not_handle_touch_nothing() -> None:
    product = Product.register("SKU-1", "Widget", "A widget", "tools", "Acme", 900, "KRW", {})

    docs = project(OrderViewsProjector(), logged(product))

    assert not docs.changed
    assert not docs.appended


def test_replayed_and_repeated_events_are_dropped_before_folding() -> None:
    events = logged(placed_order())

    assert fresh_events([*events, *events], stored=0) == events
    assert fresh_events(events, stored=events[-1].position) == []
