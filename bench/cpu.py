"""CPU time per process over one load level: the server (`api`), each of its children
(`shop worker saga|projections|integration`, `shop simulate psp|carrier`) and the load
generator (`load`, this process), from utime + stime in /proc/<pid>/stat.

A child is named after the word that follows `worker` or `simulate` on its command line;
processes are found by scanning every /proc/<pid>/stat for its parent, so a worker that a
revision does not have is simply absent. A child restarted during a level counts from its
new start only (the CPU of the one that died is not in /proc any more).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

TICKS_PER_S = os.sysconf("SC_CLK_TCK")
LOAD = "load"
TOTAL = "total"
# Table order; a process named otherwise comes after these.
ORDER = ["api", "saga", "projections", "integration", "psp", "carrier", LOAD]

Sample = dict[str, dict[int, float]]  # process name → {pid: CPU seconds so far}


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, utime + stime in seconds), or None once the process has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command in parentheses may hold spaces: the fields after it are field 3 onwards.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS_PER_S


def _argv(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def name_of(argv: list[str]) -> str:
    """`saga` for `... worker saga`, `psp` for `... simulate psp`, else `other`."""
    for verb in ("worker", "simulate"):
        if verb in argv[:-1]:
            return argv[argv.index(verb) + 1]
    return "other"


def descendants(root: int) -> list[int]:
    """Every process below `root`, children before grandchildren."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents.setdefault(stat[0], []).append(int(entry.name))
    found, frontier = [], [root]
    while frontier:
        children = [child for pid in frontier for child in parents.get(pid, [])]
        found += children
        frontier = children
    return found


def sample(server_pid: int) -> Sample:
    """CPU seconds so far of the server, each of its descendants and this process."""
    taken: Sample = {}
    named = [("api", server_pid), (LOAD, os.getpid())]
    named += [(name_of(_argv(pid)), pid) for pid in descendants(server_pid)]
    for name, pid in named:
        if (stat := _stat(pid)) is not None:
            taken.setdefault(name, {})[pid] = stat[1]
    return taken


def own() -> Sample:
    """This process's CPU seconds so far, under `load`."""
    stat = _stat(os.getpid())
    return {LOAD: {os.getpid(): stat[1] if stat else 0.0}}


def used(start: Sample, end: Sample) -> dict[str, float]:
    """CPU seconds each process spent between two samples, and their `total` without the
    load generator (what the shop and its simulated partners cost)."""
    spent = {
        name: sum(seconds - start.get(name, {}).get(pid, 0.0) for pid, seconds in pids.items())
        for name, pids in end.items()
    }
    ordered = {name: spent[name] for name in columns([spent])}
    return ordered | {TOTAL: sum(s for name, s in spent.items() if name != LOAD)}


def columns(figures: Iterable[dict[str, float]]) -> list[str]:
    """The process names present in any of `figures`, in table order, without `total`."""
    names = {name for figure in figures for name in figure if name != TOTAL}
    return [n for n in ORDER if n in names] + sorted(names - set(ORDER))


def per_order(seconds: dict[str, float], confirmed: int) -> dict[str, float]:
    """CPU milliseconds per confirmed order (NaN when none was confirmed)."""
    return {
        name: s * 1000 / confirmed if confirmed else float("nan") for name, s in seconds.items()
    }


def figures(start: Sample, load_end: Sample, end: Sample, confirmed: int) -> dict:
    """The level's `cpu` entry: the load generator counted over the load only (after it,
    this process polls the log for outcomes), everything else until the level settled."""
    seconds = used(start, end | load_end)
    return {"seconds": seconds, "ms_per_confirmed": per_order(seconds, confirmed)}
