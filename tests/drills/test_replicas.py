"""The replica drill: three saga workers and two projection workers share the work through
leases while orders keep coming and workers are killed, restarted and stalled.

A split deployment on one store (the command and query APIs, `shop simulate psp`,
`SHOP_SAGA_PARTITIONS=4`) takes orders over HTTP; every few seconds a saga or projection
worker holding leases is SIGKILLed and a new one started, and once a saga worker is
SIGSTOPped for twice the lease time and then continued. Each time, the victim's units
must reach another worker within the lease time plus one tick. When the traffic stops,
every order must end, stock and the coupon must add up, the views must equal a rebuild,
and the provider must have been asked at most once per payment, however the partitions
moved. Quick by default (3 s leases, about 45 s of traffic); SHOP_DRILL_FULL=1 runs the
default 10 s leases for three minutes.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from app.backends import state_engine
from app.bootstrap import bootstrap
from config.settings import Settings
from eventstore.leases import LeaseTable
from tests.drills import replica_checks as checks
from tests.drills.conftest import FULL
from tests.drills.replica_chaos import Chaos
from tests.drills.replica_cluster import Cluster
from tests.drills.replica_leases import LeaseWatch, sqlite_writes_blocked
from tests.drills.replica_traffic import Traffic, seed
from tests.ops.server import SECRET
from tests.support.postgres import fresh_schema
from tests.support.services import require_postgres

pytestmark = pytest.mark.slow

TTL_S = 10.0 if FULL else 3.0
TRAFFIC_S = 180.0 if FULL else 45.0
PAUSE_S = (3.0, 6.0) if FULL else (1.0, 2.0)  # between one blow's takeover and the next
HOT_STOCK, COUPON_LIMIT = (300, 40) if FULL else (40, 8)  # both run out in every run
MARGIN_S = 1.5  # scheduling on a busy 2-core machine, and the drill's own polling


@pytest.fixture
def store_env(backend: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        "SHOP_DATA_DIR": str(tmp_path / "var"),
        "SHOP_JWT_SECRET": SECRET,
        "SHOP_EVENT_STORE": backend,
        "SHOP_LOG_LEVEL": "INFO",
        "SHOP_CREATE_TABLES": "false",  # `shop migrate` ran first, as in a deployment
        "SHOP_SAGA_PARTITIONS": "4",
        "SHOP_LEASE_TTL_S": str(TTL_S),
        "SHOP_PAYMENT_TIMEOUT_S": "2",  # tok_timeout orders end while the drill waits
    }
    if backend == "sqlite":
        yield env
        return
    dsn = require_postgres()
    with fresh_schema(dsn) as schema:
        read_url = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
        yield env | {
            "SHOP_POSTGRES_DSN": dsn,
            "SHOP_POSTGRES_SCHEMA": schema,
            "SHOP_READ_DB_URL": f"{read_url}?options=-csearch_path%3D{schema}",
        }


def settings_of(env: dict[str, str]) -> Settings:
    """The drill's processes' settings, for reading the store from this process."""
    fields = {key.removeprefix("SHOP_").lower(): value for key, value in env.items()}
    known = {key: value for key, value in fields.items() if key in Settings.model_fields}
    return Settings(**known | {"aggregate_cache_size": 0})


def start(cluster: Cluster) -> tuple[str, str]:
    cluster.migrate()
    psp = cluster.start_psp()
    api = cluster.start_api("command")
    cluster.start_api("query")  # serves reads while the projections move between workers
    for kind, count in (("saga", 3), ("projections", 2)):
        for _ in range(count):
            cluster.start_worker(kind)
    return psp, api


def test_replicated_workers_survive_kills_and_a_stall_without_a_second_capture(
    store_env: dict[str, str], tmp_path: Path
) -> None:
    began = time.monotonic()
    settings = settings_of(store_env)
    cluster = Cluster(store_env, tmp_path)
    table = LeaseTable(state_engine(settings))
    try:
        psp, api = start(cluster)
        received = seed(api, HOT_STOCK, COUPON_LIMIT)
        watches = {group: LeaseWatch(table, group) for group in ("saga", "projections")}
        chaos = Chaos(cluster, watches, TTL_S, random.Random(20261201))
        if settings.event_store == "sqlite":
            chaos.writes_blocked = partial(sqlite_writes_blocked, settings.events_sqlite_path)
        traffic = Traffic(api, pause_s=0.05 if FULL else 0.1)
        traffic.start()
        try:
            chaos.run(time.monotonic() + TRAFFIC_S, PAUSE_S)
        finally:
            traffic.stop()
        settle_and_check(cluster, chaos, traffic, settings, psp, received)
    finally:
        cluster.kill_everything()
        table.engine.dispose()
    print(f"  wall time {time.monotonic() - began:.0f} s")


def settle_and_check(
    cluster: Cluster,
    chaos: Chaos,
    traffic: Traffic,
    settings: Settings,
    psp: str,
    received: dict[str, int],
) -> None:
    container = bootstrap(settings)
    try:
        ended_in = checks.wait_until_terminal(container, traffic.placed, timeout_s=180)
        checks.wait_until_views_caught_up(container, timeout_s=120)
        died = cluster.died()
        requests = checks.assert_one_capture_request_each(
            psp, checks.outcomes(container, traffic.placed)
        )
        stalled_log = chaos.stalled.log.read_text() if chaos.stalled else ""
        statuses = cluster.stop()
        assert died == {}, f"died on their own: {died}\n{cluster.logs()}"
        assert set(statuses.values()) == {0}, f"{statuses}\n{cluster.logs()}"  # clean stops
        status = checks.outcomes(container, traffic.placed)
        report(chaos, traffic, status, requests, ended_in)
        assert_takeovers_in_time(chaos, stalled_log)
        checks.assert_stock_conserved(container, received)
        used = checks.assert_coupon_used_by_confirmed_orders(
            container, status, traffic.placed, COUPON_LIMIT
        )
        checks.assert_payments_match(container, status)
        assert checks.view_differences(container) == dict.fromkeys(container.read_models.names, 0)
        assert_the_run_was_a_real_one(chaos, traffic, status, used)
    finally:
        container.close()


def assert_takeovers_in_time(chaos: Chaos, stalled_log: str) -> None:
    bound = chaos.bound_s + MARGIN_S
    slow = [t for t in chaos.takeovers if t.worst > bound]
    assert not slow, f"takeovers over {bound:.1f} s: {slow}"
    assert chaos.stalled is not None
    if chaos.blocked_writers:  # SQLite: its leases were renewed by nobody, not taken over
        return
    # Woken up, the stalled worker finds its leases taken over and says so.
    stalled = [t for t in chaos.takeovers if t.what.startswith("stop")][0]
    for unit in stalled.seconds:
        assert f"lost {unit.removeprefix('saga:')}" in stalled_log, unit


def assert_the_run_was_a_real_one(
    chaos: Chaos, traffic: Traffic, status: dict[str, str], used: int
) -> None:
    """The drill proves something only if the blows and the outcomes it needs happened."""
    kinds = Counter(t.what.split("-")[0] for t in chaos.takeovers)  # "kill saga", ...
    assert kinds["kill saga"] >= 2, kinds
    assert kinds["kill projections"] >= 1, kinds
    reasons = Counter(status.values())
    assert reasons["CONFIRMED"] > 0, reasons
    assert reasons["CANCELLED:OUT_OF_STOCK"] > 0, reasons
    assert reasons["CANCELLED:PAYMENT_DECLINED"] > 0, reasons
    assert reasons["CANCELLED:PAYMENT_TIMEOUT"] > 0, reasons
    assert reasons["CANCELLED:COUPON_REJECTED"] > 0, reasons  # its limit was reached
    assert used > 0
    assert set(traffic.statuses) == {202}, traffic.statuses


def report(
    chaos: Chaos,
    traffic: Traffic,
    status: dict[str, str],
    requests: Counter[str],
    ended_in: float,
) -> None:
    saga = [t.worst for t in chaos.takeovers if t.what.startswith("kill saga")]
    print(f"\n  orders placed {len(traffic.placed)}; HTTP answers {dict(traffic.statuses)}")
    print(f"  outcomes {dict(Counter(status.values()))}")
    print(f"  all terminal {ended_in:.1f} s after the traffic stopped")
    print(f"  capture requests {sum(requests.values())} for {len(requests)} payments")
    print(f"  blows {len(chaos.takeovers)}; lease {chaos.ttl_s:.0f} s, bound {chaos.bound_s:.1f} s")
    if saga:
        print(
            f"  saga takeover after kill: max {max(saga):.2f} s, mean {sum(saga) / len(saga):.2f} s"
        )
