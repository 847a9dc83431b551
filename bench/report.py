"""Benchmark output: JSON for machines, a markdown table for the README, a PNG plot."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench import cpu


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def fine(value: float) -> str:
    """Two decimals, for CPU ms per order (levers move it by tenths)."""
    return "—" if math.isnan(value) else f"{value:,.2f}"


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        f"Run {results['date']} on {machine['cores']} cores, {machine['memory_gib']} GiB "
        f"({machine['python']}), event store `{results['event_store']}`"
        f"{' (quick mode)' if results['quick'] else ''}.",
        "",
        f"Raw store limit: {fmt(results['raw_commits_per_s'])} single-row commits/s.",
        "",
        "| offered orders/s | placed | errors | confirmed/s | place p50 / p95 / p99 ms "
        "| saga p50 / p95 / p99 ms | lag p50 / p99 ms | log events/s as % of raw commits/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for level in results["levels"]:
        place, saga, lag = level["place_ms"], level["saga_ms"], level["lag_ms"]
        lines.append(
            f"| {fmt(level['offered_rate'])} | {level['placed']} | {level['errors']} "
            f"| {fmt(level['confirmed_per_s'])} "
            f"| {fmt(place['p50'])} / {fmt(place['p95'])} / {fmt(place['p99'])} "
            f"| {fmt(saga['p50'])} / {fmt(saga['p95'])} / {fmt(saga['p99'])} "
            f"| {fmt(lag['p50'])} / {fmt(lag['p99'])} | {fmt(level['commit_share_pct'])} |"
        )
    lines += fulfilment(results["levels"])
    lines += cpu_table(results["levels"])
    lines += ["", *verdict(results)]
    for name, figure in results.get("rebuild", {}).items():
        lines.append(
            f"\nRebuild `{name}`: {fmt(figure['events'])} events, "
            f"{fmt(figure['events_per_s'])} events/s."
        )
    if "search" in results:
        search = results["search"]
        lines.append(
            f"\nCatalog search over {fmt(search['products'])} products: "
            f"p50 {fmt(search['p50'])} ms, p99 {fmt(search['p99'])} ms."
        )
    return "\n".join(lines) + "\n"


def fulfilment(levels: list[dict[str, Any]]) -> list[str]:
    """Confirmed → labelled at each level (runs before fulfilment have none)."""
    if not all("fulfilment_ms" in level for level in levels):
        return []
    lines = [
        "",
        "| offered orders/s | confirmed | labelled | labelled/s "
        "| confirmed → labelled p50 / p95 / p99 ms |",
        "|---|---|---|---|---|",
    ]
    for level in levels:
        lag = level["fulfilment_ms"]
        lines.append(
            f"| {fmt(level['offered_rate'])} | {level['confirmed']} | {level['labelled']} "
            f"| {fmt(level['labelled_per_s'])} "
            f"| {fmt(lag['p50'])} / {fmt(lag['p95'])} / {fmt(lag['p99'])} |"
        )
    return lines


def cpu_table(levels: list[dict[str, Any]]) -> list[str]:
    """CPU ms per confirmed order of each process at each level (runs before it have none)."""
    if not all("cpu" in level for level in levels):
        return []
    names = cpu.columns(level["cpu"]["seconds"] for level in levels)
    lines = [
        "",
        "CPU ms per confirmed order (`load`: the load generator, not in the total):",
        "",
        f"| offered orders/s | confirmed | {' | '.join(names)} | total | total CPU s |",
        "|---|---|" + "---|" * (len(names) + 2),
    ]
    for level in levels:
        figures = level["cpu"]
        per_order = [fine(figures["ms_per_confirmed"].get(name, math.nan)) for name in names]
        lines.append(
            f"| {fmt(level['offered_rate'])} | {level['confirmed']} | {' | '.join(per_order)} "
            f"| {fine(figures['ms_per_confirmed'][cpu.TOTAL])} "
            f"| {fmt(figures['seconds'][cpu.TOTAL])} |"
        )
    return lines


# Confirmed checkouts/s this machine size (2 cores) should reach, per event store.
TARGETS = {
    "sqlite": 1000.0,
    "postgres": 500.0,
}


def verdict(results: dict[str, Any]) -> list[str]:
    """Each target against what this run measured; latencies at the level nearest half
    the highest confirmed rate."""
    levels = results["levels"]
    best = max(level["confirmed_per_s"] for level in levels)
    half = min(levels, key=lambda level: abs(level["confirmed_per_s"] - best / 2))
    rows = [
        ("confirmed checkouts/s (max)", best, TARGETS.get(results["event_store"], 0), ">="),
        (
            f"place p99 ms at {fmt(half['offered_rate'])}/s offered",
            half["place_ms"]["p99"],
            20.0,
            "<",
        ),
        ("saga p99 ms at the same level", half["saga_ms"]["p99"], 250.0, "<"),
        ("projection lag p99 ms at the same level", half["lag_ms"]["p99"], 100.0, "<"),
    ]
    rebuild = results.get("rebuild", {})
    if rebuild:
        slowest = min(rebuild, key=lambda name: rebuild[name]["events_per_s"])
        rows.append(
            (
                f"rebuild events/s (slowest: {slowest})",
                rebuild[slowest]["events_per_s"],
                50_000.0,
                ">=",
            )
        )
    if "search" in results:
        rows.append(("search p99 ms", results["search"]["p99"], 10.0, "<"))
    lines = ["| target | measured | goal | met |", "|---|---|---|---|"]
    for what, measured, goal, sense in rows:
        met = measured >= goal if sense == ">=" else measured < goal
        lines.append(
            f"| {what} | {fmt(measured)} | {sense} {fmt(goal)} | {'yes' if met else 'no'} |"
        )
    return lines


def plot(
    results: dict[str, Any], timelines: list[tuple[float, list[tuple[float, float]]]], path: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for rate, points in timelines:
        left.plot([t for t, _ in points], [ms for _, ms in points], ".", ms=2, label=f"{rate:g}/s")
    left.set(
        title="place-order latency over time", xlabel="s since start", ylabel="ms", yscale="log"
    )
    left.legend()
    offered = [level["offered_rate"] for level in results["levels"]]
    right.plot(
        offered,
        [level["confirmed_per_s"] for level in results["levels"]],
        "o-",
        label="confirmed/s",
    )
    right.plot(offered, offered, "--", color="grey", label="offered")
    right.set(title="throughput vs offered load", xlabel="offered orders/s", ylabel="orders/s")
    right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def write(results: dict[str, Any], timelines: list, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{results['date']}-{results['event_store']}{'-quick' if results['quick'] else ''}"
    paths = {
        "json": folder / f"{stem}.json",
        "md": folder / f"{stem}.md",
        "png": folder / f"{stem}.png",
    }
    paths["json"].write_text(json.dumps(results, indent=2, default=str))
    paths["md"].write_text(markdown(results))
    plot(results, timelines, paths["png"])
    return paths
