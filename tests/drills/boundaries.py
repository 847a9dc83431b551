"""Which step boundaries a crash drill kills a worker at.

A drill's dry run notes the kind of every boundary it passes ("checkout saved", "carrier
answered", ...). Under `SHOP_DRILL_FULL=1` the drill kills at each of them in turn. By
default (CI) it kills at the first and the last boundary of every kind, and at others
spread evenly over the run up to `QUICK_POINTS`: every kind of step is still interrupted,
at its start and late in the run, at a third of the cost on PostgreSQL.
"""

from __future__ import annotations

from tests.drills.conftest import FULL

QUICK_POINTS = 14


def crash_points(kinds: list[str], full: bool = FULL) -> list[int]:
    """The 1-based boundaries to kill at, given the kinds the dry run passed in order."""
    total = len(kinds)
    if full:
        return list(range(1, total + 1))
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for point, kind in enumerate(kinds, start=1):
        first.setdefault(kind, point)
        last[kind] = point
    chosen = set(first.values()) | set(last.values())
    spare = QUICK_POINTS - len(chosen)
    if spare > 0:
        step = max(1, total // spare)
        chosen |= set(range(step, total + 1, step))
    return sorted(chosen)
