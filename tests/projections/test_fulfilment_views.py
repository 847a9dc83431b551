"""Order views of fulfilment: the order's shipment, its returns and refunds, and its
timeline, on SQLite and PostgreSQL."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

import pytest

from eventstore.log import EventLog
from projections.order_views.view import OrderViews
from projections.runner import catch_up
from queries.orders import GetOrderSummary, GetOrderTimeline, ListCustomerOrders
from tests.projections.contract import (  # noqa: F401 - collected here, run on these views
    test_a_bulk_replay_equals_a_view_followed_event_by_event,
    test_a_projector_killed_mid_batch_ends_like_an_uninterrupted_one,
    test_a_rebuild_under_writes_equals_the_live_view,
    test_duplicate_deliveries_change_nothing,
    test_replaying_the_whole_log_changes_nothing,
)
from tests.projections.fixtures import log, shop, store  # noqa: F401
from tests.projections.fulfilment_data import DELIVERED_AT, JOURNEY, Fulfil
from tests.projections.fulfilment_fixtures import fulfil, history, make, query, view  # noqa: F401
from tests.projections.shopdata import Shop


def test_fulfilment_follows_the_shipment_through_each_status(
    view: OrderViews, log: EventLog, shop: Shop, fulfil: Fulfil
) -> None:
    order_id = shop.order("carol", {"SKU-MS1": 1})
    catch_up(log, view)
    assert_fulfilment(view, order_id, None)

    fulfil.open(order_id, "carol", {"SKU-MS1": 1})
    catch_up(log, view)
    assert_fulfilment(view, order_id, ("READY", None, None, False, None))
    tracking = f"TRK-{order_id[:8]}"
    for status in JOURNEY:
        fulfil.advance(order_id, status)
        catch_up(log, view)
        shipped = status != "LABELLED"
        delivered = DELIVERED_AT if status == "DELIVERED" else None
        assert_fulfilment(view, order_id, (status, "simcarrier", tracking, shipped, delivered))


def assert_fulfilment(view: OrderViews, order_id: str, expected: tuple | None) -> None:
    order = GetOrderSummary(view)(order_id)
    assert order is not None
    if expected is None:
        assert order.fulfilment is None
        return
    status, carrier, tracking, shipped, delivered = expected
    shown = order.fulfilment
    assert shown is not None
    assert (shown.status, shown.carrier, shown.tracking_number) == (status, carrier, tracking)
    assert (shown.shipped_at is not None, shown.delivered_at) == (shipped, delivered)


@pytest.mark.parametrize(
    ("name", "status", "tracked"),
    [("on_hold", "ON_HOLD", False), ("labelled", "LABELLED", True), ("voided", "VOIDED", False)],
)
def test_held_labelled_and_voided_shipments_show_on_their_order(
    view: OrderViews, history: dict, name: str, status: str, tracked: bool
) -> None:
    order = GetOrderSummary(view)(history[name])

    assert order is not None
    assert order.fulfilment is not None
    assert order.fulfilment.status == status
    assert (order.fulfilment.tracking_number is not None) == tracked
    assert order.fulfilment.shipped_at is None


def test_an_order_lists_its_returns_and_what_was_refunded(view: OrderViews, history) -> None:
    order = GetOrderSummary(view)(history["delivered"])

    assert order is not None
    assert [(r.return_id, r.kind, r.status) for r in order.returns] == [
        (history["refunded"], "refund", "REFUNDED"),
        (history["exchanged"], "exchange", "EXCHANGED"),
        (history["waiting"], "refund", "REQUESTED"),
    ]
    assert [r.refund_amount for r in order.returns] == [2900, 12900, 2900]
    assert [(line.sku, line.quantity, line.unit_price) for line in order.returns[1].lines] == [
        ("SKU-KB1", 1, 12900)
    ]
    assert (order.payment_status, order.refunded_total) == ("PARTIALLY_REFUNDED", 2900)
    assert order.fulfilment is not None
    assert order.fulfilment.status == "DELIVERED"  # its own, not the exchange's


def test_a_partial_then_a_full_refund_add_up_to_the_total(
    view: OrderViews, log: EventLog, shop: Shop, fulfil: Fulfil
) -> None:
    order_id = shop.order("dave", {"SKU-MS1": 2})
    fulfil.ship(order_id, "dave", {"SKU-MS1": 2}, "DELIVERED")
    first = fulfil.request(order_id, "dave", {"SKU-MS1": 1}, key="first")
    fulfil.refund(order_id, first, {"SKU-MS1": 1}, 2900)
    catch_up(log, view)
    partly = GetOrderSummary(view)(order_id)

    second = fulfil.request(order_id, "dave", {"SKU-MS1": 1}, key="second")
    fulfil.refund(order_id, second, {"SKU-MS1": 1}, 2900)
    catch_up(log, view)
    fully = GetOrderSummary(view)(order_id)

    assert partly is not None
    assert fully is not None
    assert (partly.payment_status, partly.refunded_total) == ("PARTIALLY_REFUNDED", 2900)
    assert (fully.payment_status, fully.refunded_total) == ("REFUNDED", fully.total)
    assert [r.status for r in fully.returns] == ["REFUNDED", "REFUNDED"]


def test_a_customers_history_carries_fulfilment_too(view: OrderViews, history) -> None:
    page = ListCustomerOrders(view)("alice", size=100)

    shown = {order.order_id: order for order in page.items}
    assert shown[history["delivered"]].refunded_total == 2900
    assert len(shown[history["delivered"]].returns) == 3
    assert shown[history["unshipped"]].fulfilment is None


def test_the_timeline_shows_shipment_and_return_facts_in_order(view, history) -> None:
    entries = GetOrderTimeline(view)(history["delivered"])

    assert entries is not None
    positions = [entry.position for entry in entries]
    assert positions == sorted(positions)
    types = [entry.type for entry in entries]
    journey = [
        "shop.shipment.opened",
        "shop.shipment.label_created",
        "shop.shipment.dispatched",
        "shop.shipment.in_transit",
        "shop.shipment.delivered",
        "shop.return.requested",
        "shop.return.approved",
        "shop.return.received",
        "shop.inventory.return_restocked",
        "shop.payment.partially_refunded",
        "shop.return.refunded",
        "shop.return.exchanged",
    ]
    indices = [types.index(t) for t in journey]
    assert indices == sorted(indices)
    exchange = [e for e in entries if e.stream == f"shipment-{history['exchanged']}"]
    assert [e.type for e in exchange] == ["shop.shipment.opened", "shop.shipment.label_created"]
    assert exchange[0].data["order_id"] == history["delivered"]
