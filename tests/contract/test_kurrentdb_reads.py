"""Reading the log on KurrentDB, where positions are byte offsets in a shared database.

Each test fails on the code before the fix it names, against the KurrentDB double.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from api.ops.events import recent_events
from domain.inventory import InventoryItem
from eventstore.application import ShopStore
from eventstore.log import EventLog
from eventstore.topics import shop_topics, topics_of
from projections.readmodels import ReadModels
from tests.contract.counter import Counter
from tests.support.kurrentdb_model import KurrentDBModel
from tests.support.kurrentdb_wiring import store_on, write_foreign_events

INCREMENTED = Counter.Incremented.TOPIC


@pytest.fixture
def model() -> KurrentDBModel:
    return KurrentDBModel()


@pytest.fixture
def store(model: KurrentDBModel, tmp_path: Path) -> Iterator[ShopStore]:
    shop_store = store_on(model, tmp_path)
    yield shop_store
    shop_store.close()


def counters_log(store: ShopStore) -> EventLog:
    return EventLog(store, known_topics=topics_of([Counter]))


def save_counter(store: ShopStore, increments: int = 0) -> Counter:
    counter = Counter(uuid4().hex)
    for _ in range(increments):
        counter.increment()
    store.save(counter)
    return counter


def test_the_ops_panel_shows_the_newest_events_without_position_arithmetic(store):
    counters = [save_counter(store) for _ in range(4)]

    newest = recent_events(counters_log(store), limit=3)

    assert [event["stream"] for event in newest] == [c.id for c in reversed(counters[1:])]
    assert newest[0]["position"] == store.head()


def test_a_filtered_read_never_returns_an_event_past_stop(store):
    start = store.head()
    first = save_counter(store, increments=1)
    stop = store.save(Counter(uuid4().hex))  # a Started event, not Incremented
    save_counter(store, increments=1)  # its Incremented lies past stop

    logged = counters_log(store).read(start, 10, topics=[INCREMENTED], stop=stop)

    assert [e.event.originator_id for e in logged] == [first.id]


def test_a_follower_applies_an_event_committed_after_its_head_once(store):
    log = counters_log(store)
    start = store.head()
    save_counter(store, increments=1)
    head_when_read = store.save(Counter(uuid4().hex))
    late = save_counter(store, increments=1)  # commits between head() and the read
    log.head = lambda: head_when_read  # type: ignore[method-assign]

    first = log.read_batch(start, 100, topics=[INCREMENTED])
    del log.head
    second = log.read_batch(first.upto, 100, topics=[INCREMENTED])

    positions = [e.position for batch in (first, second) for e in batch.events]
    assert len(positions) == len(set(positions)) == 2
    assert [e.event.originator_id for e in second.events] == [late.id]


def test_a_follower_of_all_events_skips_types_the_shop_does_not_know(model, store):
    start = store.head()
    write_foreign_events(model, "OtherApp.OrderShipped", "$metadata", "PersistentConfig1")
    item = InventoryItem.start_tracking("LAMP-1")
    store.save(item)

    batch = EventLog(store).read_batch(start, 100)

    assert [e.event.originator_id for e in batch.events] == [item.id]
    assert batch.upto == store.head()


def test_a_foreign_type_that_contains_a_followed_topic_is_not_decoded(model, store):
    topics = [Counter.Started.TOPIC, INCREMENTED, "test.counter.reset"]
    start = store.head()
    # The recorder's include regex is ^a|b|c$: the middle alternative matches anywhere.
    write_foreign_events(model, f"legacy.{INCREMENTED}.v0")
    counter = save_counter(store, increments=1)

    batch = counters_log(store).read_batch(start, 100, topics=topics)

    assert [e.event.originator_version for e in batch.events] == [0, 1]
    assert {e.event.originator_id for e in batch.events} == {counter.id}


def test_the_shop_topics_are_the_explicit_topics_of_its_aggregates():
    topics = shop_topics()

    assert {
        "shop.order.placed",
        "shop.inventory.stock_reserved",
        "shop.checkout.completed",
    } <= topics
    assert not [topic for topic in topics if ":" in topic or not topic.startswith("shop.")]


class AtPosition:
    """A view whose only behaviour is its stored position."""

    def __init__(self, position: int) -> None:
        self.stored = position

    def position(self, generation: int | None = None) -> int:
        return self.stored

    def close(self) -> None:
        pass


def test_lag_counts_events_behind_not_bytes(store):
    applied = store.save(InventoryItem.start_tracking("LAMP-1"))
    store.save(InventoryItem.start_tracking("LAMP-2"))
    read_models = ReadModels(EventLog(store), {"stock": lambda: AtPosition(applied)})

    events, seconds = read_models.lag("stock")

    assert events == 1
    assert 0.0 <= seconds < 60


def test_counting_skips_foreign_events_and_stops_at_the_cap(model, store):
    start = store.head()
    for sku in ("A-1", "A-2", "A-3"):
        store.save(InventoryItem.start_tracking(sku))
        write_foreign_events(model, "OtherApp.Tick")
    log = EventLog(store)

    assert log.count(start, log.head()) == 3
    assert log.count(start, log.head(), cap=2) == 2
