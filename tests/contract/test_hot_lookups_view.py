"""Hot lookups contract: stock, product, order status and coupon on SQLite, PostgreSQL, Redis."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.shared import ids
from eventstore.application import ShopStore
from eventstore.log import EventLog
from projections.hot_lookups.view import HotLookups
from projections.runner import catch_up
from queries.lookups import GetCoupon, GetOrderStatus, GetProduct, GetStock
from tests.projections.contract import (  # noqa: F401 - collected here, run on these views
    test_a_bulk_replay_equals_a_view_followed_event_by_event,
    test_a_projector_killed_mid_batch_ends_like_an_uninterrupted_one,
    test_a_rebuild_under_writes_equals_the_live_view,
    test_duplicate_deliveries_change_nothing,
    test_replaying_the_whole_log_changes_nothing,
)
from tests.projections.fixtures import log, shop, store, view_maker  # noqa: F401
from tests.projections.shopdata import CATALOG, Shop, random_traffic
from tests.projections.stores import LOOKUP_STORES, ViewMaker

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def history(shop: Shop) -> dict[str, str]:
    shop.catalog()
    shop.coupon("TENOFF", 10, max_redemptions=5)
    placed = {
        "reserved": shop.order("alice", {"SKU-KB1": 2, "SKU-MS1": 1}, outcome="reserved"),
        "captured": shop.order("alice", {"SKU-MS1": 3}, coupon="TENOFF"),
        "declined": shop.order("bob", {"SKU-MS2": 1}, coupon="TENOFF", outcome="declined"),
    }
    shop.change("SKU-MN1", "change_price", 29900)
    shop.change("SKU-MN1", "change_details", name="Monitor 27 Pro")
    shop.change("SKU-KB2", "discontinue")
    random_traffic(shop, 8)
    return placed


@pytest.fixture(params=LOOKUP_STORES)
def make(request: pytest.FixtureRequest, tmp_path: Path, history: dict) -> Iterator[ViewMaker]:
    yield from view_maker("hot_lookups", request.param, tmp_path)


@pytest.fixture
def view(make: ViewMaker, log: EventLog) -> HotLookups:
    view = make()
    catch_up(log, view)
    return view  # type: ignore[return-value]


@pytest.fixture
def query():  # noqa: ANN201
    return lambda view: GetStock(view)("SKU-MS1")


@pytest.mark.parametrize("sku", [row[0] for row in CATALOG])
def test_stock_matches_the_inventory_item(view: HotLookups, store: ShopStore, sku: str) -> None:
    item = store.get(ids.inventory_stream(sku))

    stock = GetStock(view)(sku)

    assert stock is not None
    assert (stock.sku, stock.on_hand, stock.reserved, stock.available) == (
        sku,
        item.on_hand,
        item.reserved,
        item.available,
    )


def test_reserved_stock_is_not_available(view: HotLookups, store: ShopStore) -> None:
    stock = GetStock(view)("SKU-KB1")

    assert stock is not None
    assert stock.reserved >= 2
    assert stock.available == stock.on_hand - stock.reserved


def test_a_product_shows_its_latest_details_and_price(view: HotLookups) -> None:
    monitor, keyboard = GetProduct(view)("SKU-MN1"), GetProduct(view)("SKU-KB2")

    assert monitor is not None
    assert keyboard is not None
    assert (monitor.name, monitor.price, monitor.currency) == ("Monitor 27 Pro", 29900, "KRW")
    assert (monitor.category, monitor.brand, monitor.discontinued) == ("monitors", "Viewy", False)
    assert keyboard.discontinued is True


def test_order_status_follows_order_and_payment(view: HotLookups, history: dict) -> None:
    reserved = GetOrderStatus(view)(history["reserved"])
    captured = GetOrderStatus(view)(history["captured"])
    declined = GetOrderStatus(view)(history["declined"])

    assert reserved is not None
    assert (reserved.status, reserved.payment_status) == ("PENDING", None)
    assert captured is not None
    assert (captured.status, captured.payment_status) == (
        "CONFIRMED",
        "CAPTURED",
    )
    assert declined is not None
    assert (declined.customer_id, declined.status) == ("bob", "CANCELLED")


def test_a_coupon_counts_active_redemptions(view: HotLookups, log: EventLog, shop: Shop) -> None:
    coupon = GetCoupon(view)("TENOFF")
    assert coupon is not None
    assert (coupon.kind, coupon.value, coupon.max_redemptions) == ("percent", 10, 5)
    assert (coupon.redemptions, coupon.disabled) == (1, False)  # bob's was reverted

    shop._on(ids.coupon_stream("TENOFF"), "disable")
    catch_up(log, view)

    disabled = GetCoupon(view)("TENOFF")
    assert disabled is not None
    assert disabled.disabled is True


def test_unknown_keys_are_none(view: HotLookups) -> None:
    assert GetStock(view)("SKU-NONE") is None
    assert GetProduct(view)("SKU-NONE") is None
    assert GetOrderStatus(view)("nope") is None
    assert GetCoupon(view)("NOPE") is None


@pytest.mark.parametrize("sku", [row[0] for row in CATALOG])
def test_stock_and_product_keep_their_stream_versions(
    view: HotLookups, store: ShopStore, sku: str
) -> None:
    stock, product = GetStock(view)(sku), GetProduct(view)(sku)

    assert stock is not None
    assert product is not None
    assert stock.version == store.get(ids.inventory_stream(sku)).version
    assert product.version == store.get(ids.product_stream(sku)).version


def test_a_coupon_keeps_its_stream_version_and_shows_no_currency_for_percent(
    view: HotLookups, store: ShopStore
) -> None:
    coupon = GetCoupon(view)("TENOFF")

    assert coupon is not None
    assert coupon.version == store.get(ids.coupon_stream("TENOFF")).version
    assert coupon.currency is None
