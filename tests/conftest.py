"""Shared fixtures: settings per backend and a `store` run on every backend available."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backends import event_store_env
from config.settings import Settings
from eventstore.application import ShopStore
from tests.contract.counter import Counter
from tests.support.kurrentdb_shop import serve_shop_model
from tests.support.postgres import fresh_schema
from tests.support.services import require_esdb, require_postgres

EVENT_STORE_BACKENDS = [
    "memory",
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("esdb", marks=pytest.mark.esdb),
]


@pytest.fixture
def settings_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """`settings_for(backend, **overrides)` -> Settings isolated to this test.

    `kurrentdb-model` is a KurrentDB deployment served by the double (tests/support).
    """
    schemas: list = []

    def make(backend: str, **overrides: object) -> Settings:
        values: dict[str, object] = {"data_dir": tmp_path / "var", "event_store": backend}
        if backend == "postgres":
            dsn = require_postgres()
            schema_cm = fresh_schema(dsn)
            values |= {"postgres_dsn": dsn, "postgres_schema": schema_cm.__enter__()}
            schemas.append(schema_cm)
        if backend == "esdb":
            values["esdb_uri"] = require_esdb()
        if backend == "kurrentdb-model":
            values |= {"event_store": "esdb", "esdb_uri": serve_shop_model(monkeypatch)}
        return Settings(**(values | overrides))

    yield make
    for schema_cm in schemas:
        schema_cm.__exit__(None, None, None)


@pytest.fixture(params=EVENT_STORE_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(backend: str, settings_for) -> Iterator[ShopStore]:
    """A `ShopStore` on `backend`; counters (tests/contract/counter.py) snapshot every 10."""
    shop_store = ShopStore(event_store_env(settings_for(backend)), {Counter: 10})
    yield shop_store
    shop_store.close()
