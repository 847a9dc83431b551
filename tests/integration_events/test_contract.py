"""The mapping from internal to public events, and the public events' JSON Schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.bootstrap import bootstrap
from eventstore.application import project
from integration.contract import TYPES
from integration.mapping import to_integration
from tests.integration_events.public_facts import save_every_public_fact
from tests.integration_events.schemas import errors, schema_of


@pytest.fixture
def published(settings_for) -> Any:
    container = bootstrap(settings_for("memory"))
    store = container.store
    order_id = save_every_public_fact(store)

    def load(stream: str, version: int) -> Any:
        return store.repository.get(stream, version=version, projector_func=project)

    mapped = [to_integration(logged.event, load) for logged in container.log.read(0, 1000)]
    yield order_id, [event for event in mapped if event is not None]
    container.close()


def test_every_public_type_is_mapped_and_valid_against_its_schema(published):
    _, events = published
    assert {event.type for event in events} == set(TYPES)
    for event in events:
        assert errors(json.loads(event.body()), schema_of(event.type)) == [], event


def test_nothing_personal_or_internal_leaves_the_shop(published):
    _, events = published
    bodies = b" ".join(event.body() for event in events)
    for secret in (b"tok_secret", b"1 Main St", b"04524", b"ref-1", b"payment_token"):
        assert secret not in bodies


def test_order_events_are_keyed_by_order_and_stock_and_products_by_sku(published):
    order_id, events = published
    keys = {event.type: event.key for event in events}
    assert keys["order.confirmed.v1"] == keys["shipment.delivered.v1"] == order_id
    assert keys["refund.issued.v1"] == order_id
    assert keys["stock.changed.v1"] == keys["product.changed.v1"] == "SKU-1"


def test_stock_events_carry_the_levels_as_of_that_event(published):
    _, events = published
    stock = [e.data for e in events if e.type == "stock.changed.v1"]
    levels = [(data["on_hand"], data["reserved"]) for data in stock]
    assert levels == [(10, 0), (10, 2), (8, 0)]


def test_refunds_say_which_part_went_back(published):
    _, events = published
    refunds = [e.data for e in events if e.type == "refund.issued.v1"]
    assert [(r["refund_id"], r["amount"], r["full"]) for r in refunds] == [
        ("ret-1", 1000, False),
        (None, 2000, True),
    ]
    assert refunds[-1]["refunded_total"] == 3000


def test_ids_depend_only_on_the_internal_event(published):
    _, events = published
    assert len({event.id for event in events}) == len(events)


def test_every_schema_is_draft_2020_12_and_names_its_type():
    for kind in TYPES:
        schema = schema_of(kind)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["properties"]["type"] == {"const": kind}
