"""Receipts and adjustments stored before they carried a request id still load."""

from __future__ import annotations

import json

from eventsourcing.persistence import StoredEvent

import domain.catalogue  # noqa: F401  registers the topics
from domain.inventory import InventoryItem
from eventstore.application import ShopStore

STAMP = {"_type_": "datetime_iso", "_data_": "2025-01-01T00:00:00+00:00"}


def v1(version: int, topic: str, **fields: object) -> StoredEvent:
    """An event as the first version of the code stored it: no request_id, no class_version."""
    state = json.dumps({"timestamp": STAMP, **fields}).encode()
    return StoredEvent("inventory-SKU-1", version, topic, state)


def test_v1_receipts_and_adjustments_load_with_no_request_id() -> None:
    store = ShopStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    started = {"originator_topic": "shop.inventory", "sku": "SKU-1"}
    store.recorder.insert_events(
        [
            v1(0, "shop.inventory.tracking_started", **started),
            v1(1, "shop.inventory.stock_received", quantity=5),
            v1(2, "shop.inventory.stock_adjusted", delta=-1, reason="broken"),
        ]
    )

    item = store.get("inventory-SKU-1")
    _, received, adjusted = store.events.get("inventory-SKU-1")

    assert (item.on_hand, item.version) == (4, 2)
    assert (received.request_id, adjusted.request_id) == (None, None)
    assert isinstance(received, InventoryItem.StockReceived)
    item.receive(1, "r1")  # and a keyed receipt follows on from them
    assert item.applied_version("r1", 1) == 3
    store.close()


def test_new_receipts_store_their_request_id() -> None:
    store = ShopStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    item = InventoryItem.start_tracking("SKU-1")
    item.receive(5, "r1")
    store.save(item)

    stored = store.recorder.select_events("inventory-SKU-1")[-1]

    assert json.loads(stored.state)["request_id"] == "r1"
    assert list(store.events.get("inventory-SKU-1"))[-1].request_id == "r1"
    store.close()
