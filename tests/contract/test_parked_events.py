# ruff: noqa: F811 - the shared fixtures are imported, then requested by name
"""`apply_parked` on every view store: a parked event (the position moved past it without
applying it) is folded in once, however often it is retried, and later events of the same
document still land after it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain.inventory import InventoryItem
from eventstore.log import EventLog, Logged
from projections.core import ProjectionView
from projections.runner import catch_up
from tests.projections.fixtures import log, shop, store, view_maker  # noqa: F401
from tests.projections.shopdata import Shop
from tests.projections.stores import LOOKUP_STORES, SEARCH_STORES, ViewMaker
from tests.support.es_model.views import ModelViewMaker

MODEL = ModelViewMaker.store
KINDS = {"hot_lookups": ("stock", "on_hand"), "catalog_search": ("product", "on_hand")}


def cases(name: str, stores: list[Any]) -> list[Any]:
    """(name, store) parameters that keep each store's marks (postgres, redis, ...)."""
    return [
        pytest.param((name, s), marks=[])
        if isinstance(s, str)
        else pytest.param((name, *s.values), marks=s.marks)
        for s in stores
    ]


CASES = cases("hot_lookups", LOOKUP_STORES) + cases("catalog_search", [*SEARCH_STORES, MODEL])


@pytest.fixture(params=CASES)
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    name, store_name = request.param
    if store_name == MODEL:
        yield ModelViewMaker()
    else:
        yield from view_maker(name, store_name, tmp_path)


def on_hand(view: ProjectionView, sku: str) -> int:
    kind, field = KINDS[view.name]
    _, rows = view.snapshot()
    row = rows[f"{kind}:{sku}"]
    return int((json.loads(row) if isinstance(row, str) else row)[field])


def park_receipt(log: EventLog, view: ProjectionView, shop: Shop) -> Logged:
    """Receive 5 of SKU-MS1, then move the view past that event without applying it."""
    shop.catalog()
    catch_up(log, view)
    before = view.position()
    shop.change("SKU-MS1", "receive", 5)
    [receipt] = log.read(before, topics=view.projector.topics)
    assert isinstance(receipt.event, InventoryItem.StockReceived)
    assert view.apply([], before, receipt.position)  # what parking does to the position
    return receipt


def test_a_parked_event_is_applied_once_and_later_events_follow(
    log: EventLog, shop: Shop, make: ViewMaker
) -> None:
    view = make()
    receipt = park_receipt(log, view, shop)
    parked = on_hand(view, "SKU-MS1")

    assert view.apply_parked(receipt) is True
    assert view.apply_parked(receipt) is False
    assert on_hand(view, "SKU-MS1") == parked + 5

    shop.change("SKU-MS1", "receive", 2)
    catch_up(log, view)
    assert on_hand(view, "SKU-MS1") == parked + 7


def test_an_event_the_view_has_not_reached_is_left_to_the_runner(
    log: EventLog, shop: Shop, make: ViewMaker
) -> None:
    view = make()
    shop.catalog()
    ahead = log.read(0, limit=1000, topics=view.projector.topics)[-1]

    assert view.apply_parked(ahead) is False
    catch_up(log, view)
    assert on_hand(view, "SKU-MS1") == 12
