"""A lease holder stopped inside its fenced transaction (SIGSTOP, a paused VM) does not
keep its lease, on PostgreSQL.

Its transaction holds the lease row `FOR SHARE` (`eventstore.leases.require_held`), which
makes a takeover wait. The server ends a transaction left idle for the lease time
(`ending_stalled_transactions`), and a worker trying to take the row meanwhile is told it is
held (a tenth of the lease time) instead of waiting on the lock while its own leases run
out. On SQLite a stopped writer holds the file's one write lock and every writer waits
until it goes on (README, "Replicas"): there is no server to end it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from app.backends import state_engine
from config.settings import Settings
from eventstore.leases import LeaseTable, require_held
from tests.contract.test_leases import held

TTL_S = 2.0  # the workers' lease time, which ends a stalled transaction


@pytest.fixture
def table(settings: Settings) -> Iterator[LeaseTable]:
    if settings.event_store != "postgres":
        pytest.skip("SQLite: a stopped writer blocks every writer until it goes on")
    engine = state_engine(settings.model_copy(update={"lease_ttl_s": TTL_S}))
    yield LeaseTable(engine)
    engine.dispose()


def test_a_holder_stalled_in_its_transaction_loses_the_lease_within_the_lease_time(table):
    lease = held(table, "saga:stalled", "sleeper", ttl_s=0.5)  # expires before that
    sleeper = table.engine.connect()
    try:
        sleeper.begin()
        require_held(sleeper, [lease])  # and then the process stops, its row locked FOR SHARE
        stalled_at = time.monotonic()
        epoch, tries = take_over(table, until=stalled_at + 5 * TTL_S)
        taken_after = time.monotonic() - stalled_at

        assert epoch == lease.epoch + 1, "never taken over while the holder slept"
        assert taken_after < TTL_S + 1
        assert max(tries) < 0.5, f"a try waited on the sleeper's lock: {max(tries):.2f} s"
        with pytest.raises(sa.exc.DBAPIError):  # the server ended the sleeper's transaction
            sleeper.execute(sa.text("SELECT 1"))
    finally:
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            sleeper.close()


def take_over(table: LeaseTable, until: float) -> tuple[int | None, list[float]]:
    """Try to take the lease every 50 ms until `until`: the epoch, and how long each try took."""
    tries: list[float] = []
    epoch = None
    while epoch is None and time.monotonic() < until:
        began = time.monotonic()
        epoch = table.acquire("saga:stalled", "taker", 1.0)  # waits 0.1 s for a lock
        tries.append(time.monotonic() - began)
        time.sleep(0.05)
    return epoch, tries
