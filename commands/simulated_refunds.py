"""Refunds at the simulated gateway: taken once per idempotency key, counted for drills.

A mixin of `SimulatedGateway`, sharing its SQLite file and lock, so a capture and the
refunds of one payment sit in one ledger like at a real provider.
"""

from __future__ import annotations

import sqlite3
import threading

REFUNDS_SCHEMA = """CREATE TABLE IF NOT EXISTS sim_refunds (
    idempotency_key TEXT PRIMARY KEY, payment_id TEXT NOT NULL, amount INTEGER NOT NULL,
    requests INTEGER NOT NULL DEFAULT 1)"""


class SimulatedRefunds:
    _db: sqlite3.Connection
    _lock: threading.Lock

    def refund(self, payment_id: str, amount: int, idempotency_key: str) -> None:
        """Give back `amount` once per key; a repeat is counted and changes nothing."""
        with self._lock:
            self._db.execute(REFUNDS_SCHEMA)
            self._db.execute(
                "INSERT INTO sim_refunds (idempotency_key, payment_id, amount) VALUES (?, ?, ?)"
                " ON CONFLICT (idempotency_key) DO UPDATE SET requests = requests + 1",
                (idempotency_key, payment_id, amount),
            )

    def lookup_refund(self, idempotency_key: str) -> bool:
        with self._lock:
            self._db.execute(REFUNDS_SCHEMA)
            row = self._db.execute(
                "SELECT 1 FROM sim_refunds WHERE idempotency_key = ?", (idempotency_key,)
            ).fetchone()
        return row is not None

    def refunds(self, payment_id: str) -> list[tuple[str, int, int]]:
        """(key, amount, requests) of every refund of one payment, for the tests."""
        with self._lock:
            self._db.execute(REFUNDS_SCHEMA)
            rows = self._db.execute(
                "SELECT idempotency_key, amount, requests FROM sim_refunds"
                " WHERE payment_id = ? ORDER BY idempotency_key",
                (payment_id,),
            ).fetchall()
        return [(str(key), int(amount), int(requests)) for key, amount, requests in rows]
