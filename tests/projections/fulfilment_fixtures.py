"""Fixtures of the fulfilment read-model suites: the bus driver, a fulfilment history and
order views over it on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eventstore.application import ShopStore
from eventstore.log import EventLog
from projections.order_views.view import OrderViews
from projections.runner import catch_up
from queries.fulfilment import ListShipments
from tests.projections.fixtures import view_maker
from tests.projections.fulfilment_data import Fulfil
from tests.projections.shopdata import Shop
from tests.projections.stores import SQL_STORES, ViewMaker


@pytest.fixture
def fulfil(store: ShopStore) -> Fulfil:
    return Fulfil(store)


@pytest.fixture
def history(shop: Shop, fulfil: Fulfil) -> dict[str, str]:
    """Alice's delivered order with a refunded, an exchanged and a waiting return; orders
    whose shipments are on hold, labelled and voided; one without a shipment."""
    shop.catalog()
    delivered = shop.order("alice", {"SKU-KB1": 1, "SKU-MS1": 2})
    fulfil.ship(delivered, "alice", {"SKU-KB1": 1, "SKU-MS1": 2}, "DELIVERED")
    refunded = fulfil.request(delivered, "alice", {"SKU-MS1": 1}, key="r1")
    fulfil.refund(delivered, refunded, {"SKU-MS1": 1}, 2900)
    exchanged = fulfil.request(delivered, "alice", {"SKU-KB1": 1}, "exchange", key="r2")
    fulfil.exchange(delivered, "alice", exchanged, {"SKU-KB1": 1})
    waiting = fulfil.request(delivered, "alice", {"SKU-MS1": 1}, key="r3")
    on_hold = shop.order("alice", {"SKU-MS1": 1})
    fulfil.advance(fulfil.open(on_hold, "alice", {"SKU-MS1": 1}), "ON_HOLD")
    labelled = shop.order("bob", {"SKU-MS2": 1})
    fulfil.ship(labelled, "bob", {"SKU-MS2": 1}, "LABELLED")
    voided = shop.order("alice", {"SKU-MN1": 1})
    fulfil.advance(fulfil.open(voided, "alice", {"SKU-MN1": 1}), "VOIDED")
    unshipped = shop.order("alice", {"SKU-MS1": 1}, outcome="pending")
    names = ("delivered", "refunded", "exchanged", "waiting", "on_hold", "labelled")
    found = (delivered, refunded, exchanged, waiting, on_hold, labelled)
    return dict(zip(names, found, strict=True)) | {"voided": voided, "unshipped": unshipped}


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
    return lambda view: ListShipments(view)()
