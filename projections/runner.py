"""Following the log into views: one batch, one transaction, one position move at a time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from eventstore.log import Batch, EventLog
from projections.core import ProjectionView

log = logging.getLogger(__name__)
BATCH_SIZE = 1000


def bounded(batch: Batch, until: int | None) -> Batch:
    """The part of `batch` at or before `until` (None: all of it)."""
    if until is None or batch.upto <= until:
        return batch
    return Batch([e for e in batch.events if e.position <= until], until)


def step(
    log_: EventLog,
    view: ProjectionView,
    generation: int | None = None,
    until: int | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Apply the next batch to `view`; return how far the position moved (0: caught up)."""
    after = view.position(generation)
    if until is not None and after >= until:
        return 0
    batch = bounded(log_.read_batch(after, batch_size, view.projector.topics), until)
    if batch.upto <= after:
        return 0
    if not view.apply(batch.events, after, batch.upto, generation):
        return 1  # the live generation moved under us: go round and re-read
    return batch.upto - after


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


class ProjectionRunner:
    """Runs each view's projection on its own thread until `stop()`.

    `stop()` lets the batch in hand finish (its transaction holds the position), so a
    stopped runner restarts exactly where it left off.
    """

    def __init__(
        self,
        log_: EventLog,
        views: Mapping[str, ProjectionView],
        batch_size: int = BATCH_SIZE,
        idle_wait_s: float = 0.02,
    ) -> None:
        self.log = log_
        self.views = dict(views)
        self.batch_size = batch_size
        self.idle_wait_s = idle_wait_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.errors: dict[str, BaseException] = {}

    def catch_up(self) -> None:
        """Synchronously bring every view to the head as it is now (for tests and the CLI)."""
        until = self.log.head()
        for view in self.views.values():
            catch_up(self.log, view, until=until, batch_size=self.batch_size)

    def start(self) -> None:
        self._stop.clear()
        for name, view in self.views.items():
            thread = threading.Thread(
                target=self._run, args=(name, view), name=f"projection-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        with self.log.store.appended:
            self.log.store.appended.notify_all()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads.clear()

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def _run(self, name: str, view: ProjectionView) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                moved = step(self.log, view, batch_size=self.batch_size)
                failures = 0
            except Exception as error:  # a store hiccup must not end the projection
                failures += 1
                self.errors[name] = error
                log.exception("projection %s failed (attempt %d)", name, failures)
                self._stop.wait(min(5.0, 0.1 * 2**failures))
                continue
            if not moved:
                with self.log.store.appended:
                    self.log.store.appended.wait(self.idle_wait_s)
