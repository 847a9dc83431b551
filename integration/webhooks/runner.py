"""The webhook worker: fan-out and sending in background threads.

Each subscription has at most one request in flight (its ordering rule needs no more),
and each request runs on a thread pool of its own, so a receiver that takes its whole
10 s, or never answers, holds one thread and its own queue and nobody else's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from eventstore.fencing import Lease
from eventstore.lease_keeper import LeaseKeeper
from integration.relay import no_crash
from integration.webhooks.deliveries import Deliveries, Delivery
from integration.webhooks.fanout import FanOut
from integration.webhooks.sender import TIMEOUT_S, attempt, retry_delay
from integration.webhooks.subscriptions import Subscriptions

log = logging.getLogger("shop.webhooks")
UNIT = "webhooks"


@dataclass
class Policy:
    retry_base_s: float = 1.0
    max_attempts: int = 8
    timeout_s: float = TIMEOUT_S
    concurrency: int = 16  # subscriptions sent to at once
    poll_s: float = 0.2


@dataclass
class WebhookRunner:
    fan_out: FanOut
    subscriptions: Subscriptions
    deliveries: Deliveries
    policy: Policy
    leases: LeaseKeeper | None = None  # set: work only while holding the `webhooks` lease
    closers: list[Any] = field(default_factory=list)
    crash: Callable[[str], None] = no_crash  # the drills' hook at each step boundary

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(self.policy.concurrency, thread_name_prefix="webhook")
        self._client = httpx.Client(follow_redirects=False)
        self._in_flight: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.leases is not None:
            self.leases.start()
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:  # the name `api.factory.Service` and the supervisors use
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.policy.timeout_s + 5)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._client.close()
        if self.leases is not None:
            self.leases.stop()
        for closer in reversed(self.closers):
            closer()
        self.closers.clear()

    def run_until_idle(self, timeout_s: float = 60.0) -> None:
        """Tick until nothing is due and nothing is in flight (tests, without `start`)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            moved = self.tick()
            in_flight = list(self._in_flight.values())
            for future in in_flight:
                future.result()
            if not moved and not in_flight:
                return
        raise TimeoutError(f"webhooks still busy after {timeout_s} s")

    def tick(self) -> bool:
        """One fan-out batch and every due delivery sent off; whether anything happened."""
        leases = self._leases()
        if leases is None:
            return False
        read = self.fan_out.step(leases)
        with self._lock:
            busy = set(self._in_flight)
        due = self.deliveries.due(time.time(), busy)
        targets = self.subscriptions.targets() if due else {}
        for delivery in due:
            if delivery.webhook_id in targets:
                self._send(delivery, *targets[delivery.webhook_id])
        return bool(read or due)

    def _leases(self) -> list[Lease] | None:
        """The leases to act under: none needed in process, else ours or None (wait)."""
        if self.leases is None:
            return []
        lease = self.leases.lease(UNIT)
        return None if lease is None else [lease]

    def _send(self, delivery: Delivery, url: str, secret: str) -> None:
        with self._lock:
            self._in_flight[delivery.webhook_id] = self._pool.submit(
                self._deliver, delivery, url, secret
            )

    def _deliver(self, delivery: Delivery, url: str, secret: str) -> None:
        try:
            outcome = attempt(self._client, delivery, url, secret, self.policy.timeout_s)
            self.crash("webhooks: posted")
            made = delivery.attempts + 1
            dead = outcome.error is not None and made >= self.policy.max_attempts
            retry_at = time.time() + retry_delay(self.policy.retry_base_s, made)
            self.deliveries.settle(delivery, outcome.code, outcome.error, retry_at, dead)
            self.crash("webhooks: recorded")
        except Exception:  # the state database is away: the row stays due, tried again
            log.exception("webhook delivery %s not recorded", delivery.delivery_id)
        finally:
            with self._lock:
                self._in_flight.pop(delivery.webhook_id, None)
            self._wake.set()  # the subscription's next delivery may go now

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the store is away: try again at the next tick
                log.exception("webhook tick failed")
            self._wake.wait(self.policy.poll_s)
            self._wake.clear()
