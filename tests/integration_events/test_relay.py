"""The relay on every SQL backend: the outbox holds each public fact once, in log order,
with the same ids when the relay forgets its checkpoint and replays the log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.run.integration import build_relay
from integration.outbox import RELAY
from tests.scenarios.shop import Shop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, settings_for) -> Iterator[Shop]:
    shop = Shop(settings_for(request.param))
    yield shop
    shop.close()


@pytest.fixture
def relay(shop: Shop) -> Iterator[Any]:
    runner = build_relay(shop.container, batch_size=7)  # small: many batches, many commits
    yield runner
    runner.close()


def orders(shop: Shop, count: int) -> list[str]:
    shop.stock("SKU-1", 100)
    placed = [shop.place(("SKU-1", 1)) for _ in range(count)]
    shop.settle()
    return placed


def outbox_of(relay: Any) -> list[Any]:
    return [row.event for row in relay.managers[0].outbox.after(0, 10_000)]


def test_each_public_fact_is_in_the_outbox_once_in_log_order(shop, relay):
    placed = orders(shop, 5)
    relay.run_until_idle()

    events = outbox_of(relay)
    per_order = {o: [e.type for e in events if e.key == o] for o in placed}
    assert all(kinds == ["order.placed.v1", "order.confirmed.v1"] for kinds in per_order.values())
    stock = [e.data["available"] for e in events if e.type == "stock.changed.v1"]
    assert (stock[0], stock[-1]) == (100, 95)
    positions = [row.position for row in relay.managers[0].outbox.after(0, 10_000)]
    assert positions == sorted(positions)
    assert len({e.id for e in events}) == len(events)


def test_a_replay_from_a_forgotten_checkpoint_adds_nothing_and_keeps_the_ids(shop, relay):
    orders(shop, 3)
    relay.run_until_idle()
    before = outbox_of(relay)
    outbox = relay.managers[0].outbox
    outbox.forget(RELAY)
    relay.managers[0].forget()

    assert relay.run_until_idle() > 0  # it read the whole log again
    assert outbox_of(relay) == before


def test_events_after_a_restart_follow_on(shop, relay):
    orders(shop, 2)
    relay.run_until_idle()
    relay.managers[0].forget()
    later = orders(shop, 1)[0]
    relay.run_until_idle()

    events = outbox_of(relay)
    assert [e.type for e in events if e.key == later] == ["order.placed.v1", "order.confirmed.v1"]
    assert len({e.id for e in events}) == len(events)


def test_an_event_that_fails_every_time_is_parked_and_the_rest_go_on(shop, relay, monkeypatch):
    from domain.order import Order
    from integration import mapping

    placed = orders(shop, 2)

    def broken(event: Any, load: Any) -> Any:
        raise ValueError("cannot map")

    monkeypatch.setitem(mapping.SHAPES, Order.Confirmed, broken)
    failures = 0
    while True:  # as the runner does: retry the batch after a failure
        try:
            if relay.managers[0].run_batch() == 0:
                break
        except ValueError:
            failures += 1

    kinds = [e.type for e in outbox_of(relay) if e.key in placed]
    assert kinds.count("order.placed.v1") == 2
    assert "order.confirmed.v1" not in kinds
    assert failures == 2 * (shop.container.settings.max_attempts - 1)  # the last one parks
    letters = relay.managers[0].parking.letters.of_consumer("integration")
    assert [letter.status for letter in letters] == ["parked", "parked"]
