"""The benchmark's quick mode runs end to end and produces numbers (not how fast they are)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.run import main

PROCESSES = ["api", "saga", "projections", "integration", "psp", "carrier", "load"]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[dict, Path]:
    """One quick run (~15 s) shared by the tests below: its results and output folder."""
    out = tmp_path_factory.mktemp("bench")
    return main(quick=True, event_store="sqlite", out=out), out


@pytest.mark.slow
def test_the_quick_benchmark_produces_every_figure(quick_run):
    results, tmp_path = quick_run

    [level] = results["levels"]
    assert level["placed"] > 0
    assert level["errors"] == 0
    assert level["confirmed"] + level["cancelled"] == level["placed"]
    assert not math.isnan(level["place_ms"]["p99"])
    assert not math.isnan(level["saga_ms"]["p99"])
    assert level["labelled"] == level["confirmed"]
    assert not math.isnan(level["fulfilment_ms"]["p99"])
    assert results["raw_commits_per_s"] > 0
    assert set(results["rebuild"]) == {"order_views", "hot_lookups", "catalog_search", "customers"}
    assert all(figure["events_per_s"] > 0 for figure in results["rebuild"].values())
    assert results["search"]["p99"] > 0
    [stored] = tmp_path.glob("*.json")
    assert json.loads(stored.read_text())["levels"][0]["placed"] == level["placed"]
    assert next(tmp_path.glob("*.png")).stat().st_size > 0
    table = next(tmp_path.glob("*.md")).read_text()
    assert "| offered orders/s |" in table
    assert "| confirmed → labelled p50 / p95 / p99 ms |" in table
    assert "CPU ms per confirmed order" in table
    assert "| offered orders/s | confirmed | api | saga | projections | integration |" in table


@pytest.mark.slow
def test_the_quick_benchmark_measures_the_cpu_of_every_process(quick_run) -> None:
    results, _ = quick_run
    cpu = results["levels"][0]["cpu"]

    assert set(cpu["seconds"]) == set(PROCESSES) | {"total"}
    assert set(cpu["ms_per_confirmed"]) == set(cpu["seconds"])
    assert all(cpu["seconds"][name] > 0 for name in ("api", "saga", "load", "total"))
    assert all(ms >= 0 for ms in cpu["ms_per_confirmed"].values())
    server = sum(s for name, s in cpu["seconds"].items() if name not in ("load", "total"))
    assert cpu["seconds"]["total"] == pytest.approx(server)
