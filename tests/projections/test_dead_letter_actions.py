# ruff: noqa: F811 - the shared fixtures are imported, then requested by name
"""`shop dead-letters list | retry | skip` on a store with parked events: a retry before the
fix fails and counts, a retry after it applies the event to the live view once, a skip
drops it for good."""

from __future__ import annotations

import pytest

from app.bootstrap import Container
from eventstore.dead_letters import SKIPPED
from projections.poison import decoded
from tests.projections.poison import (  # noqa: F401
    OUT_OF_PROCESS,
    catalog_price,
    caught_up,
    container,
    dead_letters_cli,
    price_change_without_price,
    rewrite,
    runner,
    state,
    undecodable,
    wait_until,
)
from tests.projections.shopdata import Shop


@pytest.fixture
def parked(container: Container, runner) -> dict[str, int]:
    """Ids of the hot_lookups and catalog_search dead letters of one price change."""
    Shop(container.store).catalog()
    price_change_without_price(container.store, "GHOST-1")
    wait_until(lambda: len(container.read_models.dead_letters.listed()) == 2)
    wait_until(lambda: caught_up(container))
    return {d.consumer: d.id for d in container.read_models.dead_letters.listed()}


def test_retry_fails_before_the_fix_and_applies_the_event_after_it(container, parked):
    letters, settings = container.read_models.dead_letters, container.settings
    if settings.event_store == "esdb":
        pytest.skip(OUT_OF_PROCESS)
    hot = parked["hot_lookups"]

    listed = dead_letters_cli(settings, "list")
    failed = dead_letters_cli(settings, "retry", str(hot))

    assert listed.returncode == 0, listed.stderr
    assert "product-GHOST-1" in listed.stdout
    assert "AttributeError" in listed.stdout
    assert failed.returncode == 1
    assert "failed again" in failed.stdout
    assert letters.get(hot).attempts == 4  # kept, one more attempt

    rewrite(settings, container.store, "product-GHOST-1", state(price=4200, previous_price=100))
    fixed = dead_letters_cli(settings, "retry", "--all")

    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert letters.listed() == []
    assert container.read_models.view("hot_lookups").product("GHOST-1")["price"] == 4200
    assert catalog_price(container, "GHOST-1") == 4200
    assert dead_letters_cli(settings, "retry", str(hot)).returncode == 2  # nothing parked


def test_applying_a_parked_event_twice_changes_the_view_once(container, parked):
    view = container.read_models.view("hot_lookups")
    letter = container.read_models.dead_letters.get(parked["hot_lookups"])
    rewrite(container.settings, container.store, "product-GHOST-1", state(price=4200))
    event = decoded(container.log, container.log.stored_at(letter.position))

    assert view.apply_parked(event) is True
    assert view.apply_parked(event) is False  # a retry repeated after a lost answer
    assert view.product("GHOST-1")["price"] == 4200


def test_skip_drops_it_for_good(container, runner) -> None:
    Shop(container.store).catalog()
    poison = undecodable(container.store, "GHOST-2")
    letters = container.read_models.dead_letters
    wait_until(lambda: len(letters.listed()) == 3 and caught_up(container))
    skipped = next(d for d in letters.listed() if d.consumer == "hot_lookups")

    done = dead_letters_cli(container.settings, "skip", str(skipped.id))

    assert done.returncode == 0, done.stderr
    assert skipped.id not in {d.id for d in letters.listed()}
    assert letters.get(skipped.id).status == SKIPPED
    assert letters.get(skipped.id).position == poison
    assert dead_letters_cli(container.settings, "skip", str(skipped.id)).returncode == 2
    assert container.read_models.dead_letters.counts().get("hot_lookups", 0) == 0
