"""`shop bench`: checkout throughput and latency, fulfilment and projection lag, rebuild and
search speed.

One run measures the store's raw commit rate, starts `shop serve` on a fresh data dir,
drives it with open-loop load at each offered rate, reads the outcomes from the log, then
measures rebuild and search speed offline, and writes JSON, markdown and a PNG.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.bootstrap import bootstrap
from bench import cpu, offline, raw
from bench.fulfilment import wait_until_labelled
from bench.load import Catalog, run_open_loop
from bench.measure import LagSampler, summary, wait_until_settled
from bench.pg import fresh_schema
from bench.report import write
from bench.server import Server, running_server, seed, token, warm_up
from config.settings import Settings

FULL = {
    "rates": [50, 100, 200, 300, 400],
    "seconds": 10,
    "products": 200,
    "rebuild_events": 1_000_000,
    "search_products": 100_000,
}
QUICK = {
    "rates": [50],
    "seconds": 3,
    "products": 10,
    "rebuild_events": 5_000,
    "search_products": 2_000,
}


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory),
        "python": platform.python_version(),
    }


def main(
    quick: bool = False,
    event_store: str | None = None,
    out: Path = Path("bench/results"),
    rates: list[float] | None = None,
    seconds: float | None = None,
) -> dict:
    """`rates` and `seconds`, when given, replace the plan's offered rates and their length
    (to look for saturation); the rest of the plan stays."""
    plan = dict(QUICK if quick else FULL)
    if rates:  # 300.0 → 300 in the tables
        plan["rates"] = [int(rate) if float(rate).is_integer() else rate for rate in rates]
    plan["seconds"] = seconds or plan["seconds"]
    kind = event_store or os.environ.get("SHOP_EVENT_STORE", "sqlite")
    with tempfile.TemporaryDirectory() as folder, store_env(kind) as env:
        if kind == "postgres":
            raw_rate = raw.postgres_commits_per_s(env["SHOP_POSTGRES_DSN"])
        else:
            raw_rate = raw.sqlite_commits_per_s()
        results, timelines = _run(plan, Path(folder), env, raw_rate)
    results |= {
        "date": dt.date.today().isoformat(),
        "event_store": kind,
        "quick": quick,
        "machine": machine(),
    }
    paths = write(results, timelines, out)
    print(paths["md"].read_text())
    print("wrote " + ", ".join(str(p) for p in paths.values()))
    return results


@contextmanager
def store_env(kind: str) -> Iterator[dict[str, str]]:
    """The server's environment for an event store: SQLite in its data dir, or a fresh
    schema (dropped afterwards) on SHOP_POSTGRES_DSN."""
    if kind != "postgres":
        yield {"SHOP_EVENT_STORE": "sqlite"}
        return
    dsn = os.environ.get("SHOP_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
    with fresh_schema(dsn) as schema:
        yield {
            "SHOP_EVENT_STORE": "postgres",
            "SHOP_POSTGRES_DSN": dsn,
            "SHOP_POSTGRES_SCHEMA": schema,
        }


def _run(plan: dict, data_dir: Path, env: dict[str, str], raw_rate: float) -> tuple[dict, list]:
    with running_server(data_dir, env) as server:
        levels, timelines = load_levels(server, plan, data_dir, env, raw_rate)
    results: dict[str, Any] = {"raw_commits_per_s": raw_rate, "levels": levels}
    results["rebuild"] = offline.rebuild_speed(plan["rebuild_events"], env)
    results["search"] = offline.search_speed(plan["search_products"])
    return results, timelines


def load_levels(
    server: Server, plan: dict, data_dir: Path, env: dict[str, str], raw_rate: float
) -> tuple[list[dict], list]:
    """Seed the running server, warm it up, then one level per offered rate in the plan
    (`raw_rate`: the store's raw commits/s, NaN if not measured)."""
    levels, timelines = [], []
    skus, coupon = seed(server.url, plan["products"], stock=1_000_000)
    warm_up(server.url, skus[0])
    settings = Settings(data_dir=data_dir, **_settings_from(env), create_tables=False)
    container = bootstrap(settings)
    tokens = [token("customer", f"bench-customer-{i}") for i in range(50)]
    for rate in plan["rates"]:
        level, timeline = _level(
            container, server, tokens, Catalog(skus, coupon), rate, plan, raw_rate
        )
        levels.append(level)
        timelines.append((rate, timeline))
    container.close()
    return levels, timelines


def _level(container, server, tokens, catalog, rate, plan, raw_rate) -> tuple[dict, list]:
    start = container.store.head()
    cpu_start = cpu.sample(server.pid)
    with LagSampler(container) as lag:
        load = asyncio.run(run_open_loop(server.url, tokens, catalog, rate, plan["seconds"]))
        cpu_loaded = cpu.own()
        outcomes = wait_until_settled(container, start, load.order_ids, timeout_s=120)
        labels = wait_until_labelled(
            container, start, load.order_ids, timeout_s=plan.get("label_timeout_s", 300)
        )
    cpu_end = cpu.sample(server.pid)
    events = container.store.head() - start
    all_lag = [ms for samples in lag.samples.values() for ms in samples]
    level = {
        "offered_rate": rate,
        "placed": len(load.order_ids),
        "errors": load.errors,
        "error_statuses": load.error_statuses,
        "confirmed": outcomes.confirmed,
        "cancelled": outcomes.cancelled,
        "pending": outcomes.pending,
        "confirmed_per_s": outcomes.confirmed_per_s,
        "place_ms": summary(load.latencies_ms),
        "saga_ms": summary(outcomes.completion_ms),
        "lag_ms": summary(all_lag),
        "labelled": labels.labelled,
        "labelled_per_s": labels.labelled_per_s,
        "fulfilment_ms": summary(labels.lag_ms),
        "events": events,
        "commit_share_pct": 100 * (events / plan["seconds"]) / raw_rate,
        "cpu": cpu.figures(cpu_start, cpu_loaded, cpu_end, outcomes.confirmed),
    }
    return level, load.timeline


def _settings_from(env: dict[str, str]) -> dict[str, Any]:
    keys = {
        "SHOP_EVENT_STORE": "event_store",
        "SHOP_POSTGRES_DSN": "postgres_dsn",
        "SHOP_POSTGRES_SCHEMA": "postgres_schema",
    }
    return {keys[k]: v for k, v in env.items() if k in keys}
