"""Fulfilment lists of the order views: shipments by status, one return, the admin
backlog, on SQLite and PostgreSQL."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

import pytest

from eventstore.log import EventLog
from projections.order_views.view import OrderViews
from projections.runner import catch_up
from queries.errors import InvalidQuery
from queries.fulfilment import GetBacklog, GetReturn, ListShipments
from tests.projections.fixtures import log, shop, store  # noqa: F401
from tests.projections.fulfilment_data import DELIVERED_AT, Fulfil
from tests.projections.fulfilment_fixtures import fulfil, history, make, view  # noqa: F401


def test_the_shipments_list_filters_by_status_newest_first(view: OrderViews, history) -> None:
    everything = ListShipments(view)()
    held = ListShipments(view)("ON_HOLD")
    delivered = ListShipments(view)("DELIVERED")

    assert everything.total == 5  # four orders' own and one exchange's
    opened = [history[name] for name in ("delivered", "exchanged", "on_hold", "labelled")]
    assert [item.shipment_id for item in everything.items] == [history["voided"], *opened[::-1]]
    assert [(item.order_id, item.hold_reason) for item in held.items] == [
        (history["on_hold"], "undeliverable address")
    ]
    assert delivered.total == 1
    item = delivered.items[0]
    assert (item.order_id, item.shipment_id, item.return_id) == (history["delivered"],) * 2 + (
        None,
    )
    assert (item.carrier, item.delivered_at) == ("simcarrier", DELIVERED_AT)
    assert item.shipped_at is not None
    assert item.updated_at >= item.shipped_at


def test_an_exchanges_shipment_names_its_order_and_return(view: OrderViews, history) -> None:
    [item] = [i for i in ListShipments(view)("LABELLED").items if i.return_id]

    assert (item.order_id, item.shipment_id) == (history["delivered"], history["exchanged"])


def test_the_shipments_list_pages(view: OrderViews, history) -> None:
    first, second = ListShipments(view)(page=1, size=2), ListShipments(view)(page=3, size=2)

    assert (first.total, first.page, first.size, len(first.items)) == (5, 1, 2, 2)
    assert [item.shipment_id for item in second.items] == [history["delivered"]]


@pytest.mark.parametrize(("status", "page"), [("on_hold", 1), ("ON_HOLD", 0)])
def test_the_shipments_list_refuses_bad_filters(view: OrderViews, status, page) -> None:
    with pytest.raises(InvalidQuery):
        ListShipments(view)(status, page=page)


def test_a_return_shows_its_order_lines_status_and_amount(view: OrderViews, history) -> None:
    refunded = GetReturn(view)(history["refunded"])

    assert refunded is not None
    assert (refunded.order_id, refunded.customer_id) == (history["delivered"], "alice")
    assert (refunded.kind, refunded.status, refunded.refund_amount) == ("refund", "REFUNDED", 2900)
    assert [line.model_dump() for line in refunded.lines] == [
        {"sku": "SKU-MS1", "quantity": 1, "unit_price": 2900}
    ]
    assert refunded.created_at < refunded.updated_at
    assert "customer_id" not in refunded.model_dump()
    assert GetReturn(view)(history["delivered"]) is None  # an order's uuid names no return


def test_the_backlog_counts_held_shipments_and_waiting_returns(
    view: OrderViews, log: EventLog, history, fulfil: Fulfil
) -> None:
    assert GetBacklog(view)().model_dump() == {
        "shipments_on_hold": 1,
        "returns_awaiting_approval": 1,
    }

    fulfil.reject(history["waiting"])
    catch_up(log, view)

    assert GetBacklog(view)().returns_awaiting_approval == 0
    assert GetReturn(view)(history["waiting"]).status == "REJECTED"  # type: ignore[union-attr]
