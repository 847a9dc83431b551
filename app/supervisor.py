"""Keeps `shop serve`'s children running: reaps one that dies, logs it, starts it again.

A watcher thread polls each child every `poll_s`. A child that has ended is reaped (no
zombie), logged as a warning naming it and its exit code, and started again after a
backoff: `backoff_s` at first, doubling with each death up to `max_backoff_s`, and back
to `backoff_s` once a child has run `stable_s` without dying. While a child is down,
`status()` says so, and the embedded server's `/ready` answers 503 naming it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from app.supervision import ChildProcess

log = logging.getLogger("shop.supervisor")


class Watched:
    """The supervisor's view of one child: up since when, restarts, last exit, next start."""

    def __init__(self, child: ChildProcess, backoff_s: float) -> None:
        self.child = child
        self.delay_s = backoff_s
        self.restarts = 0
        self.last_exit: int | None = None
        self.since = datetime.now(UTC)
        self.up_at: float | None = None  # monotonic time of the last start; None while down
        self.restart_at = 0.0

    def row(self) -> dict[str, Any]:
        alive = self.up_at is not None
        return {
            "name": self.child.name,
            "pid": self.child.pid if alive else None,
            "alive": alive,
            "restarts": self.restarts,
            "since": self.since.isoformat(timespec="milliseconds"),
            "last_exit": self.last_exit,
            "command": "shop " + " ".join(self.child.argv),
            "url": self.child.url,
        }


class Supervisor:
    """Starts its children in order, watches them, stops them in reverse order."""

    def __init__(
        self,
        children: Sequence[ChildProcess],
        backoff_s: float = 0.5,
        max_backoff_s: float = 10.0,
        stable_s: float = 30.0,
        poll_s: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.watched = [Watched(child, backoff_s) for child in children]
        self.backoff_s, self.max_backoff_s, self.stable_s = backoff_s, max_backoff_s, stable_s
        self.poll_s, self.clock = poll_s, clock
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start each child and wait until it is ready; if one fails, stop those started."""
        for index, watched in enumerate(self.watched):
            try:
                watched.child.start()
            except BaseException:
                for started in reversed(self.watched[: index + 1]):
                    started.child.stop()
                raise
            self._mark_up(watched)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        for watched in reversed(self.watched):
            watched.child.stop()

    def status(self) -> list[dict[str, Any]]:
        with self._lock:
            return [watched.row() for watched in self.watched]

    def url(self, name: str) -> str | None:
        """Where the child called `name` answers, if it is a server."""
        return next((w.child.url for w in self.watched if w.child.name == name), None)

    def check(self) -> None:
        """One look at every child: reap the dead, start those whose backoff is over."""
        with self._lock:
            for watched in self.watched:
                if watched.up_at is not None:
                    self._reap(watched)
                elif self.clock() >= watched.restart_at and not self._stopping.is_set():
                    self._restart(watched)

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll_s):
            try:
                self.check()
            except Exception:  # the watcher must outlive any one failure
                log.exception("supervising the workers failed; trying again")

    def _reap(self, watched: Watched) -> None:
        code = watched.child.exit_code()
        if code is None:
            return
        now = self.clock()
        assert watched.up_at is not None
        if now - watched.up_at >= self.stable_s:
            watched.delay_s = self.backoff_s  # it had settled: this is a fresh failure
        self._mark_down(watched, code, now)

    def _mark_down(self, watched: Watched, code: int | None, now: float) -> None:
        watched.up_at, watched.last_exit = None, code
        watched.since = datetime.now(UTC)
        watched.restart_at = now + watched.delay_s
        name = watched.child.name
        log.warning(
            "worker %s exited with %s; restarting in %.1fs",
            name,
            code,
            watched.delay_s,
            extra={"worker": name, "exit_code": code, "restart_in_s": watched.delay_s},
        )
        watched.delay_s = min(watched.delay_s * 2, self.max_backoff_s)

    def _restart(self, watched: Watched) -> None:
        name = watched.child.name
        try:
            watched.child.spawn()
        except OSError:
            log.exception("worker %s could not be started", name, extra={"worker": name})
            self._mark_down(watched, None, self.clock())
            return
        watched.restarts += 1
        self._mark_up(watched)
        log.warning(
            "worker %s restarted (pid %s, restart %d)",
            name,
            watched.child.pid,
            watched.restarts,
            extra={"worker": name, "pid": watched.child.pid, "restarts": watched.restarts},
        )

    def _mark_up(self, watched: Watched) -> None:
        watched.up_at, watched.since = self.clock(), datetime.now(UTC)

    def __repr__(self) -> str:
        return f"Supervisor({', '.join(w.child.name for w in self.watched)})"
