"""The head of the log is cached between appends (`eventstore.heads`), never past one.

Two stores on one database stand for two processes: one appends, the other follows. A
follower must see the other's append at its next poll; on PostgreSQL the notification
arrives a moment after the commit, well inside the one-second limit on a cached head.
"""

from __future__ import annotations

import time
from uuid import uuid4

import psycopg
import pytest

from app.backends import event_store_env
from eventstore.application import ShopStore
from eventstore.heads import CachedHead
from tests.contract.counter import Counter

SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _moved(store: ShopStore, past: int, within_s: float) -> float | None:
    """How long `store.head()` took to pass `past` (None: not within `within_s`)."""
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        if store.head() > past:
            return time.monotonic() - started
        time.sleep(0.005)
    return None


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_a_follower_sees_another_process_append_at_its_next_poll(backend, settings_for):
    settings = settings_for(backend)
    writer, follower = ShopStore(event_store_env(settings)), ShopStore(event_store_env(settings))
    try:
        for _ in range(3):
            before = follower.head()  # cached from here on
            assert follower.head() == before
            writer.save(Counter(uuid4().hex))
            took = _moved(follower, before, within_s=0.5)
            assert took is not None, "the follower's head stood still after an append"
            assert follower.head() == writer.head()
    finally:
        writer.close()
        follower.close()


@pytest.mark.postgres
def test_a_lost_listener_falls_back_to_reading_the_head(settings_for):
    settings = settings_for("postgres")
    writer, follower = ShopStore(event_store_env(settings)), ShopStore(event_store_env(settings))
    try:
        follower.head()  # starts listening
        with psycopg.connect(settings.postgres_dsn, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE query LIKE 'LISTEN%%' AND pid <> pg_backend_pid()"
            ).fetchall()
        assert ended, "no listening connection was found"
        before = follower.head()
        writer.save(Counter(uuid4().hex))
        assert _moved(follower, before, within_s=0.5) is not None
    finally:
        writer.close()
        follower.close()


def test_a_cached_head_is_read_again_only_when_the_sign_moves_or_it_is_old():
    sign, reads = [1], []

    def read() -> int:
        reads.append(1)
        return 10 * len(reads)

    head = CachedHead(lambda: sign[0], max_age_s=0.05)
    assert [head.get(read), head.get(read)] == [10, 10]
    sign[0] = 2
    assert head.get(read) == 20
    time.sleep(0.06)
    assert head.get(read) == 30  # too old: read whatever the sign says
    assert len(reads) == 3


def test_with_no_sign_to_go_by_every_call_reads():
    reads: list[int] = []
    head = CachedHead(lambda: None)
    for expected in (1, 2, 3):
        assert head.get(lambda: reads.append(1) or len(reads)) == expected
