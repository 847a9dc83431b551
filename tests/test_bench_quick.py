"""The benchmark's quick mode runs end to end and produces numbers (not how fast they are)."""

from __future__ import annotations

import json
import math

import pytest

from bench.run import main


@pytest.mark.slow
def test_the_quick_benchmark_produces_every_figure(tmp_path, capsys):
    results = main(quick=True, event_store="sqlite", out=tmp_path)

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
