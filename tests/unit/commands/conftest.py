"""Handler tests run against a real `ShopStore` on the in-memory (POPO) backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from commands.bus import CommandBus, build_command_bus
from commands.ports import Clock
from eventstore.application import ShopStore
from tests.unit.commands.setup import NOW


@pytest.fixture
def store() -> Iterator[ShopStore]:
    shop_store = ShopStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield shop_store
    shop_store.close()


@pytest.fixture
def clock() -> Clock:
    return lambda: NOW


@pytest.fixture
def bus(store: ShopStore, clock: Clock) -> CommandBus:
    return build_command_bus(store, clock)
