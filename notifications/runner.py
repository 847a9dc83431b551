"""Running the notifier: in the caller's thread until idle (tests), or on a thread of its
own between `start()` and `close()` (the worker), under the one `notifier` lease if given.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from eventstore.fencing import LeaseLost, fenced
from eventstore.lease_keeper import LeaseKeeper
from eventstore.log import rest_between_batches
from notifications.consumer import NAME, Notifier

log = logging.getLogger(__name__)


class NotifierRunner:
    def __init__(self, notifier: Notifier, store: Any, leases: LeaseKeeper | None = None) -> None:
        self.notifier, self.store, self.leases = notifier, store, leases
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._epoch: int | None = None
        self.closers: list[Callable[[], None]] = []

    def run_once(self) -> int:
        return self.notifier.run_batch() + self.notifier.fire_deadlines()

    def run_until_idle(self, max_rounds: int = 10_000) -> int:
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            if not handled:
                return total
            total += handled
        raise RuntimeError(f"notifier still busy after {max_rounds} rounds")

    def start(self) -> None:
        self.stopping.clear()
        if self.leases is not None:
            self.leases.start()
        self._thread = threading.Thread(target=self._loop, name=NAME, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(30.0)
        if self.leases is not None:
            self.leases.stop()  # after the batch in hand: the next holder starts clean
        for closer in reversed(self.closers):
            closer()
        self.closers.clear()

    def _loop(self) -> None:
        backoff = 0.1
        while not self.stopping.is_set():
            lease = self._lease()
            if self.leases is not None and lease is None:
                self.leases.wait_for_change(1.0)
                continue
            started = time.monotonic()
            try:
                with fenced(*([lease] if lease else [])):
                    handled = self.run_once()
                backoff = 0.1
            except LeaseLost as lost:  # another worker has it now: start over from its rows
                log.warning("notifier stops: %s", lost)
                self.notifier.forget()
                self.stopping.wait(1.0)
                continue
            except Exception:
                log.exception("notifier failed a batch; retrying in %.1fs", backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            rest_between_batches(self.store, self.stopping, handled > 0, started, 0.1, 0.005)

    def _lease(self) -> Any:
        """The valid `notifier` lease, if held; a new epoch makes the notifier re-read its
        checkpoint (another holder may have moved it in between)."""
        if self.leases is None:
            return None
        lease = self.leases.lease(NAME)
        epoch = None if lease is None else lease.epoch
        if epoch != self._epoch:
            self._epoch = epoch
            self.notifier.forget()
        return lease
