"""The event store contract: one test body, run on every backend this machine can reach.

Also on `kurrentdb-model`, the KurrentDB double (tests/support/kurrentdb_model.py), on
every run. Every test writes its own streams, reads from a position taken before its
writes and looks only at its own events: a real server is shared and never empty.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from app.backends import event_store_env
from domain.shared.base import ConcurrencyConflict, NotFound
from domain.shared.context import message_context
from eventstore.application import ShopStore
from eventstore.log import EventLog
from eventstore.topics import topics_of
from tests.contract.counter import Counter
from tests.support.kurrentdb_model import KurrentDBModel
from tests.support.kurrentdb_wiring import store_on, write_foreign_events

INCREMENTED = Counter.Incremented.TOPIC
COUNTER_TOPICS = topics_of([Counter])


@pytest.fixture(
    params=[
        "memory",
        "sqlite",
        "kurrentdb-model",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("esdb", marks=pytest.mark.esdb),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(backend: str, settings_for, tmp_path: Path) -> Iterator[ShopStore]:
    """A `ShopStore` on `backend`; counters snapshot every 10 events.

    The model starts as a shared server does: system events and another application's.
    """
    if backend == "kurrentdb-model":
        model = KurrentDBModel()
        write_foreign_events(model, "OtherApp.OrderShipped", "$metadata")
        shop_store = store_on(model, tmp_path / "var", {Counter: 10})
    else:
        shop_store = ShopStore(event_store_env(settings_for(backend)), {Counter: 10})
    yield shop_store
    shop_store.close()


def counters_log(store: ShopStore, **kwargs: float) -> EventLog:
    """The log as a follower of the counters' topics sees it."""
    return EventLog(store, known_topics=COUNTER_TOPICS, **kwargs)


def own(logged: list, *counters: Counter) -> list:
    ids = {counter.id for counter in counters}
    return [e for e in logged if e.event.originator_id in ids]


def new_counter(store: ShopStore, increments: int = 0) -> Counter:
    counter = Counter(uuid4().hex)
    for _ in range(increments):
        counter.increment()
    store.save(counter)
    return counter


def test_a_saved_aggregate_loads_with_the_same_state_and_version(store):
    counter = new_counter(store, increments=3)

    loaded = store.get(counter.id)

    assert (loaded.id, loaded.version, loaded.total) == (counter.id, 3, 3)


def test_an_unknown_stream_is_not_found(store):
    nobody = f"counter-nobody-{uuid4().hex}"
    with pytest.raises(NotFound):
        store.get(nobody)
    assert store.find(nobody) is None


def test_stream_ids_keep_their_category_prefix(store):
    start = store.head()
    counter = new_counter(store)

    [logged] = own(counters_log(store).read(start, 100), counter)

    assert logged.event.originator_id.startswith("counter-")
    assert logged.event.originator_version == 0


def test_a_stale_writer_is_refused_and_records_nothing(store):
    counter = new_counter(store)
    first, second = store.get(counter.id), store.get(counter.id)
    first.increment(1)
    store.save(first)
    second.increment(100)

    with pytest.raises(ConcurrencyConflict):
        store.save(second)

    assert store.get(counter.id).total == 1


def test_positions_increase_in_the_order_of_saves(store):
    start = store.head()
    counters = [new_counter(store) for _ in range(5)]

    logged = own(counters_log(store).read(start, 100), *counters)

    assert [e.event.originator_id for e in logged] == [c.id for c in counters]
    positions = [e.position for e in logged]
    assert positions == sorted(set(positions))


def test_save_returns_the_position_of_its_last_event(store):
    start = store.head()
    counter = Counter(uuid4().hex)
    counter.increment()

    position = store.save(counter)

    logged = own(counters_log(store).read(start, 100), counter)
    assert [e.event.originator_version for e in logged] == [0, 1]
    assert logged[-1].position == position
    assert start < position <= store.head()


def test_a_follower_resumes_after_a_position_and_filters_by_topic(store):
    before = new_counter(store, increments=1)
    resume_at = store.head()
    after = new_counter(store, increments=2)

    last = store.head()

    batch = counters_log(store).read_batch(resume_at, 100, topics=[INCREMENTED])

    assert all(resume_at < e.position <= batch.upto for e in batch.events)
    assert all(type(e.event) is Counter.Incremented for e in batch.events)
    assert [e.event.originator_version for e in own(batch.events, after)] == [1, 2]
    assert own(batch.events, before) == []
    assert batch.upto >= last


def test_follow_yields_new_events_as_they_are_saved(store):
    log, stop = counters_log(store, poll_interval_s=0.005), threading.Event()
    start = store.head()
    names = [uuid4().hex for _ in range(3)]
    ids = [Counter.create_id(name) for name in names]
    seen: list[str] = []

    def follower() -> None:
        for batch in log.follow(start, stop=stop):
            seen.extend(e.event.originator_id for e in batch.events)
            if set(ids) <= set(seen):
                stop.set()

    thread = threading.Thread(target=follower)
    thread.start()
    for name in names:
        store.save(Counter(name))
    thread.join(timeout=10)
    stop.set()

    assert [stream for stream in seen if stream in ids] == ids


def test_the_recorder_subscription_delivers_from_a_position(store):
    if store.factory.__class__.__module__.startswith("eventsourcing.popo"):
        pytest.skip("the in-memory recorder is for unit tests; it has no subscription")
    start = store.head()
    counter = new_counter(store, increments=1)

    with store.recorder.subscribe(gt=start) as subscription:
        notifications = []
        for notification in subscription:
            if notification.originator_id == counter.id:
                notifications.append(notification)
            if len(notifications) == 2:
                break

    assert [n.originator_id for n in notifications] == [counter.id, counter.id]
    assert [n.originator_version for n in notifications] == [0, 1]


def test_events_carry_the_correlation_and_causation_ids_of_their_command(store):
    start = store.head()
    with message_context(correlation_id="corr-1", causation_id="cause-1"):
        counter = new_counter(store)

    [logged] = own(counters_log(store).read(start, 100), counter)

    assert logged.metadata == {"correlation_id": "corr-1", "causation_id": "cause-1"}


def test_a_snapshot_load_equals_a_full_replay(store):
    counter = Counter(uuid4().hex)
    store.save(counter)
    for _ in range(25):
        counter.increment(2)
        store.save(counter)

    from_snapshot = store.get(counter.id)
    replayed = None
    for past_event in store.events.get(counter.id):
        replayed = past_event.mutate(replayed)

    [latest_snapshot] = store.snapshots.get(counter.id, desc=True, limit=1)
    assert latest_snapshot.originator_version == 20
    assert (from_snapshot.version, from_snapshot.total) == (replayed.version, replayed.total)
    assert from_snapshot.total == 50
