"""A poison event for the checkout saga on KurrentDB, where the log is append-only: the
stored event can never be corrected, so the fix is a release whose upcaster completes it.

The poison decodes but fails to be handled: an `Order.Placed` as an older release stored
it, its lines counting `qty` where the saga reads `quantity`. The order is parked, every
other order ends, and once the upcaster is registered the operator's retry (the CLI, in
a process of its own: handing an order back needs no log) completes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from domain.order import Order
from domain.shared import ids
from eventstore.dead_letters import PARKED, SAGA
from tests.projections.poison import dead_letters_cli, insert, state
from tests.scenarios.invariants import assert_payments_once
from tests.scenarios.shop import Shop
from tests.scenarios.test_checkout_poison import settle_past_failures

PLACED = "shop.order.placed"


@pytest.fixture
def shop(settings_for) -> Iterator[Shop]:
    the_shop = Shop(settings_for("kurrentdb-model", payment_timeout_s=30, max_attempts=3))
    for manager in the_shop.saga.managers:
        assert manager.parking is not None
        manager.parking.reload_every_s = 0  # see an operator's action at the next batch
    yield the_shop
    the_shop.close()


def placed_with_qty(shop: Shop, order_id: str) -> int:
    """Append an order placed by an older release, whose lines said `qty`; its position."""
    line = {"sku": "SKU-1", "name": "SKU-1", "qty": 2, "unit_price": 1000}
    raw = state(
        originator_topic=Order.TOPIC,
        order_id=order_id,
        customer_id="cust-1",
        lines=[line],
        currency="KRW",
        subtotal=2000,
        discount=0,
        total=2000,
        coupon_code=None,
        payment_token="tok_ok",
        shipping_address=None,
    )
    return insert(shop.store, ids.order_stream(order_id), PLACED, raw)


def qty_is_quantity(event_state: dict[str, Any]) -> None:
    """The fix: a line stored with `qty` counts that as its quantity."""
    for line in event_state["lines"]:
        if "qty" in line:
            line["quantity"] = line.pop("qty")


def test_an_upcaster_and_a_retry_complete_the_parked_order(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop.stock("SKU-1", 100)
    before = shop.place(("SKU-1", 1))
    shop.settle()
    order = str(uuid4())
    position = placed_with_qty(shop, order)
    after = shop.place(("SKU-1", 1))
    settle_past_failures(shop)

    letters = shop.container.read_models.dead_letters
    [letter] = letters.listed()
    assert (letter.consumer, letter.order_id, letter.position) == (SAGA, order, position)
    assert (letter.stream, letter.topic, letter.status) == (ids.order_stream(order), PLACED, PARKED)
    assert "KeyError: 'quantity'" in letter.error, letter.error  # the saga's, not the decoder's
    assert [shop.order(o).status for o in (before, after)] == ["CONFIRMED", "CONFIRMED"]
    assert shop.order(order).status == "PENDING"  # the stored event decodes as it is
    assert shop.captures(order)["requests"] == 0  # parked before any step was taken

    settings = shop.container.settings
    retried = dead_letters_cli(settings, "retry", str(letter.id))
    shop.settle()

    assert retried.returncode == 0, retried.stdout + retried.stderr
    [again] = letters.listed()
    assert (again.id, again.status, again.attempts) == (letter.id, PARKED, 4)
    assert shop.order(order).status == "PENDING"  # a retry alone cannot change the log

    # The release with the upcaster; monkeypatch takes it away again when the test ends.
    monkeypatch.setattr(Order.Placed, "class_version", 2, raising=False)
    monkeypatch.setattr(Order.Placed, "upcast_v1_v2", staticmethod(qty_is_quantity), False)
    handed = dead_letters_cli(settings, "retry", str(letter.id))
    shop.settle()

    assert handed.returncode == 0, handed.stdout + handed.stderr
    assert "handed back to the saga" in handed.stdout
    assert letters.listed() == []
    assert shop.order(order).status == "CONFIRMED"
    assert shop.checkout(order).outcome == "CONFIRMED"
    assert shop.captures(order)["captures"] == 1
    assert_payments_once(shop, [before, after, order])
