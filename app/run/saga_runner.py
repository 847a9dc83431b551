"""Running checkout managers: in the caller's thread until idle, or one thread each."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from commands.process_managers.checkout import CheckoutProcessManager
from eventstore.log import rest_between_batches

log = logging.getLogger(__name__)


class SagaRunner:
    """Runs process managers: `run_until_idle()` in the caller's thread (tests), or one
    thread each between `start()` and `stop()` (the embedded service, the worker)."""

    def __init__(
        self,
        managers: list[CheckoutProcessManager],
        store: Any,
        poll_interval_s: float = 0.02,
        min_interval_s: float = 0.005,
    ) -> None:
        self.managers = managers
        self.store = store
        self.poll_interval_s = poll_interval_s
        # A batch costs a few commits whatever its size: at most one per interval lets
        # orders gather into batches on a busy shop, for a few milliseconds of latency.
        self.min_interval_s = min_interval_s
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._closers: list[Callable[[], None]] = []

    def run_once(self) -> int:
        return sum(m.run_batch() + m.fire_deadlines() for m in self.managers)

    def run_until_idle(self, max_rounds: int = 100_000) -> int:
        """Handle events and due deadlines until there are none; how many were handled."""
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            if not handled:
                return total
            total += handled
        raise RuntimeError(f"saga still busy after {max_rounds} rounds")

    def start(self) -> None:
        self.stopping.clear()
        for manager in self.managers:
            thread = threading.Thread(
                target=self._loop, args=(manager,), name=manager.name, daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 30.0) -> None:
        """Let each manager finish the batch in hand, then return."""
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads.clear()

    def close(self) -> None:
        self.stop()
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()

    def _loop(self, manager: CheckoutProcessManager) -> None:
        backoff = 0.1
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                handled = manager.run_batch() + manager.fire_deadlines()
                backoff = 0.1
            except Exception:
                log.exception("saga %s failed a batch; retrying in %.1fs", manager.name, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            rest_between_batches(
                self.store,
                self.stopping,
                handled > 0,
                started,
                self.poll_interval_s,
                self.min_interval_s,
            )
