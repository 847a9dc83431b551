"""An admin, customers and the carrier speaking to a live `shop serve` over HTTP."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from adapters.carrier_signature import sign
from tests.e2e.server import ShopServer

ADDRESS = {
    "name": "Kim",
    "line1": "1 Main St",
    "city": "Seoul",
    "postal_code": "04524",
    "country": "KR",
}


class FulfilmentClient:
    def __init__(self, server: ShopServer, secret: str) -> None:
        self.server, self.secret = server, secret
        self.http = httpx.Client(base_url=server.url, timeout=10)
        self.admin = server.headers("admin", "ops")

    def close(self) -> None:
        self.http.close()

    def customer(self, name: str) -> dict[str, str]:
        return self.server.headers("customer", name)

    # The admin

    def product(self, sku: str, price: int, stock: int) -> None:
        body = {
            "sku": sku,
            "name": sku,
            "description": "",
            "category": "home",
            "brand": "Lumo",
            "price": price,
            "currency": "KRW",
        }
        assert self.http.post("/products", json=body, headers=self.admin).status_code == 201
        receipt = {"quantity": stock}
        answer = self.http.post(f"/inventory/{sku}/receipts", json=receipt, headers=self.admin)
        assert answer.status_code == 202, answer.text

    def coupon(self, code: str, percent: int) -> None:
        body = {"code": code, "kind": "percent", "value": percent}
        assert self.http.post("/coupons", json=body, headers=self.admin).status_code == 201

    def dispatch(self, shipment_id: str) -> httpx.Response:
        return self.http.post(f"/shipments/{shipment_id}/dispatch", headers=self.admin)

    def decide(self, return_id: str, decision: str) -> httpx.Response:
        body = {"reason": "worn"} if decision == "reject" else None
        return self.http.post(f"/returns/{return_id}/{decision}", json=body, headers=self.admin)

    # Customers

    def order(self, who: str, lines: dict[str, int], address: Any = ADDRESS, **extra: Any) -> str:
        body = {
            "lines": [{"sku": s, "quantity": q} for s, q in lines.items()],
            "payment": {"token": "tok_ok"},
            "shipping_address": address,
            **extra,
        }
        headers = {**self.customer(who), "Idempotency-Key": str(uuid4())}
        placed = self.http.post("/orders", json=body, headers=headers)
        assert placed.status_code == 202, placed.text
        return str(placed.json()["order_id"])

    def cancel(self, who: str, order_id: str) -> httpx.Response:
        return self.http.post(f"/orders/{order_id}/cancel", headers=self.customer(who))

    def ask_return(
        self, who: str, order_id: str, kind: str, lines: dict[str, int], key: str | None = None
    ) -> httpx.Response:
        body = {
            "kind": kind,
            "lines": [{"sku": s, "quantity": q} for s, q in lines.items()],
            "reason": "did not fit",
        }
        headers = {**self.customer(who), "Idempotency-Key": key or str(uuid4())}
        return self.http.post(f"/orders/{order_id}/returns", json=body, headers=headers)

    # The carrier

    def report(
        self,
        tracking: str,
        status: str,
        event_id: str | None = None,
        days_ago: float = 0,
        signature: str | None = "good",
    ) -> httpx.Response:
        at = datetime.now(UTC) - timedelta(days=days_ago)
        body = json.dumps(
            {
                "event_id": event_id or str(uuid4()),
                "tracking_number": tracking,
                "status": status,
                "occurred_at": at.isoformat(),
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "good":
            headers["X-Carrier-Signature"] = sign(body, self.secret)
        elif signature is not None:
            headers["X-Carrier-Signature"] = signature
        return self.http.post("/carrier/events", content=body, headers=headers)

    # What the shop and the outside world say

    def view(self, order_id: str, who: str = "alice") -> dict[str, Any]:
        answer = self.http.get(f"/orders/{order_id}", headers=self.customer(who))
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def wait(
        self, order_id: str, check: Any, who: str = "alice", timeout_s: float = 30
    ) -> dict[str, Any]:
        """The order's view once `check(view)` holds."""
        deadline, view = time.monotonic() + timeout_s, dict[str, Any]()
        while time.monotonic() < deadline:
            answer = self.http.get(f"/orders/{order_id}", headers=self.customer(who))
            view = dict(answer.json()) if answer.status_code == 200 else {}  # 404: not yet there
            if view and check(view):
                return view
            time.sleep(0.1)
        raise AssertionError(f"order {order_id} never got there: {view}")

    def shipped_as(self, order_id: str, status: str, who: str = "alice") -> dict[str, Any]:
        return self.wait(
            order_id, lambda v: (v.get("fulfilment") or {}).get("status") == status, who
        )

    def exchange_shipment(self, return_id: str, timeout_s: float = 30) -> dict[str, Any]:
        """The shipment an exchange ships under, once the shipments list shows it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            items = self.http.get("/shipments", headers=self.admin).json()["items"]
            found = [item for item in items if item["return_id"] == return_id]
            if found:
                return dict(found[0])
            time.sleep(0.1)
        raise AssertionError(f"no shipment for the exchange {return_id}")

    def simulator(self, name: str) -> str:
        workers = self.http.get("/ops/api/workers", headers=self.admin).json()
        rows = workers["workers"] if isinstance(workers, dict) else workers
        return str(next(row["url"] for row in rows if row["name"] == name))

    def labels_asked(self, order_id: str) -> int:
        ledger = httpx.get(f"{self.simulator('carrier')}/ledger", params={"order_id": order_id})
        return len(ledger.json())

    def refunds_sent(self, order_id: str) -> list[int]:
        ledger = httpx.get(
            f"{self.simulator('psp')}/ledger", params={"payment_id": f"payment-{order_id}"}
        ).json()
        return [entry["amount"] for entry in ledger if entry["kind"] == "refund"]
