"""Writing to KurrentDB: snapshots within its append limit, deadlines, connection URIs.

Each test fails on the code before the fix it names, against the KurrentDB double.
"""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from kurrentdbclient.exceptions import DeadlineExceededError

import eventstore.application
import eventstore.kurrentdb
from app.backends import event_store_env
from config.settings import ConfigurationError, Settings
from domain.inventory import InventoryItem
from eventstore.kurrentdb import deadline_from_uri
from eventstore.log import EventLog
from tests.support.kurrentdb_model import KurrentDBModel
from tests.support.kurrentdb_wiring import store_on


def sell(store, item: InventoryItem, orders: int) -> None:
    """Reserve and commit `orders` orders of one unit, one save each (as the saga does)."""
    for _ in range(orders):
        order_id = str(uuid4())
        item.reserve(order_id, 1)
        store.save(item)
        item.commit(order_id)
        store.save(item)


def stocked(store) -> InventoryItem:
    item = InventoryItem.start_tracking(f"SKU-{uuid4().hex[:8]}")
    item.receive(1000)
    store.save(item)
    return item


def test_a_snapshot_too_big_to_append_does_not_fail_the_save(tmp_path: Path, caplog):
    model = KurrentDBModel(max_append_size=2048)  # reached after a few dozen orders
    store = store_on(model, tmp_path, {InventoryItem: 10})
    item = stocked(store)

    sell(store, item, orders=40)

    assert "not stored" in caplog.text  # the server refused a snapshot on the way
    loaded = store.get(item.id)
    assert (loaded.version, loaded.on_hand, len(loaded.committed)) == (81, 960, 40)
    store.close()


def test_a_snapshot_is_taken_from_the_aggregate_in_hand(tmp_path: Path):
    model = KurrentDBModel()
    store = store_on(model, tmp_path, {InventoryItem: 10})
    item = stocked(store)
    sell(store, item, orders=4)  # versions 2..9
    model.stream_reads.clear()

    item.reserve(str(uuid4()), 1)  # version 10: a snapshot
    store.save(item)

    [snapshot] = store.snapshots.get(item.id, desc=True, limit=1)
    assert snapshot.originator_version == 10
    assert item.id not in model.stream_reads  # the stream was not read again for it
    store.close()


def test_a_snapshot_over_the_size_bound_is_skipped(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(eventstore.application, "SNAPSHOT_MAX_BYTES", 200)
    store = store_on(KurrentDBModel(), tmp_path, {InventoryItem: 10})
    item = stocked(store)

    sell(store, item, orders=5)

    assert list(store.snapshots.get(item.id)) == []
    assert store.get(item.id).on_hand == 995
    store.close()


def test_every_call_to_the_server_carries_a_deadline(tmp_path: Path):
    model = KurrentDBModel()
    store = store_on(model, tmp_path, {InventoryItem: 2})
    item = stocked(store)
    sell(store, item, orders=1)
    model.calls.clear()

    store.get(item.id)
    log = EventLog(store)
    log.read_batch(0, 10)
    log.recent(5)
    log.count(0, log.head())

    assert model.calls
    assert [call for call in model.calls if call[1] is None] == []
    store.close()


def test_a_hung_server_fails_the_call_at_its_deadline(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(eventstore.kurrentdb, "DEFAULT_DEADLINE_S", 0.05)
    model = KurrentDBModel()
    store = store_on(model, tmp_path)
    model.hang()

    with pytest.raises(DeadlineExceededError):
        store.head()
    store.close()


def test_the_deadline_comes_from_the_uri_or_defaults():
    assert deadline_from_uri("kurrentdb://db:2113?tls=false&defaultDeadline=7") == 7.0
    assert deadline_from_uri("esdb://db:2113?Tls=false") == eventstore.kurrentdb.DEFAULT_DEADLINE_S


@pytest.mark.parametrize(
    "uri",
    [
        "esdb://db:2113?Tls=false",
        "esdb+discover://cluster.example.com",
        "kurrentdb://db:2113?tls=false",
        "kurrentdb+discover://cluster.example.com",
        "kdb://db:2113?tls=false",
        "kdb+discover://cluster.example.com",
    ],
)
def test_every_scheme_kurrentdbclient_accepts_is_accepted(uri: str, tmp_path: Path):
    env = event_store_env(Settings(data_dir=tmp_path, event_store="esdb", esdb_uri=uri))

    assert env["KURRENTDB_URI"] == uri
    assert env["PERSISTENCE_MODULE"] == "eventstore.kurrentdb:ShopKurrentDBFactory"


@pytest.mark.parametrize("uri", ["http://db:2113", "db:2113", "kurrent://db:2113"])
def test_other_uris_are_refused_naming_the_setting(uri: str, tmp_path: Path):
    settings = Settings(data_dir=tmp_path, event_store="esdb", esdb_uri=uri)

    with pytest.raises(ConfigurationError, match="SHOP_ESDB_URI"):
        event_store_env(settings)
