"""What the replica drill does to its workers: SIGKILL one holding leases and start a new
one at once (what a platform does), or SIGSTOP a saga worker past its lease and SIGCONT it.

Before each blow the drill waits until every lease is held by a live worker, so each
takeover is measured from a settled cluster: from the signal to the moment another worker
holds each of the victim's units at a higher epoch.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from projections.registry import NAMES
from tests.drills.replica_cluster import Cluster, Worker, wait_up
from tests.drills.replica_leases import LeaseWatch

UNITS = {"saga": 4, "projections": len(NAMES)}  # SHOP_SAGA_PARTITIONS, and every projection


@dataclass(frozen=True)
class Takeover:
    what: str  # "kill saga-2", "stop saga-3"
    seconds: dict[str, float]  # unit -> seconds until another worker held it

    @property
    def worst(self) -> float:
        return max(self.seconds.values())


@dataclass
class Chaos:
    cluster: Cluster
    watches: dict[str, LeaseWatch]
    ttl_s: float
    rng: random.Random
    takeovers: list[Takeover] = field(default_factory=list)
    writes_blocked: Callable[[], bool] = lambda: False
    stalled: Worker | None = None
    blocked_writers: bool = False

    @property
    def bound_s(self) -> float:
        """Expiry after the last renewal, plus one tick of the worker that takes over."""
        return self.ttl_s + self.ttl_s / 3

    def settle(self, timeout_s: float = 60) -> None:
        for kind, watch in self.watches.items():
            pids = {w.pid for w in self.cluster.live(kind)}
            watch.wait_for_holders(pids, UNITS[kind], timeout_s)

    def victim(self, kind: str) -> Worker:
        """A worker of `kind` holding at least one lease (any of them, when settled)."""
        holders = [w for w in self.cluster.live(kind) if self.watches[kind].held_by(w.pid)]
        return self.rng.choice(holders)

    def kill(self, kind: str) -> Takeover:
        self.settle()
        victim = self.victim(kind)
        lost = self.watches[kind].held_by(victim.pid)
        killed_at = time.monotonic()
        self.cluster.kill(victim)
        replacement = self.cluster.start_worker(kind, wait=False)
        seconds = self.watches[kind].takeover(lost, killed_at, self.bound_s + 10)
        wait_up(replacement)
        return self._record(f"kill {victim.name}", seconds)

    def stall(self) -> Takeover:
        """SIGSTOP a saga worker for twice the lease time, then let it go on.

        Stopped inside a write transaction on SQLite, it holds the file's one write lock:
        no other process can renew, take over or append until it goes on, so then the
        takeover is measured from the SIGCONT until every partition is held again (the
        stalled worker may renew its own: nobody took them) and the stall is recorded as
        one that blocked every writer. On PostgreSQL the server ends a transaction it was
        stopped in after the lease time (`eventstore.leases.ending_stalled_transactions`).
        """
        self.settle()
        victim = self.stalled = self.victim("saga")
        lost = self.watches["saga"].held_by(victim.pid)
        stopped_at = time.monotonic()
        os.kill(victim.pid, signal.SIGSTOP)
        try:
            self.blocked_writers = self.writes_blocked()
            if not self.blocked_writers:
                seconds = self.watches["saga"].takeover(lost, stopped_at, self.bound_s + 10)
            time.sleep(max(0.0, stopped_at + 2 * self.ttl_s - time.monotonic()))
        finally:
            os.kill(victim.pid, signal.SIGCONT)
        if self.blocked_writers:  # every lease ran out; whoever writes first takes them
            went_on = time.monotonic()
            pids = {w.pid for w in self.cluster.live("saga")}
            self.watches["saga"].wait_for_holders(pids, UNITS["saga"], self.bound_s + 10)
            held_in = time.monotonic() - went_on
            return self._record(
                f"stop {victim.name} (all writers blocked)", dict.fromkeys(lost, held_in)
            )
        return self._record(f"stop {victim.name} for {2 * self.ttl_s:.0f} s", seconds)

    def run(self, until: float, pause_s: tuple[float, float]) -> None:
        """Kills, saga and projections in turn, with one stall after the second kill."""
        kinds = ["saga", "projections", "saga"]
        while time.monotonic() < until:
            if self.stalled is None and len(self.takeovers) == 2:
                self.stall()
            else:
                self.kill(kinds[len(self.takeovers) % len(kinds)])
            time.sleep(self.rng.uniform(*pause_s))

    def _record(self, what: str, seconds: dict[str, float]) -> Takeover:
        takeover = Takeover(what, seconds)
        self.takeovers.append(takeover)
        print(f"  {what}: {len(seconds)} units taken over in {takeover.worst:.2f} s {seconds}")
        return takeover
