"""The payment gateway port, its simulated adapter, and capture with bounded retries.

The simulator keeps its ledger in a SQLite file, like a real gateway keeps its own: a saga
worker killed mid-call finds the gateway's answer there when it asks again (`lookup`).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from commands.simulated_refunds import SimulatedRefunds

CAPTURED, DECLINED, PENDING = "captured", "declined", "pending"
FLAKY_FAILURES = 2


@dataclass(frozen=True)
class GatewayAnswer:
    status: str  # captured | declined | pending (no answer yet)
    reference: str | None = None
    reason: str | None = None


class TransientGatewayError(Exception):
    """The gateway could not take the request (network, 5xx): nothing was captured."""


class PaymentGateway(Protocol):
    def capture(
        self, payment_id: str, amount: int, currency: str, token: str, idempotency_key: str
    ) -> GatewayAnswer:
        """Capture once per idempotency key; a repeat returns the first answer."""

    def lookup(self, payment_id: str) -> GatewayAnswer | None:
        """The gateway's answer so far, or None if it never took a capture for it."""

    def refund(self, payment_id: str, amount: int, idempotency_key: str) -> None:
        """Give back `amount` of a capture, once per idempotency key."""

    def lookup_refund(self, idempotency_key: str) -> bool:
        """Whether the gateway took a refund under this key."""


def capture_with_retries(
    gateway: PaymentGateway,
    payment_id: str,
    amount: int,
    currency: str,
    token: str,
    attempts: int = 5,
    base_delay_s: float = 0.02,
    max_delay_s: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> GatewayAnswer | None:
    """Retry transient failures with doubling, capped delays; None if every attempt failed.

    The payment id is the idempotency key, so even a retry of a request that did reach
    the gateway cannot capture twice.
    """
    for attempt in range(attempts):
        try:
            return gateway.capture(payment_id, amount, currency, token, payment_id)
        except TransientGatewayError:
            if attempt + 1 < attempts:
                sleep(min(max_delay_s, base_delay_s * 2**attempt))
    return None


_SCHEMA = """CREATE TABLE IF NOT EXISTS sim_payments (
    payment_id TEXT PRIMARY KEY, token TEXT NOT NULL, amount INTEGER NOT NULL,
    status TEXT, reference TEXT, reason TEXT, requests INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0, captures INTEGER NOT NULL DEFAULT 0,
    repeats INTEGER NOT NULL DEFAULT 0)"""


class SimulatedGateway(SimulatedRefunds):
    """Answers by card token: tok_ok captures, tok_declined declines, tok_timeout never
    answers (until `deliver_late_captures`), tok_flaky fails transiently twice, then
    captures. Counts requests, captures and repeats per payment for the tests."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            str(path), timeout=30, isolation_level=None, check_same_thread=False
        )
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # survives a killed process
            self._db.execute(_SCHEMA)

    def capture(
        self, payment_id: str, amount: int, currency: str, token: str, idempotency_key: str
    ) -> GatewayAnswer:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                answer = self._capture(idempotency_key, amount, token)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        if answer is None:
            raise TransientGatewayError(f"simulated outage for {payment_id}")
        return answer

    def _capture(self, key: str, amount: int, token: str) -> GatewayAnswer | None:
        self._db.execute(
            "INSERT OR IGNORE INTO sim_payments (payment_id, token, amount) VALUES (?, ?, ?)",
            (key, token, amount),
        )
        self._bump(key, "requests")
        known = self._answer(key)
        if known is not None:  # the idempotency key again: the first answer, nothing new
            self._bump(key, "repeats")
            return known
        failures = self._db.execute(
            "SELECT failures FROM sim_payments WHERE payment_id = ?", (key,)
        ).fetchone()[0]
        if token == "tok_flaky" and failures < FLAKY_FAILURES:
            self._bump(key, "failures")
            return None
        return self._settle(key, token)

    def _settle(self, key: str, token: str) -> GatewayAnswer:
        if token in ("tok_ok", "tok_flaky"):
            status, reference, reason = CAPTURED, f"sim_{key}", None
        elif token == "tok_timeout":
            status, reference, reason = PENDING, None, None
        else:
            reason = "card_declined" if token == "tok_declined" else "unknown_token"
            status, reference = DECLINED, None
        self._db.execute(
            "UPDATE sim_payments SET status = ?, reference = ?, reason = ?, captures = captures"
            " + ? WHERE payment_id = ?",
            (status, reference, reason, int(status == CAPTURED), key),
        )
        return GatewayAnswer(status, reference, reason)

    def lookup(self, payment_id: str) -> GatewayAnswer | None:
        with self._lock:
            return self._answer(payment_id)

    def _answer(self, key: str) -> GatewayAnswer | None:
        row = self._db.execute(
            "SELECT status, reference, reason FROM sim_payments WHERE payment_id = ?", (key,)
        ).fetchone()
        return None if row is None or row[0] is None else GatewayAnswer(*row)

    def _bump(self, key: str, column: str) -> None:
        sql = f"UPDATE sim_payments SET {column} = {column} + 1 WHERE payment_id = ?"
        self._db.execute(sql, (key,))

    def deliver_late_captures(self) -> list[tuple[str, str]]:
        """Capture every pending payment now; (payment id, reference) of each, for a webhook."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            rows = self._db.execute(
                "SELECT payment_id FROM sim_payments WHERE status = ?", (PENDING,)
            ).fetchall()
            for (key,) in rows:
                self._db.execute(
                    "UPDATE sim_payments SET status = ?, reference = ?, captures = captures + 1"
                    " WHERE payment_id = ?",
                    (CAPTURED, f"sim_{key}_late", key),
                )
            self._db.execute("COMMIT")
        return [(key, f"sim_{key}_late") for (key,) in rows]

    def counts(self, payment_id: str) -> dict[str, int]:
        """requests, failures, captures and repeats seen for one payment (zeros if none)."""
        with self._lock:
            row = self._db.execute(
                "SELECT requests, failures, captures, repeats FROM sim_payments"
                " WHERE payment_id = ?",
                (payment_id,),
            ).fetchone()
        names = ("requests", "failures", "captures", "repeats")
        return dict(zip(names, row or (0, 0, 0, 0), strict=True))

    def close(self) -> None:
        with self._lock:
            self._db.close()
