# ruff: noqa: F811 - the shared fixtures are imported, then requested by name
"""The worker reads the log once for all its projections: each event is decoded once, and
each projection still keeps its own position, failures, parked events and lease."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from app.backends import state_engine
from app.bootstrap import Container
from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LEASES, LeaseTable
from eventstore.log import Logged
from projections.core import Docs, Projector
from projections.registry import NAMES
from projections.runner import ProjectionRunner, catch_up, step
from tests.projections.poison import caught_up, container, wait_until  # noqa: F401
from tests.projections.shopdata import Shop


def at_head(container: Container, *names: str) -> bool:
    head = container.log.head()
    return all(container.read_models.position(name) >= head for name in names)


@pytest.fixture
def running(container: Container) -> Iterator[ProjectionRunner]:
    runner = container.read_models.runner()
    runner.retry_wait_s = 0.01
    yield runner
    runner.stop()


def test_each_event_is_decoded_once_for_every_projection(
    container: Container, running: ProjectionRunner
) -> None:
    shop = Shop(container.store)
    shop.catalog()
    for number in range(12):
        shop.order(f"cust-{number}", {"SKU-MS1": 1, "SKU-KB1": 1})
    mapper, decoded = container.store.mapper, Counter[int]()
    decode = mapper.to_domain_event

    def counted(stored: Any) -> Any:
        decoded[stored.id] += 1
        return decode(stored)

    mapper.to_domain_event = counted  # type: ignore[method-assign]
    running.start()
    wait_until(lambda: caught_up(container))

    followed = container.log.stored_batch(0, 100_000, running.tail.topics)[0]
    assert len(running.views) == len(NAMES) > 1
    assert sorted(decoded) == [stored.id for stored in followed]
    assert set(decoded.values()) == {1}


def test_projections_at_different_positions_all_reach_the_head(
    container: Container, running: ProjectionRunner
) -> None:
    shop, log, views = Shop(container.store), container.log, container.read_models.views
    shop.catalog()
    step(log, views["catalog_search"], batch_size=2)  # part of the catalog
    shop.order("alice", {"SKU-MS1": 1})
    catch_up(log, views["order_views"])
    shop.order("bob", {"SKU-KB1": 2}, outcome="declined")
    catch_up(log, views["customers"])  # hot_lookups is left at the start of the log
    assert len({view.position() for view in views.values()}) == len(views)

    running.start()
    shop.order("carol", {"SKU-MS2": 1}, outcome="cancelled")
    wait_until(lambda: caught_up(container))

    for view in views.values():
        fresh = view.create_generation()
        catch_up(log, view, fresh)
        assert view.snapshot()[1] == view.snapshot(fresh)[1], view.name
        view.drop_generation(fresh)


class FailsAt:
    """A projector with a bug that raises on the event at `position`."""

    def __init__(self, projector: Projector, position: int) -> None:
        self.projector, self.position = projector, position

    def __getattr__(self, name: str) -> Any:
        return getattr(self.projector, name)

    def apply(self, logged: Logged, docs: Docs) -> None:
        if logged.position == self.position:
            raise ValueError("a projector bug")
        self.projector.apply(logged, docs)


def test_an_event_poison_to_one_projection_is_parked_for_it_alone(
    container: Container, running: ProjectionRunner
) -> None:
    shop, read_models = Shop(container.store), container.read_models
    shop.catalog()
    poison_order = shop.order("alice", {"SKU-MS1": 1}, outcome="pending")
    poison = container.log.head()  # the order placed
    lookups = read_models.view("hot_lookups")
    lookups.projector = FailsAt(lookups.projector, poison)  # type: ignore[misc]
    later = shop.order("bob", {"SKU-KB1": 1})

    running.start()
    others = [name for name in NAMES if name != "hot_lookups"]
    wait_until(lambda: at_head(container, *others))
    wait_until(lambda: caught_up(container))

    letters = read_models.dead_letters.listed()
    assert [(d.consumer, d.position) for d in letters] == [("hot_lookups", poison)]
    assert read_models.view("order_views").get_order(poison_order) is not None
    assert lookups.order_status(later)["status"] == "CONFIRMED"  # type: ignore[attr-defined]


def test_a_lease_taken_over_stops_that_projection_alone(
    container: Container, running: ProjectionRunner
) -> None:
    engine = state_engine(container.settings)
    table = LeaseTable(engine)
    table.create_tables()
    keeper = LeaseKeeper(table, "projections", list(NAMES), ttl_s=30, worker="here")
    running.leases = keeper
    shop, read_models = Shop(container.store), container.read_models
    shop.catalog()
    running.start()
    wait_until(lambda: caught_up(container))

    with engine.begin() as conn:  # another worker takes hot_lookups over
        conn.execute(
            LEASES.update()
            .where(LEASES.c.name == keeper.lease_name("hot_lookups"))
            .values(holder="elsewhere", epoch=LEASES.c.epoch + 1, expires_at=4e9)
        )
    keeper.tick()
    held_at = read_models.position("hot_lookups")
    order = shop.order("alice", {"SKU-MS1": 1})
    wait_until(lambda: at_head(container, *(n for n in NAMES if n != "hot_lookups")))
    time.sleep(0.2)

    assert keeper.lease("hot_lookups") is None
    assert read_models.position("hot_lookups") == held_at < container.log.head()
    assert read_models.view("hot_lookups").order_status(order) is None  # type: ignore[attr-defined]
    assert read_models.view("order_views").get_order(order) is not None  # type: ignore[attr-defined]
    running.stop()
    engine.dispose()
