# ruff: noqa: F811 - the shared fixtures are imported, then requested by name
"""Retrying a projection's dead letter on KurrentDB, where the log is append-only: the
parked event can never be corrected, so the fix is a release whose upcaster completes it.

In process (the desk behind `shop dead-letters`), since the double lives in the test's
process; the retry reads the event back from its byte-offset position. The other
backends retry from the CLI after a fix in place (test_dead_letter_actions.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.bootstrap import Container
from app.dead_letters import DeadLetterDesk
from domain.product import Product
from tests.projections.poison import (  # noqa: F401
    PRICED,
    catalog_price,
    caught_up,
    container,
    price_change_without_price,
    runner,
    wait_until,
)
from tests.projections.shopdata import Shop


def with_price(state: dict[str, Any]) -> None:
    """The fix: a price change stored without its price set the price it was known at."""
    state.setdefault("price", 4200)


@pytest.mark.parametrize("container", ["kurrentdb-model"], indirect=True)
def test_a_release_with_an_upcaster_is_the_fix(
    container: Container, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    Shop(container.store).catalog()
    poison = price_change_without_price(container.store, "GHOST-1")
    wait_until(lambda: len(container.read_models.dead_letters.listed()) == len(PRICED))
    wait_until(lambda: caught_up(container))
    desk = DeadLetterDesk(container.read_models, container.log, container.clock)

    before = desk.retry_all()

    assert sorted(r.letter.consumer for r in before) == sorted(PRICED)
    assert all(not r.ok and "AttributeError" in r.detail for r in before)
    assert {d.attempts for d in desk.listed()} == {4}
    assert {d.position for d in desk.listed()} == {poison}

    monkeypatch.setattr(Product.PriceChanged, "class_version", 2, raising=False)
    monkeypatch.setattr(Product.PriceChanged, "upcast_v1_v2", staticmethod(with_price), False)
    after = desk.retry_all()

    assert all(r.ok for r in after), [r.detail for r in after]
    assert desk.listed() == []
    assert container.read_models.view("hot_lookups").product("GHOST-1")["price"] == 4200
    assert catalog_price(container, "GHOST-1") == 4200
