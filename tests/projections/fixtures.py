"""Fixtures the read-model contract suites share: a shop on a real event store, views."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backends import event_store_env
from config.settings import Settings
from eventstore.application import ShopStore
from eventstore.log import EventLog
from tests.projections.shopdata import Shop
from tests.projections.stores import ViewMaker


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ShopStore]:
    """The SQLite event store (the log's own contract is proven on every backend elsewhere)."""
    shop_store = ShopStore(event_store_env(Settings(data_dir=tmp_path / "events")))
    yield shop_store
    shop_store.close()


@pytest.fixture
def log(store: ShopStore) -> EventLog:
    return EventLog(store)


@pytest.fixture
def shop(store: ShopStore) -> Shop:
    return Shop(store)


def view_maker(name: str, store_name: str, tmp_path: Path) -> Iterator[ViewMaker]:
    maker = ViewMaker(name, store_name, tmp_path)
    with maker.cleanup:
        yield maker
