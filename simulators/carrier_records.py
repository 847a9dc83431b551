"""What the simulated carrier service keeps beside its labels: the ledger of every label
request it received (`GET /ledger`, so a drill counts them) and where each parcel is."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from commands.sqlite_file import open_state_file

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS carrier_ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, order_id TEXT NOT NULL, shipment_id TEXT NOT NULL,
    tracking_number TEXT, idempotency_key TEXT NOT NULL, received_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS carrier_parcels (
    tracking_number TEXT PRIMARY KEY, status TEXT NOT NULL, moved_at REAL NOT NULL)""",
)
LABELLED, PICKED_UP, IN_TRANSIT, DELIVERED = "LABELLED", "PICKED_UP", "IN_TRANSIT", "DELIVERED"
NEXT_STATUS = {PICKED_UP: IN_TRANSIT, IN_TRANSIT: DELIVERED}  # how a parcel moves by itself
_LEDGER_COLUMNS = ("order_id", "shipment_id", "tracking_number", "idempotency_key", "received_at")


class CarrierRecords:
    """One SQLite file; `moved_at` is wall-clock time, so a restarted service goes on."""

    def __init__(self, path: Path | str) -> None:
        self._db = open_state_file(path, *_SCHEMA)
        self._lock = threading.Lock()

    def record_request(
        self, order_id: str, shipment_id: str, tracking_number: str | None, key: str
    ) -> None:
        received = datetime.now(UTC).isoformat()
        self._run(
            "INSERT INTO carrier_ledger (order_id, shipment_id, tracking_number,"
            " idempotency_key, received_at) VALUES (?, ?, ?, ?, ?)",
            (order_id, shipment_id, tracking_number, key, received),
        )

    def ledger(self, order_id: str | None) -> list[dict[str, Any]]:
        where, args = ("WHERE order_id = ?", (order_id,)) if order_id else ("", ())
        columns = ", ".join(_LEDGER_COLUMNS)
        rows = self._run(f"SELECT {columns} FROM carrier_ledger {where} ORDER BY seq", args)
        return [dict(zip(_LEDGER_COLUMNS, row, strict=True)) for row in rows]

    def labelled(self, tracking_number: str) -> None:
        """A parcel with a label, waiting for pick-up (a repeat changes nothing)."""
        self._run(
            "INSERT OR IGNORE INTO carrier_parcels VALUES (?, ?, ?)",
            (tracking_number, LABELLED, time.time()),
        )

    def picked_up(self, tracking_number: str) -> None:
        """Only a labelled parcel: a repeated hand-over does not set a moving parcel back."""
        self._run(
            "UPDATE carrier_parcels SET status = ?, moved_at = ?"
            " WHERE tracking_number = ? AND status = ?",
            (PICKED_UP, time.time(), tracking_number, LABELLED),
        )

    def moved(self, tracking_number: str, status: str) -> None:
        self._run(
            "UPDATE carrier_parcels SET status = ?, moved_at = ? WHERE tracking_number = ?",
            (status, time.time(), tracking_number),
        )

    def known(self, tracking_number: str) -> bool:
        found = self._run(
            "SELECT 1 FROM carrier_parcels WHERE tracking_number = ?", (tracking_number,)
        )
        return bool(found)

    def due(self, after_s: float) -> list[tuple[str, str]]:
        """(tracking number, next status) of each parcel that has stood still `after_s`."""
        rows = self._run(
            "SELECT tracking_number, status FROM carrier_parcels"
            " WHERE status IN (?, ?) AND moved_at <= ? ORDER BY moved_at",
            (*NEXT_STATUS, time.time() - after_s),
        )
        return [(tracking, NEXT_STATUS[status]) for tracking, status in rows]

    def _run(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()
