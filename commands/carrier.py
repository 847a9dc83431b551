"""The carrier port, bounded retries, and the simulated carrier's rules.

The rules live here once: the in-process `SimulatedCarrier` and the `shop simulate carrier`
service (which wraps it) answer alike. The simulator keeps its labels in a SQLite file, like
a real carrier keeps its own: a worker killed mid-call finds the label there when it asks
again (`lookup_label`).
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from commands.sqlite_file import open_state_file

CREATED, REFUSED = "created", "refused"
UNDELIVERABLE_POSTAL_CODE = "00000"
T = TypeVar("T")


@dataclass(frozen=True)
class Label:
    status: str  # CREATED | REFUSED
    tracking_number: str | None = None
    reason: str | None = None


class TransientCarrierError(Exception):
    """network, timeout, 5xx: nothing known to have happened"""


class Carrier(Protocol):
    name: str  # shown in views as the shipment's carrier, e.g. "simulated"

    def create_label(
        self, shipment_id: str, order_id: str, address: dict[str, Any] | None, idempotency_key: str
    ) -> Label:
        """One label per shipment: a repeat returns the first answer."""

    def lookup_label(self, shipment_id: str) -> Label | None:
        """The label so far, or None if the carrier never took a label request for it."""

    def void_label(self, shipment_id: str, idempotency_key: str) -> None:
        """Idempotent; voiding an unknown label is a no-op."""

    def hand_over(self, shipment_id: str, idempotency_key: str) -> None:
        """The parcel was dispatched (picked up); idempotent."""


def with_retries(
    call: Callable[[], T],
    attempts: int = 5,
    base_delay_s: float = 0.05,
    max_delay_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    transient: tuple[type[Exception], ...] = (TransientCarrierError,),
) -> T:
    """`call()`, retrying `transient` failures (the carrier's, by default) with doubling,
    capped delays; the last failure is raised when every attempt failed."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(attempts - 1):
        try:
            return call()
        except transient:
            sleep(min(max_delay_s, base_delay_s * 2**attempt))
    return call()


def refusal(address: dict[str, Any] | None) -> str | None:
    """Why the carrier will not take a parcel to this address, or None if it will."""
    if address is None:
        return "no shipping address"
    if str(address.get("postal_code", "")).strip() == UNDELIVERABLE_POSTAL_CODE:
        return "undeliverable address"
    return None


def new_tracking_number() -> str:
    """Random, so a carrier started afresh never reissues a number a shop already holds."""
    return "SIM" + secrets.token_hex(6).upper()


_SCHEMA = """CREATE TABLE IF NOT EXISTS sim_labels (
    shipment_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, status TEXT NOT NULL,
    tracking_number TEXT UNIQUE, reason TEXT, state TEXT NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0)"""


class SimulatedCarrier:
    """Labels by the rules above; `state` tells labelled, voided or picked up, and
    `requests` counts the label requests per shipment, for the tests."""

    name = "simulated"

    def __init__(self, path: Path | str = ":memory:") -> None:
        self._db = open_state_file(path, _SCHEMA)
        self._lock = threading.Lock()

    def create_label(
        self, shipment_id: str, order_id: str, address: dict[str, Any] | None, idempotency_key: str
    ) -> Label:
        with self._lock:
            self._insert(shipment_id, order_id, refusal(address))
            self._db.execute(
                "UPDATE sim_labels SET requests = requests + 1 WHERE shipment_id = ?",
                (shipment_id,),
            )
            label = self._label(shipment_id)
        assert label is not None
        return label

    def lookup_label(self, shipment_id: str) -> Label | None:
        with self._lock:
            return self._label(shipment_id)

    def void_label(self, shipment_id: str, idempotency_key: str) -> None:
        self._set_state(shipment_id, "voided")

    def hand_over(self, shipment_id: str, idempotency_key: str) -> None:
        self._set_state(shipment_id, "picked_up")

    def state(self, shipment_id: str) -> str | None:
        """labelled, voided or picked_up; None for a shipment it never labelled."""
        state = self._column(shipment_id, "state")
        return None if state is None else str(state)

    def requests(self, shipment_id: str) -> int:
        """How many label requests it took for this shipment, repeats included."""
        return int(self._column(shipment_id, "requests") or 0)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _insert(self, shipment_id: str, order_id: str, reason: str | None) -> None:
        """The first answer for a shipment; a repeat keeps it (same tracking number)."""
        for _ in range(3):  # a random number already issued is rare; a fresh one fixes it
            tracking = None if reason else new_tracking_number()
            try:
                self._db.execute(
                    "INSERT INTO sim_labels (shipment_id, order_id, status, tracking_number,"
                    " reason, state) VALUES (?, ?, ?, ?, ?, 'labelled')"
                    " ON CONFLICT (shipment_id) DO NOTHING",
                    (shipment_id, order_id, REFUSED if reason else CREATED, tracking, reason),
                )
                return
            except sqlite3.IntegrityError:
                continue
        raise TransientCarrierError(f"no free tracking number for {shipment_id}")

    def _set_state(self, shipment_id: str, state: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE sim_labels SET state = ? WHERE shipment_id = ? AND status = ?",
                (state, shipment_id, CREATED),
            )

    def _label(self, shipment_id: str) -> Label | None:
        row = self._db.execute(
            "SELECT status, tracking_number, reason FROM sim_labels WHERE shipment_id = ?",
            (shipment_id,),
        ).fetchone()
        return None if row is None else Label(*row)

    def _column(self, shipment_id: str, column: str) -> Any:
        with self._lock:
            row = self._db.execute(
                f"SELECT {column} FROM sim_labels WHERE shipment_id = ?", (shipment_id,)
            ).fetchone()
        return None if row is None else row[0]
