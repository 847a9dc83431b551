"""`python -m bench.levers REV1 REV2 ... [--event-store sqlite|postgres] [--rate 200]
[--seconds 10]`: the same load on several revisions, one markdown row each.

Each revision is checked out into its own git worktree (`/tmp/levers-<short hash>`,
removed afterwards) and served from there: `shop serve` and its workers import the
revision's code (its folder first on PYTHONPATH, as the working directory), while the load,
the outcomes and the CPU figures come from this checkout's benchmark, so every revision is
measured the same way. Old revisions get only the settings every revision understands
(data dir, event store, PostgreSQL, JWT secret).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import cpu
from bench.report import fine, fmt
from bench.run import load_levels, store_env
from bench.server import running_server

# The CLI's entry point run from the working directory (the venv's `shop` script would
# import the checkout the venv was installed from).
SHOP = [sys.executable, "-c", "from cli.main import app; app()"]
REPOSITORY = Path(__file__).resolve().parents[1]


def git(*args: str, cwd: Path = REPOSITORY) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@contextmanager
def worktree(revision: str) -> Iterator[tuple[str, Path]]:
    """(short hash, folder) of `revision` checked out on its own; removed on exit."""
    short = git("rev-parse", "--short", f"{revision}^{{commit}}")
    folder = Path(tempfile.gettempdir()) / f"levers-{short}"
    if folder.exists():  # left over from an interrupted run
        git("worktree", "remove", "--force", str(folder))
    git("worktree", "add", "--detach", str(folder), short)
    try:
        yield short, folder
    finally:
        git("worktree", "remove", "--force", str(folder))


def environment(code: Path) -> dict[str, str]:
    """This environment without any SHOP_ setting, importing from `code` first."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_")}
    path = [str(code), *filter(None, [os.environ.get("PYTHONPATH")])]
    return inherited | {"PYTHONPATH": os.pathsep.join(path)}


def check_imports_from(code: Path, inherit: dict[str, str]) -> None:
    """Fail unless the CLI and the app resolve to the worktree's files, not this checkout's."""
    probe = "import app, cli.main; print(cli.main.__file__); print(app.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=code, env=inherit, capture_output=True, text=True
    )
    files = found.stdout.split()
    if found.returncode or not all(Path(file).is_relative_to(code) for file in files):
        raise RuntimeError(f"{code}: the CLI imports from {files or found.stderr}")


def measure(revision: str, event_store: str, rate: float, seconds: float) -> dict[str, Any]:
    """The level `rate` orders/s for `seconds` on `revision`, served from its worktree."""
    plan = {"rates": [rate], "seconds": seconds, "products": 200, "label_timeout_s": 120}
    with worktree(revision) as (short, code), tempfile.TemporaryDirectory() as folder:
        subject = git("log", "-1", "--format=%s", short)
        print(f"{short}: {subject[:90]}", file=sys.stderr, flush=True)
        inherit = environment(code)
        check_imports_from(code, inherit)
        data_dir = Path(folder)
        with (
            store_env(event_store) as env,
            running_server(data_dir, env, SHOP, cwd=code, inherit=inherit) as server,
        ):
            [level], _ = load_levels(server, plan, data_dir, env, math.nan)
    return {"revision": short, "subject": subject, "level": level}


def table(rows: list[dict[str, Any]]) -> str:
    """One markdown row per revision: throughput, latency, CPU ms per confirmed order."""
    names = cpu.columns(row["level"]["cpu"]["seconds"] for row in rows)
    lines = [
        "| revision | confirmed/s | place p99 ms | saga p99 ms "
        f"| {' | '.join(f'{name} CPU ms' for name in names)} | total CPU ms |",
        "|---|---|---|---|" + "---|" * (len(names) + 1),
    ]
    for row in rows:
        level = row["level"]
        per_order = level["cpu"]["ms_per_confirmed"]
        cells = [fine(per_order.get(name, math.nan)) for name in [*names, cpu.TOTAL]]
        lines.append(
            f"| `{row['revision']}` | {fmt(level['confirmed_per_s'])} "
            f"| {fmt(level['place_ms']['p99'])} | {fmt(level['saga_ms']['p99'])} "
            f"| {' | '.join(cells)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.levers", description=__doc__)
    parser.add_argument("revisions", nargs="+", help="git revisions, e.g. HEAD~5 HEAD")
    parser.add_argument("--event-store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rate", type=float, default=200, help="offered orders/s")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load")
    arguments = parser.parse_args(argv)
    rate = int(arguments.rate) if arguments.rate.is_integer() else arguments.rate
    rows = [
        measure(revision, arguments.event_store, rate, arguments.seconds)
        for revision in arguments.revisions
    ]
    print(
        f"{fmt(rate)} orders/s offered for {fmt(arguments.seconds)} s, "
        f"event store `{arguments.event_store}`; CPU ms per confirmed order "
        "(`load`: the load generator; the total leaves it out):\n"
    )
    print(table(rows))
    for row in rows:
        print(f"\n`{row['revision']}`: {row['subject']}", end="")
    print()


if __name__ == "__main__":
    main()
