"""Order views contract: detail, customer history and timeline on SQLite and PostgreSQL."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eventstore.log import EventLog
from projections.order_views.view import OrderViews
from projections.runner import catch_up
from queries.errors import InvalidQuery
from queries.orders import GetOrderSummary, GetOrderTimeline, ListCustomerOrders
from tests.projections.contract import (  # noqa: F401 - collected here, run on these views
    test_a_bulk_replay_equals_a_view_followed_event_by_event,
    test_a_projector_killed_mid_batch_ends_like_an_uninterrupted_one,
    test_a_rebuild_under_writes_equals_the_live_view,
    test_duplicate_deliveries_change_nothing,
    test_replaying_the_whole_log_changes_nothing,
)
from tests.projections.fixtures import log, shop, store, view_maker  # noqa: F401
from tests.projections.shopdata import Shop
from tests.projections.stores import SQL_STORES, ViewMaker


@pytest.fixture
def history(shop: Shop) -> dict[str, str]:
    """One order per outcome, Alice's in this order: captured, declined, pending, cancelled."""
    shop.catalog()
    shop.coupon("TENOFF", 10)
    return {
        "captured": shop.order("alice", {"SKU-KB1": 1, "SKU-MS1": 2}, coupon="TENOFF"),
        "declined": shop.order("alice", {"SKU-MS1": 1}, outcome="declined"),
        "out_of_stock": shop.order("bob", {"SKU-MS1": 1, "SKU-KB2": 1}),
        "pending": shop.order("alice", {"SKU-MN1": 1}, outcome="pending"),
        "cancelled": shop.order("alice", {"SKU-MS2": 1}, outcome="cancelled"),
    }


@pytest.fixture(params=SQL_STORES)
def make(request: pytest.FixtureRequest, tmp_path: Path, history: dict) -> Iterator[ViewMaker]:
    yield from view_maker("order_views", request.param, tmp_path)


@pytest.fixture
def view(make: ViewMaker, log: EventLog) -> OrderViews:
    view = make()
    catch_up(log, view)
    return view  # type: ignore[return-value]


@pytest.fixture
def query(history: dict[str, str]):  # noqa: ANN201
    return lambda view: ListCustomerOrders(view)("alice")


def test_an_order_shows_its_lines_totals_coupon_and_payment(view: OrderViews, history) -> None:
    order = GetOrderSummary(view)(history["captured"])

    assert order is not None
    assert order.customer_id == "alice"
    assert (order.status, order.payment_status) == ("CONFIRMED", "CAPTURED")
    assert [(line.sku, line.quantity, line.unit_price) for line in order.lines] == [
        ("SKU-KB1", 1, 12900),
        ("SKU-MS1", 2, 2900),
    ]
    assert (order.subtotal, order.discount, order.total) == (18700, 1870, 16830)
    assert (order.currency, order.coupon_code, order.cancel_reason) == ("KRW", "TENOFF", None)
    assert order.created_at < order.updated_at


@pytest.mark.parametrize(
    ("outcome", "status", "payment", "reason"),
    [
        ("declined", "CANCELLED", "DECLINED", "PAYMENT_DECLINED"),
        ("out_of_stock", "CANCELLED", None, "OUT_OF_STOCK"),
        ("pending", "PENDING", None, None),
        ("cancelled", "CANCELLED", "REFUNDED", "CUSTOMER_REQUEST"),
    ],
)
def test_each_outcome_shows_its_status_payment_and_reason(
    view: OrderViews, history: dict[str, str], outcome: str, status: str, payment, reason
) -> None:
    order = GetOrderSummary(view)(history[outcome])

    assert order is not None
    assert (order.status, order.payment_status, order.cancel_reason) == (status, payment, reason)


def test_an_unknown_order_is_none(view: OrderViews) -> None:
    assert GetOrderSummary(view)("no-such-order") is None
    assert GetOrderTimeline(view)("no-such-order") is None


def test_customer_history_is_newest_first(view: OrderViews, history: dict[str, str]) -> None:
    page = ListCustomerOrders(view)("alice")

    expected = [history[k] for k in ("cancelled", "pending", "declined", "captured")]
    assert [order.order_id for order in page.items] == expected
    assert page.total == 4


def test_customer_history_filters_by_status_and_pages(
    view: OrderViews, history: dict[str, str]
) -> None:
    cancelled = ListCustomerOrders(view)("alice", status="CANCELLED")
    second = ListCustomerOrders(view)("alice", page=2, size=3)

    assert [o.order_id for o in cancelled.items] == [history["cancelled"], history["declined"]]
    assert (second.total, [o.order_id for o in second.items]) == (4, [history["captured"]])
    assert ListCustomerOrders(view)("nobody").total == 0


@pytest.mark.parametrize(
    "bad", [{"status": "SHIPPED"}, {"page": 0}, {"size": 101}, {"size": "10"}, {"page": 10**6}]
)
def test_bad_history_queries_are_refused(view: OrderViews, bad: dict) -> None:
    with pytest.raises(InvalidQuery):
        ListCustomerOrders(view)("alice", **bad)


def test_the_timeline_crosses_aggregates_in_log_order(
    view: OrderViews, history: dict[str, str]
) -> None:
    timeline = GetOrderTimeline(view)(history["captured"])

    assert timeline is not None
    assert [entry.type for entry in timeline] == [
        "shop.order.placed",
        "shop.inventory.stock_reserved",
        "shop.inventory.stock_reserved",
        "shop.coupon.redeemed",
        "shop.payment.requested",
        "shop.payment.captured",
        "shop.inventory.reservation_committed",
        "shop.inventory.reservation_committed",
        "shop.order.confirmed",
    ]
    positions = [entry.position for entry in timeline]
    assert positions == sorted(positions)
    assert timeline[1].stream == "inventory-SKU-KB1"
    assert timeline[1].data["quantity"] == 1
    assert "payment_token" not in timeline[0].data
    assert "token" not in timeline[4].data
    assert timeline[0].metadata["correlation_id"]
