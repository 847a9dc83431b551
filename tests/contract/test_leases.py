"""Leases, fencing and forward-only checkpoints, on SQLite and PostgreSQL.

One owner per unit; an expired lease is taken over with a new epoch; a deposed holder's
appends and checkpoint saves are refused inside their own transaction and write nothing;
checkpoints never move backwards; the units are shared among the live workers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from app.backends import event_store_env, state_engine
from commands.process_managers.state import SagaState
from config.settings import Settings
from eventstore.application import ShopStore
from eventstore.fencing import Lease, LeaseLost, fenced
from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LeaseTable
from tests.contract.counter import Counter


@pytest.fixture
def table(settings: Settings) -> Iterator[LeaseTable]:
    engine = state_engine(settings)
    yield LeaseTable(engine)
    engine.dispose()


def held(table: LeaseTable, name: str, holder: str, ttl_s: float = 10) -> Lease:
    table.ensure([name])
    epoch = table.acquire(name, holder, ttl_s)
    assert epoch is not None
    return Lease(name, holder, epoch, time.monotonic() + ttl_s)


def test_one_holder_at_a_time_and_an_expired_lease_changes_hands(table):
    first = held(table, "saga:p0", "a", ttl_s=0.5)

    assert table.acquire("saga:p0", "b", 10) is None
    time.sleep(0.7)
    taken = table.acquire("saga:p0", "b", 10)

    assert taken == first.epoch + 1
    assert not table.renew("saga:p0", "a", first.epoch, 10)  # deposed: cannot renew
    assert table.renew("saga:p0", "b", taken, 10)


def test_appends_under_a_lease_taken_over_write_nothing(settings, table):
    store = ShopStore(event_store_env(settings))
    try:
        lease = held(table, "saga:p0", "a", ttl_s=0.5)
        with fenced(lease):
            store.save(Counter("fenced-ok"))
        time.sleep(0.7)
        assert table.acquire("saga:p0", "b", 10) == lease.epoch + 1
        head = store.head()

        with fenced(lease), pytest.raises(LeaseLost):
            store.save(Counter("fenced-late"))

        assert store.find(Counter.create_id("fenced-ok")) is not None
        assert store.find(Counter.create_id("fenced-late")) is None
        assert store.head() == head
        store.save(Counter("unfenced"))  # other writers are not affected
    finally:
        store.close()


def test_a_checkpoint_save_under_a_lost_lease_writes_nothing(settings, table):
    state = SagaState(table.engine)
    lease = held(table, "saga:checkout", "a", ttl_s=0.5)
    due = {"o-1": datetime(2030, 1, 1, tzinfo=UTC)}
    state.save("checkout", 100, due, [], [lease])
    time.sleep(0.7)
    table.acquire("saga:checkout", "b", 10)

    with pytest.raises(LeaseLost):
        state.save("checkout", 200, {"o-2": datetime(2030, 1, 1, tzinfo=UTC)}, ["o-1"], [lease])

    assert state.position("checkout") == 100
    assert state.due(lambda _: True, datetime(2031, 1, 1, tzinfo=UTC)) == ["o-1"]


def test_checkpoints_refuse_to_move_backwards(table):
    state = SagaState(table.engine)
    state.save("checkout", 500, {}, [])

    state.save("checkout", 100, {}, [])  # a late writer from an earlier position

    assert state.position("checkout") == 500
    state.save(["checkout", "checkout-0-of-2"], 600, {}, [])
    assert state.position("checkout") == 600
    assert state.position("checkout-0-of-2") == 600


def test_first_checkpoints_saved_together_never_fail(table):
    state = SagaState(table.engine)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def save(position: int) -> None:
        start.wait()
        try:
            state.save("checkout-0-of-2", position, {}, [])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(p,)) for p in (10, 20, 30, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert state.position("checkout-0-of-2") == 40


def keeper(table: LeaseTable, name: str, ttl_s: float = 1.0) -> LeaseKeeper:
    units = [f"checkout-{i}-of-4" for i in range(4)]
    return LeaseKeeper(table, "saga", units, ttl_s, worker=name)


def test_live_workers_share_the_units_and_a_dead_ones_are_taken_over(table):
    a, b = keeper(table, "worker-a"), keeper(table, "worker-b")
    a.tick()
    assert len(a.held) == 4  # alone: everything
    b.tick()
    a.tick()  # a sees b: hands two over
    handed = [unit for unit, lease in a.held.items() if lease.handover]
    for unit in handed:
        a.release(unit)
    b.tick()

    assert len(handed) == 2
    assert set(a.held) | set(b.held) == {f"checkout-{i}-of-4" for i in range(4)}
    assert not set(a.held) & set(b.held)

    time.sleep(1.1)  # b dies: no more ticks; its leases and heartbeat run out
    a.tick()

    assert len(a.held) == 4
    assert all(lease.valid() for lease in a.held.values())


def test_workers_running_different_units_leave_none_unowned(table):
    everything = LeaseKeeper(table, "projections", ["a", "b", "c"], 0.5, worker="w-1")
    only_c = LeaseKeeper(table, "projections", ["c"], 0.5, worker="w-2")
    keepers = [only_c, everything]
    for _ in range(3):
        for keeper in keepers:
            keeper.tick()
            for unit, lease in list(keeper.held.items()):
                if lease.handover:  # what a runner does between two batches
                    keeper.release(unit)

    holders = {unit: [k.worker for k in keepers if unit in k.held] for unit in "abc"}
    # w-2 is assigned b by position but does not run it: w-1 adopts it instead
    assert all(len(workers) == 1 for workers in holders.values()), holders


def test_the_units_a_tick_takes_appear_together(table):
    """A runner reading `held` between batches must never see part of what one tick takes:
    it would start on some partitions, then start over on all (a replay)."""
    seen: list[int] = []

    class Watched(LeaseTable):
        def acquire(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append(len(watched.held))  # what a runner would see now
            return super().acquire(*args, **kwargs)

    watched = keeper(Watched(table.engine), "worker-a")
    watched.tick()

    assert seen == [0, 0, 0, 0]
    assert len(watched.held) == 4
