"""The simulated payment provider as an HTTP service (`shop simulate psp`).

It answers by card token like the in-process simulator it wraps (tok_ok captures,
tok_declined declines, tok_timeout never answers until `POST /late-captures`, tok_flaky
fails with a 503 twice, then captures), and keeps a ledger of every request it received,
so a drill counts captures where a real provider would see them: `GET /ledger`.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from commands.payment_gateway import SimulatedGateway, TransientGatewayError
from commands.sqlite_file import open_state_file
from simulators.orphans import stop_when_orphaned

_LEDGER = """CREATE TABLE IF NOT EXISTS psp_ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payment_id TEXT NOT NULL,
    order_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, amount INTEGER NOT NULL,
    received_at TEXT NOT NULL)"""


IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=1)]


class CaptureRequest(BaseModel):
    payment_id: str = Field(min_length=1, max_length=200)
    order_id: str = Field(min_length=1, max_length=200)
    amount: int = Field(ge=0)
    currency: str = Field(min_length=3, max_length=3)
    token: str = Field(min_length=1, max_length=200)


class RefundRequest(BaseModel):
    payment_id: str = Field(min_length=1, max_length=200)
    order_id: str = Field(min_length=1, max_length=200)
    amount: int = Field(ge=0)


class Ledger:
    """Every request as received, in a SQLite file beside the gateway's own state."""

    def __init__(self, path: Path | str) -> None:
        self._db = open_state_file(path, _LEDGER)
        self._lock = threading.Lock()

    def record(self, kind: str, payment_id: str, order_id: str, key: str, amount: int) -> None:
        received = datetime.now(UTC).isoformat()
        with self._lock:
            self._db.execute(
                "INSERT INTO psp_ledger (kind, payment_id, order_id, idempotency_key, amount,"
                " received_at) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, payment_id, order_id, key, amount, received),
            )

    def entries(self, payment_id: str | None) -> list[dict[str, Any]]:
        where, args = ("WHERE payment_id = ?", (payment_id,)) if payment_id else ("", ())
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, payment_id, order_id, idempotency_key, amount, received_at"
                f" FROM psp_ledger {where} ORDER BY seq",
                args,
            ).fetchall()
        names = ("kind", "payment_id", "order_id", "idempotency_key", "amount", "received_at")
        return [dict(zip(names, row, strict=True)) for row in rows]


def create_psp_app(data_dir: Path) -> FastAPI:
    data_dir.mkdir(parents=True, exist_ok=True)
    gateway = SimulatedGateway(data_dir / "psp-gateway.sqlite3")
    ledger = Ledger(data_dir / "psp-ledger.sqlite3")
    app = FastAPI(
        title="Simulated payment provider",
        docs_url=None,
        redoc_url=None,
        lifespan=stop_when_orphaned,
    )

    @app.post("/captures")
    def capture(body: CaptureRequest, key: IdempotencyKey) -> Any:
        ledger.record("capture", body.payment_id, body.order_id, key, body.amount)
        try:
            answer = gateway.capture(body.payment_id, body.amount, body.currency, body.token, key)
        except TransientGatewayError as outage:
            return JSONResponse({"error": str(outage)}, status_code=503)
        return answer.__dict__

    @app.get("/captures/{payment_id}")
    def lookup(payment_id: str) -> Any:
        answer = gateway.lookup(payment_id)
        if answer is None:
            return JSONResponse({"error": f"no capture for {payment_id}"}, status_code=404)
        return answer.__dict__

    @app.post("/refunds")
    def refund(body: RefundRequest, key: IdempotencyKey) -> dict[str, str]:
        ledger.record("refund", body.payment_id, body.order_id, key, body.amount)
        gateway.refund(body.payment_id, body.amount, key)  # once per key
        return {"status": "refunded"}

    @app.get("/refunds/{key}")
    def refund_lookup(key: str) -> Any:
        if not gateway.lookup_refund(key):
            return JSONResponse({"error": f"no refund under {key}"}, status_code=404)
        return {"status": "refunded"}

    @app.get("/ledger")
    def entries(payment_id: Annotated[str | None, Query()] = None) -> list[dict[str, Any]]:
        return ledger.entries(payment_id)

    @app.post("/late-captures")
    def late_captures() -> list[dict[str, str]]:
        """Answer every capture still pending now (what a provider's late webhook reports)."""
        delivered = gateway.deliver_late_captures()
        return [{"payment_id": pid, "reference": ref} for pid, ref in delivered]

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
