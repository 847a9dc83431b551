"""Personal data sealed under each customer's key, and forgotten with it, on SQLite and
PostgreSQL.

The stored bytes of an event never hold a personal field in clear; it loads open while the
key exists and as None once it is erased, in this process and, within the cache's check
interval, in every other; a sealed value moved to another customer's event does not open;
the erased key is in no file of the key store (SQLite) and in no row version (PostgreSQL).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.backends import keys_engine
from app.bootstrap import build_store
from config.settings import Settings
from domain.order import Order, PricedLine
from eventstore.application import ShopStore
from eventstore.keys import DATA_KEYS, DataKeys
from eventstore.sealing import Sealer

ORDER = "00000000-0000-4000-8000-0000000000a1"
ADDRESS = {"name": "Kim Minji", "line1": "12 Sejong-daero", "city": "Seoul", "country": "KR"}
CONTACT = {"email": "minji.kim@example.com"}


@pytest.fixture
def store(settings: Settings) -> Iterator[ShopStore]:
    store = build_store(settings)
    yield store
    store.close()


def place(store: ShopStore, customer: str = "cust-9") -> str:
    line = PricedLine("SKU-1", "Hammer", 1, 1000, "KRW")
    store.save(Order.place(ORDER, customer, [line], 0, None, "tok_ok", ADDRESS, CONTACT))
    return f"order-{ORDER}"


def test_personal_fields_are_sealed_in_the_stored_event(store: ShopStore) -> None:
    stream = place(store)

    [stored] = store.recorder.select_events(stream)

    for secret in (b"Kim Minji", b"Sejong", b"minji.kim"):
        assert secret not in stored.state
    state = json.loads(stored.state)
    assert state["class_version"] == 3
    assert state["shipping_address"]["by"] == state["contact"]["by"] == "cust-9"
    order = store.get(stream)
    assert (order.shipping_address, order.contact, order.total) == (ADDRESS, CONTACT, 1000)


def test_an_erased_customers_fields_load_as_none_and_money_stays(store: ShopStore) -> None:
    stream = place(store)

    store.keys.erase("cust-9")

    order = store.get(stream)
    assert (order.shipping_address, order.contact) == (None, None)
    assert (order.customer_id, order.total, order.currency) == ("cust-9", 1000, "KRW")
    assert store.keys.is_erased("cust-9")


def test_nothing_is_sealed_for_an_erased_customer_again(store: ShopStore) -> None:
    store.keys.erase("cust-9")

    stream = place(store)

    [stored] = store.recorder.select_events(stream)
    assert b"Kim Minji" not in stored.state
    assert json.loads(stored.state)["shipping_address"] is None


def test_an_erasure_reaches_another_process_within_its_check_interval(
    settings: Settings, store: ShopStore
) -> None:
    stream = place(store)
    other = build_store(settings)  # another process: its own cache, its own engine
    other.keys.check_every_s = 0.2
    try:
        assert other.get(stream).contact == CONTACT  # its cache now holds the key

        store.keys.erase("cust-9")
        time.sleep(0.3)

        assert other.get(stream).contact is None
    finally:
        other.close()


def test_a_sealed_value_does_not_open_for_another_customer_or_field(store: ShopStore) -> None:
    sealer = Sealer(store.keys)
    envelope = sealer.seal("cust-9", "contact", CONTACT)
    assert envelope is not None

    with pytest.raises(ValueError, match="does not open"):
        sealer.open("shipping_address", envelope)
    store.keys.for_sealing("cust-10")
    with pytest.raises(ValueError, match="does not open"):
        sealer.open("contact", {**envelope, "by": "cust-10"})


def test_concurrent_first_uses_agree_on_one_key(settings: Settings) -> None:
    engines = [keys_engine(settings) for _ in range(2)]
    try:
        first, second = (DataKeys(engine) for engine in engines)
        assert first.for_sealing("cust-race") == second.for_sealing("cust-race")
    finally:
        for engine in engines:
            engine.dispose()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_an_erased_key_is_in_no_file_of_the_key_store(settings: Settings, store: ShopStore) -> None:
    place(store)
    key = store.keys.for_opening("cust-9")
    assert key is not None

    store.keys.erase("cust-9")
    store.keys.engine.dispose()

    files = [path for path in Path(settings.data_dir).rglob("keys.sqlite3*") if path.is_file()]
    assert files, "the key store's file"
    for path in files:
        assert key not in path.read_bytes(), path


@pytest.mark.postgres
@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_an_erased_key_leaves_no_row_version_on_postgres(
    settings: Settings, store: ShopStore
) -> None:
    place(store)
    key = store.keys.for_opening("cust-9")
    assert key is not None

    store.keys.erase("cust-9")

    with store.keys.engine.connect() as conn:
        rows = conn.execute(sa.select(DATA_KEYS.c.data_key)).scalars().all()
        # Dead row versions are still readable by page inspection until vacuumed; VACUUM
        # FULL rewrote the table, so its file holds live rows only.
        path = conn.execute(sa.text("SELECT pg_relation_filepath('data_keys')")).scalar()
        data_dir = conn.execute(sa.text("SHOW data_directory")).scalar()
    assert key not in rows
    table_file = Path(str(data_dir)) / str(path)
    if table_file.exists():  # the server runs on this machine: read its file
        assert key not in table_file.read_bytes()
