# ruff: noqa: F811 - the shared fixtures are imported, then requested by name
"""One bad event never stops a projection: it is parked as a dead letter, everything after
it reaches the views, and an operator retries it after a fix or skips it for good.

The poison goes straight into the log through the recorder, as a bug of an older release
or a hand-made fix would have left it; orders and price changes flow around it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.query_app import create_query_app
from app.bootstrap import Container
from projections.runner import ProjectionRunner
from tests.ops.conftest import bearer
from tests.ops.scrape import scrape, value
from tests.projections.poison import (  # noqa: F401
    PRICE_CHANGED,
    PRICED,
    catalog_price,
    caught_up,
    container,
    price_change_without_price,
    runner,
    undecodable,
    wait_until,
)
from tests.projections.shopdata import Shop


def test_a_poison_event_is_parked_and_everything_after_it_reaches_the_views(
    container: Container, runner: ProjectionRunner
) -> None:
    shop, lookups = Shop(container.store), container.read_models.view("hot_lookups")
    shop.catalog()
    before = shop.order("alice", {"SKU-MS1": 1})
    poison = price_change_without_price(container.store, "GHOST-1")
    shop.change("SKU-KB1", "change_price", 9900)
    after = shop.order("bob", {"SKU-MS2": 2})

    wait_until(lambda: caught_up(container))

    assert lookups.product("SKU-KB1")["price"] == 9900
    assert catalog_price(container, "SKU-KB1") == 9900
    assert lookups.order_status(after)["status"] == "CONFIRMED"
    assert container.read_models.view("order_views").get_order(before)["status"] == "CONFIRMED"
    letters = container.read_models.dead_letters.listed()
    assert sorted((d.consumer, d.position, d.stream, d.version, d.topic) for d in letters) == [
        (name, poison, "product-GHOST-1", 0, PRICE_CHANGED) for name in sorted(PRICED)
    ]
    assert all(d.attempts == 3 and "AttributeError" in d.error for d in letters)
    assert all(d.first_failed_at <= d.last_failed_at for d in letters)
    # Parked events are behind the position: readiness counts no lag for them.
    assert all(container.read_models.lag(name)[0] == 0 for name in PRICED)


def test_an_undecodable_event_is_parked_too(container: Container, runner: ProjectionRunner):
    shop = Shop(container.store)
    shop.catalog()
    poison = undecodable(container.store, "GHOST-2")
    shop.change("SKU-MS1", "change_price", 3100)

    wait_until(lambda: caught_up(container))

    assert container.read_models.view("hot_lookups").product("SKU-MS1")["price"] == 3100
    views = container.read_models.views
    topics = {name: view.projector.topics for name, view in views.items()}
    following = {name for name, its in topics.items() if not its or PRICE_CHANGED in its}
    letters = container.read_models.dead_letters.listed()
    assert {(d.consumer, d.position) for d in letters} == {(n, poison) for n in following}
    assert all("MapperDeserialisationError" in d.error for d in letters)


def test_ops_lists_them_and_the_metric_counts_them(container, runner) -> None:
    Shop(container.store).catalog()
    poison = price_change_without_price(container.store, "GHOST-3")
    wait_until(lambda: len(container.read_models.dead_letters.listed()) == 2)

    with TestClient(create_query_app(container)) as queries:
        listed = queries.get("/ops/dead-letters", headers=bearer("admin", "ops")).json()
        refused = queries.get("/ops/dead-letters", headers=bearer("customer", "alice"))
        text = scrape(queries)
        ready = queries.get("/ready")

    assert listed["total"] == 2
    item = listed["items"][0]
    assert (item["position"], item["stream"]) == (poison, "product-GHOST-3")
    assert item["topic"] == PRICE_CHANGED
    assert {"id", "consumer", "error", "attempts", "first_failed_at", "last_failed_at"} <= set(item)
    assert refused.status_code == 403
    assert value(text, "shop_dead_letters", projection="hot_lookups") == 1
    assert value(text, "shop_dead_letters", projection="order_views") == 0
    assert ready.status_code == 200, ready.text
