"""The event store contract: one test body, run on every backend this machine can reach."""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest

from domain.shared.base import ConcurrencyConflict, NotFound
from domain.shared.context import message_context
from eventstore.application import ShopStore
from eventstore.log import EventLog
from tests.contract.counter import Counter

INCREMENTED = Counter.Incremented.TOPIC


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
    with pytest.raises(NotFound):
        store.get("counter-nobody")
    assert store.find("counter-nobody") is None


def test_stream_ids_keep_their_category_prefix(store):
    counter = new_counter(store)

    [logged] = [e for e in EventLog(store).read(0, 1000) if e.event.originator_id == counter.id]

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

    logged = EventLog(store).read(start, 100)

    assert [e.event.originator_id for e in logged] == [c.id for c in counters]
    positions = [e.position for e in logged]
    assert positions == sorted(set(positions))


def test_save_returns_the_position_of_its_last_event(store):
    counter = Counter(uuid4().hex)
    counter.increment()

    position = store.save(counter)

    assert position == store.head()
    assert EventLog(store).read(position - 1, 10)[-1].event.originator_id == counter.id


def test_a_follower_resumes_after_a_position_and_filters_by_topic(store):
    before = new_counter(store, increments=1)
    resume_at = store.head()
    after = new_counter(store, increments=2)

    batch = EventLog(store).read_batch(resume_at, 100, topics=[INCREMENTED])

    assert all(e.position > resume_at for e in batch.events)
    assert [type(e.event) for e in batch.events] == [Counter.Incremented] * 2
    assert {e.event.originator_id for e in batch.events} == {after.id}
    assert before.id not in {e.event.originator_id for e in batch.events}
    assert batch.upto == store.head()


def test_follow_yields_new_events_as_they_are_saved(store):
    log, stop = EventLog(store, poll_interval_s=0.005), threading.Event()
    start = store.head()
    seen: list[str] = []

    def follower() -> None:
        for batch in log.follow(start, stop=stop):
            seen.extend(e.event.originator_id for e in batch.events)
            if len(seen) >= 3:
                stop.set()

    thread = threading.Thread(target=follower)
    thread.start()
    ids = [new_counter(store).id for _ in range(3)]
    thread.join(timeout=10)

    assert seen == ids


def test_the_recorder_subscription_delivers_from_a_position(store):
    if store.factory.__class__.__module__.startswith("eventsourcing.popo"):
        pytest.skip("the in-memory recorder is for unit tests; it has no subscription")
    start = store.head()
    counter = new_counter(store, increments=1)

    with store.recorder.subscribe(gt=start) as subscription:
        notifications = [next(subscription), next(subscription)]

    assert [n.originator_id for n in notifications] == [counter.id, counter.id]
    assert [n.originator_version for n in notifications] == [0, 1]


def test_events_carry_the_correlation_and_causation_ids_of_their_command(store):
    start = store.head()
    with message_context(correlation_id="corr-1", causation_id="cause-1"):
        new_counter(store)

    [logged] = EventLog(store).read(start, 10)

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
