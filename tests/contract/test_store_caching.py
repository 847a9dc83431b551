"""`ShopStore.caching`: a cache of its own over the same store, on SQLite and PostgreSQL.

The saga worker's fulfilment manager reads through one while the checkout keeps none: it
must see what other writers appended since it cached an aggregate, lose a stale copy at
save time, and forget every cached aggregate when a customer is erased.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.bootstrap import build_store
from config.settings import Settings
from domain.order import Order, OrderStatus, PricedLine
from domain.shared.base import ConcurrencyConflict
from eventstore.application import ShopStore

ORDER = "00000000-0000-4000-8000-0000000000c7"
STREAM = f"order-{ORDER}"
ADDRESS = {"name": "Ada Obi", "line1": "3 Marina Road", "city": "Lagos", "country": "NG"}


@pytest.fixture
def store(settings: Settings) -> Iterator[ShopStore]:
    store = build_store(settings.model_copy(update={"aggregate_cache_size": 0}))
    yield store
    store.close()


@pytest.fixture
def elsewhere(settings: Settings) -> Iterator[ShopStore]:
    """Another process's store over the same events."""
    store = build_store(settings)
    yield store
    store.close()


def place(store: ShopStore) -> None:
    line = PricedLine("SKU-1", "Hammer", 1, 1000, "NGN")
    store.save(Order.place(ORDER, "cust-7", [line], 0, None, "tok_ok", ADDRESS, None))


def test_the_cache_is_its_own_and_brought_up_to_date(
    store: ShopStore, elsewhere: ShopStore
) -> None:
    cached = store.caching(100)
    place(store)
    assert cached.get(STREAM).status == OrderStatus.PENDING
    assert store.repository.cache is None
    assert cached.repository.cache is not None

    order = elsewhere.get(STREAM)
    order.confirm()
    elsewhere.save(order)

    assert cached.get(STREAM).status == OrderStatus.CONFIRMED  # read on from its version
    assert cached.recorder is store.recorder  # the same connections


def test_a_copy_made_stale_loses_at_save(store: ShopStore, elsewhere: ShopStore) -> None:
    cached = store.caching(100)
    place(store)
    held = cached.get(STREAM)
    moved = elsewhere.get(STREAM)
    moved.request_cancellation("customer:cust-7")
    elsewhere.save(moved)

    held.confirm()
    with pytest.raises(ConcurrencyConflict):
        cached.save(held)
    assert cached.get(STREAM).status == OrderStatus.PENDING


def test_an_erasure_empties_the_cache(store: ShopStore) -> None:
    cached = store.caching(100)
    place(store)
    assert cached.get(STREAM).shipping_address == ADDRESS

    store.keys.erase("cust-7")

    assert cached.get(STREAM).shipping_address is None
