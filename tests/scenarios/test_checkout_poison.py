"""One bad event never stops the checkout saga: the order it is about is parked, every
other order ends, and an operator retries the order after a fix or skips the event.

The poison goes straight into the log through the recorder (a stock reservation whose
stored JSON does not decode, naming one order), after that order's payment went out and
before its late capture comes back, so the capture has to wait behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.query_app import create_query_app
from eventstore.dead_letters import PARKED, SAGA
from tests.ops.conftest import SECRET, bearer
from tests.projections.poison import BACKENDS, dead_letters_cli, insert, rewrite, state
from tests.scenarios.invariants import assert_payments_once
from tests.scenarios.shop import Shop

STOCK_RESERVED = "shop.inventory.stock_reserved"
GHOST = "inventory-GHOST"


@dataclass
class Parked:
    order: str
    position: int
    others: list[str]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def shop(backend: str, settings_for) -> Iterator[Shop]:
    settings = settings_for(backend, payment_timeout_s=30, max_attempts=3, jwt_secret=SECRET)
    the_shop = Shop(settings)
    for manager in the_shop.saga.managers:
        assert manager.parking is not None
        manager.parking.reload_every_s = 0  # see an operator's action at the next batch
    yield the_shop
    the_shop.close()


def undecodable_for(order_id: str) -> bytes:
    """Stored JSON cut short: the order it names can be read, the event cannot be decoded."""
    return b'{"order_id":"%s","sku":"GHOST","timestamp":' % order_id.encode()


def settle_past_failures(shop: Shop, tries: int = 10) -> None:
    """Run the saga dry as its worker would, retrying a batch that failed."""
    for _ in range(tries):
        try:
            shop.settle()
            return
        except Exception:
            continue
    raise AssertionError(f"the saga still fails after {tries} tries")


@pytest.fixture
def parked(shop: Shop) -> Parked:
    shop.stock("SKU-1", 100)
    before = [shop.place(("SKU-1", 1)) for _ in range(3)]
    order = shop.place(("SKU-1", 2), token="tok_timeout")
    shop.settle()  # its capture went out and got no answer
    position = insert(shop.store, GHOST, STOCK_RESERVED, undecodable_for(order))
    after = [shop.place(("SKU-1", 1)) for _ in range(3)]
    settle_past_failures(shop)
    assert shop.deliver_late_captures() == 1  # the capture's outcome, behind the poison
    shop.settle()
    return Parked(order, position, before + after)


def test_the_order_is_parked_and_every_other_order_ends(shop: Shop, parked: Parked) -> None:
    assert all(shop.order(o).status == "CONFIRMED" for o in parked.others)
    assert shop.order(parked.order).status == "PENDING"
    assert shop.payment(parked.order).status == "CAPTURED"  # the saga has not seen it
    assert_payments_once(shop, [*parked.others, parked.order])
    [letter] = shop.container.read_models.dead_letters.listed()
    assert (letter.consumer, letter.order_id, letter.position) == (
        SAGA,
        parked.order,
        parked.position,
    )
    assert (letter.stream, letter.topic, letter.attempts) == (GHOST, STOCK_RESERVED, 3)
    assert "MapperDeserialisationError" in letter.error


def test_the_cli_and_ops_list_it(shop: Shop, parked: Parked) -> None:
    listed = dead_letters_cli(shop.container.settings, "list")
    with TestClient(create_query_app(shop.container)) as queries:
        answer = queries.get("/ops/dead-letters", headers=bearer("admin", "ops")).json()

    assert listed.returncode == 0, listed.stderr
    assert GHOST in listed.stdout
    assert SAGA in listed.stdout
    assert answer["total"] == 1
    item = answer["items"][0]
    assert (item["consumer"], item["order_id"], item["position"]) == (
        SAGA,
        parked.order,
        parked.position,
    )


def test_retry_fails_before_the_fix_and_completes_the_order_after_it(
    shop: Shop, parked: Parked
) -> None:
    letters, settings = shop.container.read_models.dead_letters, shop.container.settings
    [letter] = letters.listed()

    handed = dead_letters_cli(settings, "retry", str(letter.id))
    shop.settle()

    assert handed.returncode == 0, handed.stdout + handed.stderr
    assert "handed back to the saga" in handed.stdout
    assert (letters.get(letter.id).status, letters.get(letter.id).attempts) == (PARKED, 4)
    assert shop.order(parked.order).status == "PENDING"

    rewrite(settings, shop.store, GHOST, state(order_id=parked.order, quantity=1))
    assert dead_letters_cli(settings, "retry", "--all").returncode == 0
    shop.settle()

    assert letters.get(letter.id) is None
    assert shop.order(parked.order).status == "CONFIRMED"
    assert shop.captures(parked.order)["captures"] == 1  # handled again, never captured again
    assert_payments_once(shop, [*parked.others, parked.order])


def test_skip_unparks_the_order_without_handling_the_event(shop: Shop, parked: Parked) -> None:
    letters = shop.container.read_models.dead_letters
    [letter] = letters.listed()

    skipped = dead_letters_cli(shop.container.settings, "skip", str(letter.id))
    shop.settle()
    shop.cancel(parked.order)  # a later event of the order: handled now
    shop.settle()

    assert skipped.returncode == 0, skipped.stderr
    assert letters.listed() == []
    assert all(m.parking and not m.parking.orders for m in shop.saga.managers)
    assert shop.order(parked.order).status in ("CONFIRMED", "CANCELLED")
    assert_payments_once(shop, [parked.order])
