"""A writer that took its position first but commits last must not be skipped by followers.

On PostgreSQL a sequence hands out ids at insert time, so without care a follower could
read id N+1, move its position past N, and never see N when it commits later. Our stores
serialise appends (SQLite's single writer; the library's table lock on PostgreSQL), so a
later writer waits and gets the higher position. EventStoreDB assigns positions at commit.
"""

from __future__ import annotations

import threading
import time
from uuid import uuid4

import pytest

from eventstore.application import ShopStore
from eventstore.log import EventLog
from eventstore.topics import topics_of
from tests.contract.counter import Counter

SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
COUNTER_TOPICS = topics_of([Counter])  # the log's followers decode known topics only


def _begin_slow_append(
    store: ShopStore, counter: Counter, committed: threading.Event, may_commit: threading.Event
) -> None:
    """Insert the counter's events in a transaction held open until `may_commit` is set."""
    stored = [store.mapper.to_stored_event(e) for e in counter.collect_events()]
    recorder = store.recorder
    with recorder.datastore.transaction(commit=True) as cursor:
        if hasattr(recorder, "_insert_stored_events"):  # PostgreSQL: takes the table lock
            recorder._insert_stored_events(cursor, stored)
        else:
            recorder._insert_events(cursor, stored)
        committed.set()  # inserted, not yet committed
        may_commit.wait(10)


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_a_late_commit_with_a_lower_position_is_not_skipped(backend, settings_for):
    from app.backends import event_store_env

    settings = settings_for(backend)
    store, other_process = (
        ShopStore(event_store_env(settings)),
        ShopStore(event_store_env(settings)),
    )
    log = EventLog(store, known_topics=COUNTER_TOPICS)
    start = store.head()
    slow, fast = Counter(uuid4().hex), Counter(uuid4().hex)
    inserted, may_commit = threading.Event(), threading.Event()
    slow_writer = threading.Thread(
        target=_begin_slow_append, args=(store, slow, inserted, may_commit)
    )
    slow_writer.start()
    assert inserted.wait(10)
    fast_writer = threading.Thread(target=other_process.save, args=(fast,))
    fast_writer.start()
    time.sleep(0.3)  # the fast writer is now waiting for the slow one, not committed ahead

    seen_while_open = log.read(start, 10)
    may_commit.set()
    slow_writer.join(10)
    fast_writer.join(10)
    seen_after = log.read(start, 10)

    assert seen_while_open == []
    assert [e.event.originator_id for e in seen_after] == [slow.id, fast.id]
    assert seen_after[0].position < seen_after[1].position
    store.close()
    other_process.close()


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_a_follower_sees_every_event_of_concurrent_writers_exactly_once(backend, settings_for):
    from app.backends import event_store_env

    store = ShopStore(event_store_env(settings_for(backend)))
    log = EventLog(store, poll_interval_s=0.001, known_topics=COUNTER_TOPICS)
    stop = threading.Event()
    start, seen, saved = store.head(), [], []
    lock = threading.Lock()

    def writer() -> None:
        for _ in range(40):
            counter = Counter(uuid4().hex)
            store.save(counter)
            with lock:
                saved.append(counter.id)

    def follower() -> None:
        for batch in log.follow(start, batch_size=7, stop=stop):
            seen.extend((e.position, e.event.originator_id) for e in batch.events)
            if len(seen) >= 160:
                stop.set()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    reader = threading.Thread(target=follower)
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    reader.join(30)
    stop.set()

    positions = [position for position, _ in seen]
    assert positions == sorted(set(positions))
    assert sorted(stream for _, stream in seen) == sorted(saved)
    store.close()
