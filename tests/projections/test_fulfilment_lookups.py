"""Hot lookups of fulfilment: restocked returns count on hand, the order status shows a
partial refund and its shipment's status; on SQLite, PostgreSQL and Redis."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.inventory import RestockReturn
from eventstore.log import EventLog
from projections.hot_lookups.view import HotLookups
from projections.runner import catch_up
from queries.lookups import GetOrderStatus, GetStock
from tests.projections.contract import (  # noqa: F401 - collected here, run on these views
    test_duplicate_deliveries_change_nothing,
    test_replaying_the_whole_log_changes_nothing,
)
from tests.projections.fixtures import log, shop, store, view_maker  # noqa: F401
from tests.projections.fulfilment_data import Fulfil
from tests.projections.fulfilment_fixtures import fulfil  # noqa: F401
from tests.projections.shopdata import Shop
from tests.projections.stores import LOOKUP_STORES, ViewMaker


@pytest.fixture
def history(shop: Shop, fulfil: Fulfil) -> dict[str, str]:
    """Two mice delivered to alice; one came back and was refunded."""
    shop.catalog()
    order_id = shop.order("alice", {"SKU-MS1": 2})
    fulfil.ship(order_id, "alice", {"SKU-MS1": 2}, "DELIVERED")
    return_id = fulfil.request(order_id, "alice", {"SKU-MS1": 1})
    fulfil.refund(order_id, return_id, {"SKU-MS1": 1}, 2900)
    held = shop.order("bob", {"SKU-KB1": 1})
    fulfil.advance(fulfil.open(held, "bob", {"SKU-KB1": 1}), "ON_HOLD")
    return {"order": order_id, "return": return_id, "held": held}


@pytest.fixture(params=LOOKUP_STORES)
def make(request: pytest.FixtureRequest, tmp_path: Path, history: dict) -> Iterator[ViewMaker]:
    yield from view_maker("hot_lookups", request.param, tmp_path)


@pytest.fixture
def view(make: ViewMaker, log: EventLog) -> HotLookups:
    view = make()
    catch_up(log, view)
    return view  # type: ignore[return-value]


def test_a_restocked_return_is_on_hand_again(view: HotLookups) -> None:
    stock = GetStock(view)("SKU-MS1")

    assert stock is not None
    assert (stock.on_hand, stock.reserved, stock.available) == (12 - 2 + 1, 0, 11)


def test_a_restock_moves_on_hand_once(
    view: HotLookups, log: EventLog, shop: Shop, fulfil: Fulfil, history: dict
) -> None:
    before = GetStock(view)("SKU-MS1")
    second = fulfil.request(history["order"], "alice", {"SKU-MS1": 1}, key="again")
    fulfil.receive(second, {"SKU-MS1": 1})
    fulfil.bus.handle(RestockReturn("SKU-MS1", second, 1))  # a repeat records nothing
    catch_up(log, view)

    after = GetStock(view)("SKU-MS1")
    assert before is not None
    assert after is not None
    assert after.on_hand == before.on_hand + 1


def test_the_order_status_shows_a_partial_refund_and_the_shipment(
    view: HotLookups, history: dict
) -> None:
    order, held = GetOrderStatus(view)(history["order"]), GetOrderStatus(view)(history["held"])

    assert order is not None
    assert held is not None
    assert (order.status, order.payment_status) == ("CONFIRMED", "PARTIALLY_REFUNDED")
    assert (order.fulfilment_status, held.fulfilment_status) == ("DELIVERED", "ON_HOLD")


def test_an_exchanges_shipment_makes_no_order_document(
    view: HotLookups, log: EventLog, fulfil: Fulfil, history: dict
) -> None:
    exchange = fulfil.request(history["order"], "alice", {"SKU-MS1": 1}, "exchange", key="x")
    fulfil.exchange(history["order"], "alice", exchange, {"SKU-MS1": 1})
    catch_up(log, view)

    assert GetOrderStatus(view)(exchange) is None
    order = GetOrderStatus(view)(history["order"])
    assert order is not None
    assert order.fulfilment_status == "DELIVERED"
