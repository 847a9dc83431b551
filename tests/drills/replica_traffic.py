"""The replica drill's shop and customers, over HTTP against the command API.

Most lines go to a few hot skus with little stock, so orders run out of stock while
workers die; a coupon with a usage limit is tried by many orders, so its limit is reached
under the same churn. Card tokens are tok_ok, tok_declined and tok_timeout only: each
asks the provider once, so any second capture request in its ledger is the saga's doing
(tok_flaky's retried requests are by design).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field

import httpx

from tests.ops.server import token

HOT = ["HOT-1", "HOT-2", "HOT-3"]
COLD = ["COLD-1", "COLD-2"]
COLD_STOCK = 100_000
COUPON = "REPLICA"
TOKENS = ["tok_ok"] * 14 + ["tok_declined"] * 3 + ["tok_timeout"] * 2


@dataclass(frozen=True)
class Placed:
    order_id: str
    coupon: str | None


def admin() -> dict[str, str]:
    return {"Authorization": f"Bearer {token('admin', 'replica-admin')}"}


def seed(api: str, hot_stock: int, coupon_limit: int) -> dict[str, int]:
    """Products, their stock and the coupon; the stock received per sku."""
    received = dict.fromkeys(HOT, hot_stock) | dict.fromkeys(COLD, COLD_STOCK)
    with httpx.Client(base_url=api, headers=admin(), timeout=30) as client:
        for sku, quantity in received.items():
            product = {"sku": sku, "name": sku, "category": "tools", "brand": "Acme"}
            answer = client.post("/products", json=product | {"price": 1000, "currency": "EUR"})
            assert answer.status_code == 201, answer.text
            key = {"Idempotency-Key": f"receipt-{sku}"}
            answer = client.post(
                f"/inventory/{sku}/receipts", json={"quantity": quantity}, headers=key
            )
            assert answer.status_code == 202, answer.text
        coupon = {"code": COUPON, "kind": "percent", "value": 10, "max_redemptions": coupon_limit}
        answer = client.post("/coupons", json=coupon)
        assert answer.status_code == 201, answer.text
    return received


def order_body(rng: random.Random) -> tuple[dict[str, object], str | None]:
    skus = {
        rng.choice(HOT) if rng.random() < 0.85 else rng.choice(COLD)
        for _ in range(rng.choice((1, 1, 2)))
    }
    lines = [{"sku": sku, "quantity": rng.choice((1, 1, 2))} for sku in sorted(skus)]
    coupon = COUPON if rng.random() < 0.15 else None
    body = {"lines": lines, "payment": {"token": rng.choice(TOKENS)}, "coupon_code": coupon}
    return body, coupon


@dataclass
class Traffic:
    """A thread placing orders one after another, `pause_s` apart, until `stop()`."""

    api: str
    pause_s: float
    seed: int = 20261201
    placed: list[Placed] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="replica-traffic", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)

    def _run(self) -> None:
        rng = random.Random(self.seed)
        with httpx.Client(base_url=self.api, timeout=30) as client:
            number = 0
            while not self._stop.is_set():
                self._place(client, rng, number)
                number += 1
                self._stop.wait(self.pause_s)

    def _place(self, client: httpx.Client, rng: random.Random, number: int) -> None:
        body, coupon = order_body(rng)
        customer = f"replica-c{number % 40}"
        headers = {
            "Authorization": f"Bearer {token('customer', customer)}",
            "Idempotency-Key": f"replica-{number}",
        }
        try:
            answer = client.post("/orders", json=body, headers=headers)
        except httpx.HTTPError:  # the command API never goes away in this drill: count it
            self.statuses[0] += 1
            return
        self.statuses[answer.status_code] += 1
        if answer.status_code == 202:
            self.placed.append(Placed(answer.json()["order_id"], coupon))
