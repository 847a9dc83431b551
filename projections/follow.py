"""Following the log into one view: one batch, one transaction, one position move at a time."""

from __future__ import annotations

from collections.abc import Callable

from eventstore.log import Batch, EventLog
from projections.core import ProjectionView

BATCH_SIZE = 1000


def bounded(batch: Batch, until: int | None) -> Batch:
    """The part of `batch` at or before `until` (None: all of it)."""
    if until is None or batch.upto <= until:
        return batch
    return Batch([e for e in batch.events if e.position <= until], until)


def advance(
    log_: EventLog,
    view: ProjectionView,
    after: int,
    generation: int | None = None,
    until: int | None = None,
    batch_size: int = BATCH_SIZE,
) -> int | None:
    """Apply the batch after `after`: the view's new position, or None when the live
    generation moved under us (read the position again)."""
    if until is not None and after >= until:
        return after
    batch = bounded(log_.read_batch(after, batch_size, view.projector.topics), until)
    return applied(view, batch, after, generation)


def applied(
    view: ProjectionView, batch: Batch, after: int, generation: int | None = None
) -> int | None:
    """Apply `batch`, read after `after`: as `advance`."""
    if batch.upto <= after:
        return after
    return batch.upto if view.apply(batch.events, after, batch.upto, generation) else None


def step(
    log_: EventLog,
    view: ProjectionView,
    generation: int | None = None,
    until: int | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Apply the next batch to `view`; return how far the position moved (0: caught up)."""
    after = view.position(generation)
    position = advance(log_, view, after, generation, until, batch_size)
    return 1 if position is None else position - after  # 1: go round and re-read


def catch_up(
    log_: EventLog,
    view: ProjectionView,
    generation: int | None = None,
    until: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Apply batches until the view reaches `until` (default: the head when called)."""
    until = log_.head() if until is None else until
    while moved := step(log_, view, generation, until, batch_size):
        if progress:
            progress(moved)
    return view.position(generation)
