"""The benchmark's targets table: which level it judges latency at, and the verdicts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bench import cpu, levers
from bench.report import cpu_table, verdict


def level(rate: float, confirmed: float, place_p99: float) -> dict:
    return {
        "offered_rate": rate,
        "confirmed_per_s": confirmed,
        "place_ms": {"p99": place_p99},
        "saga_ms": {"p99": 40.0},
        "lag_ms": {"p99": 120.0},
    }


def test_latency_is_judged_at_the_level_nearest_half_the_best_rate() -> None:
    results = {
        "event_store": "postgres",
        "levels": [level(100, 95.0, 8.0), level(200, 190.0, 15.0), level(400, 380.0, 900.0)],
        "rebuild": {"a": {"events_per_s": 80_000.0}, "b": {"events_per_s": 30_000.0}},
        "search": {"p99": 4.0},
    }

    rows = verdict(results)

    assert rows[2:] == [
        "| confirmed checkouts/s (max) | 380.0 | >= 500.0 | no |",
        "| place p99 ms at 200/s offered | 15.0 | < 20.0 | yes |",
        "| saga p99 ms at the same level | 40.0 | < 250.0 | yes |",
        "| projection lag p99 ms at the same level | 120.0 | < 100.0 | no |",
        "| rebuild events/s (slowest: b) | 30,000.0 | >= 50,000.0 | no |",
        "| search p99 ms | 4.0 | < 10.0 | yes |",
    ]


def test_the_cpu_table_has_a_column_per_process_and_the_total_leaves_the_load_out() -> None:
    start = {"api": {10: 1.0}, "saga": {11: 2.0}, "load": {9: 5.0}}
    # The saga restarted (new pid: counted from its start); the carrier appeared.
    end = {"api": {10: 3.0}, "saga": {12: 0.5}, "carrier": {13: 0.25}, "load": {9: 9.0}}
    figures = cpu.figures(start, {"load": {9: 6.0}}, end, confirmed=500)

    assert figures["seconds"] == {
        "api": 2.0,
        "saga": 0.5,
        "carrier": 0.25,
        "load": 1.0,
        "total": 2.75,
    }
    assert figures["ms_per_confirmed"]["total"] == 5.5
    levels = [{"offered_rate": 100, "confirmed": 500, "cpu": figures}]
    assert cpu_table(levels)[-3:] == [
        "| offered orders/s | confirmed | api | saga | carrier | load | total | total CPU s |",
        "|---|---|---|---|---|---|---|---|",
        "| 100 | 500 | 4.00 | 1.00 | 0.50 | 2.00 | 5.50 | 2.8 |",
    ]


def test_processes_are_named_after_their_worker_or_simulator() -> None:
    python = ["/venv/bin/python", "-m", "cli.main"]

    assert cpu.name_of([*python, "worker", "saga"]) == "saga"
    assert cpu.name_of([*python, "simulate", "carrier", "--port", "8091"]) == "carrier"
    assert cpu.name_of(["/venv/bin/python", "-c", "import this"]) == "other"
    assert cpu.name_of([*python, "worker"]) == "other"


def test_a_sample_finds_this_process_and_its_children() -> None:
    with subprocess.Popen(["sleep", "5"]) as sleeper:
        try:
            assert sleeper.pid in cpu.descendants(os.getpid())
            taken = cpu.sample(os.getpid())
        finally:
            sleeper.kill()
    assert taken["other"][sleeper.pid] >= 0
    assert set(taken["api"]) == set(taken["load"]) == {os.getpid()}


def test_the_levers_table_has_a_row_per_revision_and_a_column_per_process_of_any() -> None:
    def row(revision: str, seconds: dict[str, float]) -> dict:
        figures = cpu.figures({}, {}, {name: {1: s} for name, s in seconds.items()}, 100)
        return {"revision": revision, "level": level(200, 190.0, 9.5) | {"cpu": figures}}

    older = row("aaaaaaa", {"api": 0.2, "saga": 0.3, "load": 0.1})
    newer = row("bbbbbbb", {"api": 0.1, "saga": 0.2, "integration": 0.05, "load": 0.1})

    assert levers.table([older, newer]).splitlines() == [
        "| revision | confirmed/s | place p99 ms | saga p99 ms | api CPU ms | saga CPU ms "
        "| integration CPU ms | load CPU ms | total CPU ms |",
        "|---|---|---|---|---|---|---|---|---|",
        "| `aaaaaaa` | 190.0 | 9.5 | 40.0 | 2.00 | 3.00 | — | 1.00 | 5.00 |",
        "| `bbbbbbb` | 190.0 | 9.5 | 40.0 | 1.00 | 2.00 | 0.50 | 1.00 | 3.50 |",
    ]


def test_a_revision_is_served_with_its_own_code_and_none_of_our_settings(monkeypatch) -> None:
    monkeypatch.setenv("SHOP_READ_MODELS", "redis")
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")

    env = levers.environment(Path("/tmp/levers-abc"))

    assert env["PYTHONPATH"] == os.pathsep.join(["/tmp/levers-abc", "/elsewhere"])
    assert not any(name.startswith("SHOP_") for name in env)
