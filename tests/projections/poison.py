"""Poison for the dead letter tests: malformed events written straight into the log, the
"fix" of rewriting one, and running `shop dead-letters` against a test's store.

On every backend, the KurrentDB double too: there the poison is appended by the recorder
through the client, as an older release writing to a real server would append it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent

from app.backends import state_engine
from app.bootstrap import Container, bootstrap
from app.migrate import prepare_store
from config.settings import Settings
from eventstore.application import ShopStore
from projections.runner import ProjectionRunner
from tests.ops.conftest import SECRET

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "kurrentdb-model"]
APPEND_ONLY = (
    "KurrentDB's log is append-only: no stored event can be corrected in place (the fix"
    " there is a release with an upcaster, test_dead_letters_on_kurrentdb.py, and no"
    " upcaster decodes bytes that are not JSON)"
)
OUT_OF_PROCESS = (
    "`shop dead-letters retry` of a projection reads the log in a process of its own, which"
    " cannot reach the in-process KurrentDB double (test_dead_letters_on_kurrentdb.py)"
)
PRICED = ("hot_lookups", "catalog_search")  # the projections that follow price changes


def wait_until(predicate: Callable[[], bool], timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture(params=BACKENDS)
def container(request, settings_for) -> Iterator[Container]:
    settings = settings_for(request.param, max_attempts=3, jwt_secret=SECRET)
    built = bootstrap(prepare_store(settings))  # `shop migrate`'s steps, dead letters too
    yield built
    built.close()


@pytest.fixture
def runner(container: Container) -> Iterator[ProjectionRunner]:
    running = container.read_models.runner()
    running.retry_wait_s = 0.01  # the drill's seconds: production waits 0.2 s, doubling
    running.start()
    yield running
    running.stop()


def caught_up(container: Container) -> bool:
    head = container.log.head()
    return all(container.read_models.position(name) >= head for name in container.read_models.names)


def catalog_price(container: Container, sku: str) -> int:
    _, rows = container.read_models.view("catalog_search").snapshot()
    row = rows[f"product:{sku}"]
    return int((json.loads(row) if isinstance(row, str) else row)["price"])


SHOP = str(Path(sys.executable).with_name("shop"))
PRICE_CHANGED = "shop.product.price_changed"
STAMP = {"_type_": "datetime_iso", "_data_": "2026-01-01T00:00:00+00:00"}


def state(**fields: object) -> bytes:
    return json.dumps({"timestamp": STAMP, "metadata": {}, **fields}).encode()


def insert(store: ShopStore, stream: str, topic: str, raw_state: bytes) -> int:
    """Append one stored event as is, past every check of the write side; its position."""
    store.recorder.insert_events([StoredEvent(stream, 0, topic, raw_state)])
    return store.head()


def price_change_without_price(store: ShopStore, sku: str) -> int:
    """A known topic whose payload lacks `price`: every projector of prices raises on it."""
    return insert(store, f"product-{sku}", PRICE_CHANGED, state(previous_price=100))


def undecodable(store: ShopStore, sku: str) -> int:
    """A known topic whose stored JSON does not decode at all."""
    return insert(store, f"product-{sku}", PRICE_CHANGED, b'{"timestamp": ')


def rewrite(settings: Settings, store: ShopStore, stream: str, raw_state: bytes) -> None:
    """Correct a stored event in place (version 0 of `stream`), as a data fix would."""
    if settings.event_store == "esdb":
        pytest.skip(APPEND_ONLY)
    table = store.recorder.events_table_name  # type: ignore[attr-defined]
    engine = state_engine(settings)
    with engine.begin() as conn:
        conn.execute(
            sa.text(f"UPDATE {table} SET state = :state WHERE originator_id = :stream"),
            {"state": raw_state, "stream": stream},
        )
    engine.dispose()


def shop_env(settings: Settings) -> dict[str, str]:
    env = {"SHOP_DATA_DIR": str(settings.data_dir), "SHOP_EVENT_STORE": settings.event_store}
    if settings.postgres_dsn:
        env["SHOP_POSTGRES_DSN"] = settings.postgres_dsn
        env["SHOP_POSTGRES_SCHEMA"] = str(settings.postgres_schema)
    if settings.esdb_uri:
        env["SHOP_ESDB_URI"] = settings.esdb_uri
    return env


def dead_letters_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """`shop dead-letters ARGS` in a process of its own, on the test's store."""
    env = os.environ | shop_env(settings) | {"COLUMNS": "250"}
    return subprocess.run(
        [SHOP, "dead-letters", *args], env=env, capture_output=True, text=True, timeout=60
    )
