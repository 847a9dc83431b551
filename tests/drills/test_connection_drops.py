"""The connection-drop drill: every PostgreSQL connection of a running shop is killed, twice,
while orders keep coming over HTTP, and every process must ride it out.

A split deployment on PostgreSQL (events and read models: `shop migrate`, the command
and query APIs, one saga worker, one projection worker and `shop simulate psp`) takes
orders from customers who send a request again with the same `Idempotency-Key` after a
503 or a lost connection. Twice during the run, every backend of the drill's processes
(found by the `application_name` they all connect with) is terminated, as a failover or
an administrator would. No request may answer 500; every acknowledged order must end
confirmed or cancelled, none may be lost or placed twice, the views must equal a rebuild
and every process must still be running, then stop cleanly. Quick by default (500
orders, two drops); SHOP_DRILL_FULL=1 places 2,000 and drops five times.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.bootstrap import bootstrap
from config.settings import Settings
from tests.drills import replica_checks as checks
from tests.drills.conftest import DRILL_ORDERS, FULL
from tests.drills.drop_traffic import RetryingTraffic
from tests.drills.replica_cluster import Cluster
from tests.drills.replica_traffic import seed
from tests.drills.test_replicas import settings_of
from tests.ops.server import SECRET
from tests.support.postgres import fresh_schema
from tests.support.services import require_postgres

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(1200 if FULL else 400)]

DROPS = 5 if FULL else 2
HOT_STOCK, COUPON_LIMIT = (300, 100) if FULL else (80, 25)
TERMINATE = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = %s
"""


@pytest.fixture
def store_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    dsn = require_postgres()
    with fresh_schema(dsn) as schema:
        read_url = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
        yield {
            "SHOP_DATA_DIR": str(tmp_path / "var"),
            "SHOP_JWT_SECRET": SECRET,
            "SHOP_EVENT_STORE": "postgres",
            "SHOP_POSTGRES_DSN": dsn,
            "SHOP_POSTGRES_SCHEMA": schema,
            "SHOP_READ_DB_URL": f"{read_url}?options=-csearch_path%3D{schema}",
            "SHOP_LOG_LEVEL": "INFO",
            "SHOP_CREATE_TABLES": "false",  # `shop migrate` ran first, as in a deployment
            "SHOP_PAYMENT_TIMEOUT_S": "2",  # tok_timeout orders end while the drill waits
            # libpq reads it: every connection of the drill's processes carries this name,
            # so the drops spare the other tests sharing the server.
            "PGAPPNAME": f"shop-drop-{schema}",
        }


def drop_connections(dsn: str, application: str) -> int:
    """Terminate every backend `application` holds; how many there were."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(TERMINATE, (application,)).fetchall()
    return sum(1 for (terminated,) in rows if terminated)


def start(cluster: Cluster) -> tuple[str, str, str]:
    cluster.migrate()
    psp = cluster.start_psp()
    command_api, query_api = cluster.start_api("command"), cluster.start_api("query")
    cluster.start_worker("saga")
    cluster.start_worker("projections")
    return psp, command_api, query_api


def drop_while_ordering(traffic: RetryingTraffic, env: dict[str, str]) -> list[tuple[float, int]]:
    """DROPS drops spread evenly over the orders; (monotonic time, backends) of each."""
    drops = []
    traffic.start()
    for i in range(1, DROPS + 1):
        target = traffic.orders * i // (DROPS + 1)
        while traffic.done < target:
            time.sleep(0.01)
        drops.append(
            (time.monotonic(), drop_connections(env["SHOP_POSTGRES_DSN"], env["PGAPPNAME"]))
        )
    traffic.join(timeout_s=600)
    return drops


def test_every_process_survives_its_database_connections_being_killed(
    store_env: dict[str, str], tmp_path: Path
) -> None:
    began = time.monotonic()
    cluster = Cluster(store_env, tmp_path)
    try:
        psp, command_api, query_api = start(cluster)
        received = seed(command_api, HOT_STOCK, COUPON_LIMIT)
        traffic = RetryingTraffic(command_api, query_api, DRILL_ORDERS)
        drops = drop_while_ordering(traffic, store_env)
        settle_and_check(cluster, traffic, settings_of(store_env), psp, received, drops)
    finally:
        cluster.kill_everything()
    print(f"  wall time {time.monotonic() - began:.0f} s")


def settle_and_check(
    cluster: Cluster,
    traffic: RetryingTraffic,
    settings: Settings,
    psp: str,
    received: dict[str, int],
    drops: list[tuple[float, int]],
) -> None:
    container = bootstrap(settings)
    try:
        errors = {
            s: n for s, n in (traffic.answers + traffic.reads).items() if s >= 500 and s != 503
        }
        assert errors == {}, f"answers other than 503 in the 5xx: {errors}\n{cluster.logs()}"
        assert traffic.refused == {}, traffic.refused
        ids = [order.order_id for order in traffic.placed]
        assert len(ids) == len(set(ids)) == traffic.orders  # each key placed one order
        ended_in = checks.wait_until_terminal(container, traffic.placed, timeout_s=180)
        checks.wait_until_views_caught_up(container, timeout_s=120)
        died = cluster.died()
        status = checks.outcomes(container, traffic.placed)
        requests = checks.assert_one_capture_request_each(psp, status)
        report(traffic, drops, status, ended_in, sum(requests.values()))
        assert died == {}, f"died: {died}\n{cluster.logs()}"
        statuses = cluster.stop()
        assert set(statuses.values()) == {0}, f"{statuses}\n{cluster.logs()}"  # clean stops
        checks.assert_stock_conserved(container, received)
        checks.assert_payments_match(container, status)
        assert checks.view_differences(container) == dict.fromkeys(container.read_models.names, 0)
        assert all(killed >= 4 for _, killed in drops), drops  # each process held one at least
    finally:
        container.close()


def failed_after(
    traffic: RetryingTraffic, drops: list[tuple[float, int]]
) -> list[tuple[int, float]]:
    """Per drop: failed attempts until the next drop, and seconds from it to the last."""
    spans = []
    for i, (at, _) in enumerate(drops):
        until = drops[i + 1][0] if i + 1 < len(drops) else float("inf")
        hit = [f.at for f in traffic.failures if at <= f.at < until]
        spans.append((len(hit), max(hit) - at if hit else 0.0))
    return spans


def report(
    traffic: RetryingTraffic,
    drops: list[tuple[float, int]],
    status: dict[str, str],
    ended_in: float,
    captures: int,
) -> None:
    kinds = Counter(f.what for f in traffic.failures)
    print(f"\n  orders acknowledged {len(traffic.placed)}; POST answers {dict(traffic.answers)}")
    print(f"  reads {dict(traffic.reads)}; failed attempts {dict(kinds)}")
    for (_, killed), (failed, span) in zip(drops, failed_after(traffic, drops), strict=True):
        print(f"  drop: {killed} backends; {failed} failed attempts, the last {span:.2f} s after")
    print(f"  outcomes {dict(Counter(status.values()))}")
    print(f"  all terminal {ended_in:.1f} s after the traffic; capture requests {captures}")
