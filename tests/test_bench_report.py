"""The benchmark's targets table: which level it judges latency at, and the verdicts."""

from __future__ import annotations

from bench.report import verdict


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
