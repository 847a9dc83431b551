"""Customers who retry, for the connection-drop drill: a fixed number of orders over HTTP,
each sent again with the same `Idempotency-Key` and body after a 503 or a lost
connection, as a real client would, until it is acknowledged (202).

Every answer is counted, retried ones too, so a single 500 anywhere shows. After each
acknowledged order the customer reads it back once from the query API (200, or 404 while
its view is behind), so the read side is under the same drops.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from tests.drills.replica_traffic import Placed, order_body
from tests.ops.server import token

GIVE_UP_S = 120.0  # one order retried this long means the shop never came back
RETRIED = (503,)


@dataclass(frozen=True)
class Failure:
    """One attempt that did not get an answer worth keeping: a 503 or a transport error."""

    at: float  # time.monotonic()
    what: str  # "503 store_unavailable", "RemoteProtocolError", ...


@dataclass
class RetryingTraffic:
    command_api: str
    query_api: str
    orders: int
    clients: int = 2
    pause_s: float = 0.02
    seed: int = 20261202
    placed: list[Placed] = field(default_factory=list)
    answers: Counter[int] = field(default_factory=Counter)  # every POST /orders answer
    reads: Counter[int] = field(default_factory=Counter)  # every GET /orders/{id} answer
    failures: list[Failure] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # order number -> final answer
    _numbers: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)  # one body per order number: a retry resends it
        self._bodies = [order_body(rng) for _ in range(self.orders)]
        self._numbers = list(range(self.orders - 1, -1, -1))

    @property
    def done(self) -> int:
        return len(self.placed) + len(self.refused)

    def start(self) -> None:
        for i in range(self.clients):
            thread = threading.Thread(target=self._run, name=f"drop-client-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def join(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert not any(t.is_alive() for t in self._threads), "clients still placing orders"

    def _take(self) -> int | None:
        with self._lock:
            return self._numbers.pop() if self._numbers else None

    def _run(self) -> None:
        with (
            httpx.Client(base_url=self.command_api, timeout=30) as writes,
            httpx.Client(base_url=self.query_api, timeout=30) as reads,
        ):
            while (number := self._take()) is not None:
                self._place(writes, reads, number)
                time.sleep(self.pause_s)

    def _place(self, writes: httpx.Client, reads: httpx.Client, number: int) -> None:
        body, coupon = self._bodies[number]
        customer = f"drop-c{number % 40}"
        auth = {"Authorization": f"Bearer {token('customer', customer)}"}
        headers = auth | {"Idempotency-Key": f"drop-{number}"}
        answer = self._until_answered(writes, body, headers)
        if answer.status_code != 202:
            self.refused[number] = f"{answer.status_code} {answer.text}"
            return
        order_id = answer.json()["order_id"]
        self.placed.append(Placed(order_id, coupon))
        self._read_back(reads, order_id, auth)

    def _until_answered(
        self, client: httpx.Client, body: dict[str, object], headers: dict[str, str]
    ) -> httpx.Response:
        """The first answer that is not a 503, sending the same request again meanwhile."""
        deadline = time.monotonic() + GIVE_UP_S
        while True:
            assert time.monotonic() < deadline, f"no answer but 503 for {GIVE_UP_S} s"
            try:
                answer = client.post("/orders", json=body, headers=headers)
            except httpx.TransportError as error:  # the connection went: same request again
                self._failed(type(error).__name__)
                time.sleep(0.2)
                continue
            self.answers[answer.status_code] += 1
            if answer.status_code not in RETRIED:
                return answer
            self._failed(f"{answer.status_code} {answer.json()['error']['code']}")
            time.sleep(float(answer.headers.get("Retry-After", "1")))

    def _read_back(self, client: httpx.Client, order_id: str, auth: dict[str, str]) -> None:
        try:
            answer = client.get(f"/orders/{order_id}", headers=auth)
        except httpx.TransportError as error:
            self._failed(f"read {type(error).__name__}")
            return
        self.reads[answer.status_code] += 1
        if answer.status_code == 503:
            self._failed(f"read 503 {answer.json()['error']['code']}")

    def _failed(self, what: str) -> None:
        with self._lock:
            self.failures.append(Failure(time.monotonic(), what))
