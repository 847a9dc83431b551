"""Blue/green rebuild of one view: fill a new generation from the log while the live one
keeps serving, catch up, compare, switch the pointer atomically, drop the old generation.

Safe to interrupt: a generation newer than the live one is an unfinished rebuild, and a
rerun resumes it from its own position (every batch committed with its position).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from eventstore.log import EventLog
from projections.core import ProjectionView
from projections.replay import REPLAY_BATCH, replay
from projections.runner import catch_up

REBUILD_BATCH = REPLAY_BATCH


class RebuildError(Exception):
    """The rebuilt generation could not be verified; the live one was left in place."""


@dataclass(frozen=True)
class RebuildReport:
    name: str
    generation: int
    events: int
    seconds: float  # building the new generation (the log replay)
    verify_seconds: float  # catching both generations up to one position and comparing
    differences: int  # rows/docs/keys in which the rebuilt view differs from the old live one

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def rebuild_view(
    log: EventLog,
    view: ProjectionView,
    progress: Callable[[int, int], None] | None = None,
    strict: bool = False,
    grace_s: float = 1.0,
) -> RebuildReport:
    """Rebuild `view`; `progress(position, head)` after each batch.

    `strict` refuses to switch when the rebuilt view differs from the live one; otherwise
    the differences are counted and the rebuilt view (the log's truth) goes live, which is
    how a projector fix or a new schema reaches production.
    """
    live = view.live_generation()
    target = _target(view, live)
    started, start_position = time.perf_counter(), view.position(target)
    report = (lambda position: progress(position, log.head())) if progress else None
    end_position = replay(log, view, target, log.head(), progress=report)
    built = time.perf_counter()
    # Counted after the clock stopped: positions are opaque (byte offsets on KurrentDB),
    # so `end - start` is no number of events.
    events = log.count(start_position, end_position)
    differences = compare(log, view, live, target)
    if differences and strict:
        raise RebuildError(f"{view.name}: rebuilt generation differs in {differences} rows")
    view.switch(target)
    verified = time.perf_counter()
    time.sleep(grace_s)  # let readers that resolved the old pointer finish their query
    for generation in view.generations():
        if generation != target:
            view.drop_generation(generation)
    return RebuildReport(view.name, target, events, built - started, verified - built, differences)


def _target(view: ProjectionView, live: int) -> int:
    """The unfinished rebuild to resume, or a fresh generation."""
    pending = [g for g in view.generations() if g > live]
    for stale in pending[:-1]:
        view.drop_generation(stale)
    return pending[-1] if pending else view.create_generation()


def compare(log: EventLog, view: ProjectionView, live: int, target: int, tries: int = 50) -> int:
    """Rows that differ between the two generations, both taken at one log position."""
    for _ in range(tries):
        target_position = catch_up(log, view, target, batch_size=REBUILD_BATCH)
        live_position, live_rows = view.snapshot(live)
        if live_position < target_position:
            # The live runner is behind (or stopped): move it on ourselves. Safe alongside
            # a running runner: each batch checks and moves the position in one transaction.
            catch_up(log, view, live, until=target_position)
            continue
        catch_up(log, view, target, until=live_position)
        position, rows = view.snapshot(target)
        if position == live_position:
            keys = set(rows) | set(live_rows)
            return sum(1 for key in keys if rows.get(key) != live_rows.get(key))
    raise RebuildError(f"{view.name}: could not take both generations at one position")
