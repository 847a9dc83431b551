"""SIGTERM on `shop worker projections`: finish the batch, keep the position, exit 0.

Events keep being appended while the worker is stopped mid-run and restarted; the views
it leaves must equal a fresh catch-up of the same log: nothing applied twice, nothing
skipped.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import httpx

from app.bootstrap import Container, bootstrap
from tests.ops.scrape import value
from tests.ops.server import free_port, start, stop, wait_until
from tests.ops.traffic import Writer, catalog, drill_settings, open_shop

WORKER = ["worker", "projections"]


def positions(container: Container) -> dict[str, int]:
    return {name: container.read_models.position(name) for name in container.read_models.names}


def fresh_catch_up(data_dir: Path, into: Path) -> Container:
    """The same log copied into a new data dir, every view built from scratch."""
    into.mkdir()
    for path in data_dir.glob("events.sqlite3*"):
        shutil.copy(path, into / path.name)
    fresh = bootstrap(drill_settings(into))
    fresh.read_models.catch_up()
    return fresh


def test_sigterm_mid_run_then_restart_applies_every_event_exactly_once(tmp_path: Path):
    data_dir = tmp_path / "var"
    shop = open_shop(data_dir)
    catalog(shop)
    port = free_port()
    with Writer(shop):
        worker = start(WORKER, data_dir, "worker.log", SHOP_METRICS_PORT=str(port))
        wait_until(lambda: min(positions(shop).values()) > 20, what="the first batches")
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert stop(worker) == 0
        stopped_at, head_at_stop = positions(shop), shop.log.head()
        time.sleep(0.3)  # more events arrive while no worker runs
        worker = start(WORKER, data_dir, "worker.log")
        time.sleep(0.5)
    head = shop.log.head()
    wait_until(lambda: min(positions(shop).values()) >= head, what="the restarted worker")
    assert stop(worker) == 0

    assert value(metrics, "shop_projection_lag_events", projection="order_views") is not None
    assert min(stopped_at.values()) > 0
    assert head > head_at_stop  # writes continued across the stop and the restart
    fresh = fresh_catch_up(data_dir, tmp_path / "fresh")
    for name in shop.read_models.names:
        assert shop.read_models.view(name).snapshot() == fresh.read_models.view(name).snapshot()
    fresh.close()
    shop.close()
    assert_json_logs(data_dir / "worker.log")


def assert_json_logs(log: Path) -> None:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert lines, "the worker logged nothing"
    assert {"time", "level", "logger", "message", "correlation_id"} <= set(lines[0])
    assert any("finishing the current batch" in line["message"] for line in lines)
