"""Behaviours every view must show, whatever read model and store: written once, called
from each read model's contract suite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from eventstore.log import EventLog, Logged
from projections.core import Docs, ProjectionView
from projections.rebuild import rebuild_view
from projections.replay import replay
from projections.runner import catch_up
from tests.projections.shopdata import Shop, random_traffic


def test_replaying_the_whole_log_changes_nothing(log: EventLog, view: ProjectionView) -> None:
    catch_up(log, view)
    before = view.snapshot()

    everything = log.read(0, limit=100_000, topics=view.projector.topics)
    assert view.apply(everything, 0, log.head())

    assert view.snapshot() == before


def test_duplicate_deliveries_change_nothing(
    log: EventLog, make: Callable[[], ProjectionView]
) -> None:
    once, twice = make(), make()
    catch_up(log, once, batch_size=7)

    after = 0
    while batch := log.read(after, limit=7, topics=twice.projector.topics):
        doubled = sorted([*batch, *batch[:3]], key=lambda logged: logged.position)
        assert twice.apply(doubled, after, batch[-1].position)
        assert twice.apply(batch, after, batch[-1].position)  # the whole batch again
        after = batch[-1].position

    assert rows(twice) == rows(once)


class Crash(Exception):
    pass


class CrashingProjector:
    """Wraps a projector and blows up on its `at`-th event: a process killed mid-batch."""

    def __init__(self, inner: Any, at: int) -> None:
        self.inner, self.at, self.seen = inner, at, 0
        self.name, self.topics, self.keys = inner.name, inner.topics, inner.keys

    def apply(self, logged: Logged, docs: Docs) -> None:
        self.seen += 1
        if self.seen == self.at:
            raise Crash(f"killed at {logged.position}")
        self.inner.apply(logged, docs)


def test_a_projector_killed_mid_batch_ends_like_an_uninterrupted_one(
    log: EventLog, make: Callable[[], ProjectionView]
) -> None:
    steady, crashed = make(), make()
    catch_up(log, steady, batch_size=50)
    catch_up(log, crashed, until=log.head() // 3, batch_size=50)
    before = crashed.snapshot()
    honest = crashed.projector
    remaining = log.read(crashed.position(), limit=100_000, topics=honest.topics)
    assert len(remaining) >= 3
    at = len(remaining) // 2 + 1  # inside a batch, with events before and after it
    crashed.projector = CrashingProjector(honest, at=at)  # type: ignore[assignment]

    with pytest.raises(Crash):
        catch_up(log, crashed, batch_size=50)

    assert crashed.snapshot() == before  # the batch's rows and position rolled back together
    crashed.projector = honest
    catch_up(log, crashed, batch_size=50)
    assert crashed.snapshot() == steady.snapshot()


def test_a_rebuild_under_writes_equals_the_live_view(
    shop: Shop,
    log: EventLog,
    view: ProjectionView,
    make: Callable[[], ProjectionView],
    query: Callable[[ProjectionView], object],
) -> None:
    catch_up(log, view)
    stop, answers, errors = threading.Event(), [], []

    def keep_writing_and_reading() -> None:
        number = 0
        while not stop.is_set():
            random_traffic(shop, 1, seed=number)
            number += 1
            catch_up(log, view)  # the live runner keeps applying
            try:
                answers.append(query(view))
            except Exception as error:  # noqa: BLE001 - any failure to answer is the finding
                errors.append(error)

    worker = threading.Thread(target=keep_writing_and_reading)
    worker.start()
    try:
        report = rebuild_view(log, view, strict=True, grace_s=0.2)
    finally:
        stop.set()
        worker.join()

    assert report.differences == 0
    assert report.events > 0
    assert not errors
    assert answers
    catch_up(log, view)
    assert view.generations() == [report.generation]
    fresh = make()
    catch_up(log, fresh)
    assert rows(view) == rows(fresh)


def test_a_bulk_replay_equals_a_view_followed_event_by_event(
    shop: Shop, log: EventLog, make: Callable[[], ProjectionView]
) -> None:
    """The rebuild's path (bulk writes, each batch read while the last is written) over
    the suite's history and mixed traffic, in many small batches, against the live
    runner's path at its smallest: one event per batch."""
    random_traffic(shop, 12, seed=3)
    followed, rebuilt = make(), make()
    catch_up(log, followed, batch_size=1)
    generation = rebuilt.create_generation()

    assert replay(log, rebuilt, generation, log.head(), batch_size=7) == log.head()

    rebuilt.switch(generation)
    assert rows(rebuilt) == rows(followed)
    assert rows(rebuilt)


def rows(view: ProjectionView) -> dict[str, Any]:
    return view.snapshot()[1]
