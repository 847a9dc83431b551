"""Who holds which lease, read from `shop_leases` the way the workers see it, and how long
a dead or stalled holder's units take to reach another worker.

A holder id is `host:pid:tag` (`eventstore.lease_keeper.worker_id`), so the drill finds a
process's leases by its pid. A takeover counts once another worker holds the unit at a
higher epoch: a release (holder "", epoch kept) or a renewal by the old holder does not.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from eventstore.leases import LeaseTable


def holder_pid(holder: str) -> int | None:
    parts = holder.split(":")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


@dataclass(frozen=True)
class Holding:
    holder: str
    epoch: int


class LeaseWatch:
    """The rows of one lease group (`saga:` or `projections:`)."""

    def __init__(self, table: LeaseTable, group: str) -> None:
        self.table, self.prefix = table, f"{group}:"

    def now(self) -> dict[str, Holding]:
        return {
            row["name"]: Holding(row["holder"], int(row["epoch"]))
            for row in self.table.rows(self.prefix)
            if row["seconds_left"] > 0  # an expired row is held by nobody
        }

    def held_by(self, pid: int) -> dict[str, Holding]:
        return {name: h for name, h in self.now().items() if holder_pid(h.holder) == pid}

    def wait_for_holders(self, pids: set[int], units: int, timeout_s: float) -> None:
        """Until every one of `units` leases is held by one of `pids` (the run has settled)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            rows = self.now()
            if len(rows) == units and all(holder_pid(h.holder) in pids for h in rows.values()):
                return
            time.sleep(0.05)
        raise AssertionError(f"{self.prefix} leases not all held by {pids}: {self.now()}")

    def takeover(
        self, lost: dict[str, Holding], since: float, timeout_s: float, others: bool = True
    ) -> dict[str, float]:
        """Seconds from `since` (monotonic) until each unit in `lost` was held at a higher
        epoch by another worker (`others`) or by anyone; raises naming those never taken."""
        moved: dict[str, float] = {}
        deadline = since + timeout_s
        while len(moved) < len(lost) and time.monotonic() < deadline:
            rows = self.now()
            for name, before in lost.items():
                after = rows.get(name)
                if name not in moved and after and taken_from(before, after, others):
                    moved[name] = time.monotonic() - since
            time.sleep(0.02)
        stuck = sorted(set(lost) - set(moved))
        assert not stuck, f"not taken over within {timeout_s:.1f} s: {stuck} {self.now()}"
        return moved


def taken_from(before: Holding, after: Holding, others: bool = True) -> bool:
    holder_ok = after.holder not in ("", before.holder) if others else after.holder != ""
    return holder_ok and after.epoch > before.epoch


def sqlite_writes_blocked(path: Path, tries: int = 3) -> bool:
    """Whether no process can take the SQLite file's write lock: a running writer holds
    it for milliseconds, so only a stopped one keeps it through every try."""
    for _ in range(tries):
        conn = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            time.sleep(0.2)
        finally:
            conn.close()
    return True
