"""Orders carry an optional contact; orders stored before it existed load with none."""

from __future__ import annotations

import json

import pytest
from eventsourcing.persistence import StoredEvent

import domain.catalogue  # noqa: F401  registers the topics
from domain.order import Order, PricedLine
from domain.shared.base import InvalidInput
from eventstore.application import ShopStore

STAMP = {"_type_": "datetime_iso", "_data_": "2025-01-01T00:00:00+00:00"}
ORDER = "00000000-0000-4000-8000-000000000001"
LINE = {"sku": "SKU-1", "name": "Hammer", "quantity": 1, "unit_price": 1000}


def test_a_v1_placed_event_loads_with_no_contact() -> None:
    store = ShopStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    state = {
        "timestamp": STAMP,
        "originator_topic": "shop.order",
        "order_id": ORDER,
        "customer_id": "cust-1",
        "lines": [LINE],
        "currency": "KRW",
        "subtotal": 1000,
        "discount": 0,
        "total": 1000,
        "coupon_code": None,
        "payment_token": "tok_ok",
        "shipping_address": None,
    }
    stream = f"order-{ORDER}"
    stored = StoredEvent(stream, 0, "shop.order.placed", json.dumps(state).encode())
    store.recorder.insert_events([stored])

    order = store.get(stream)

    assert (order.contact, order.total) == (None, 1000)
    store.close()


def test_a_new_order_stores_its_contact() -> None:
    store = ShopStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    line = PricedLine("SKU-1", "Hammer", 1, 1000, "KRW")
    contact = {"email": "kim@example.com"}
    store.save(Order.place(ORDER, "cust-1", [line], 0, None, "tok_ok", None, contact))

    [stored] = store.recorder.select_events(f"order-{ORDER}")

    assert b"kim@example.com" not in stored.state  # sealed under cust-1's key
    assert json.loads(stored.state)["contact"]["by"] == "cust-1"
    assert store.get(f"order-{ORDER}").contact == contact
    store.close()


@pytest.mark.parametrize("contact", [{"email": "nobody"}, {"phone": "1"}, {"email": "a b@c.d"}])
def test_a_malformed_contact_is_refused(contact: dict[str, str]) -> None:
    line = PricedLine("SKU-1", "Hammer", 1, 1000, "KRW")
    with pytest.raises(InvalidInput):
        Order.place(ORDER, "cust-1", [line], 0, None, "tok_ok", None, contact)
