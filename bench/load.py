"""Open-loop load on the HTTP API: orders sent at a fixed offered rate, whatever the replies.

Latency is measured from when a request was *due*, not when it was sent, so a slow server
cannot hide its queueing by slowing the generator down (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson

from bench.http import HttpError, Pool

HOT_SKUS = 3  # a few skus take most of the orders, as in a real shop
ADDRESS = {"name": "Bench", "line1": "1 Main St", "city": "Seoul", "postal_code": "04524"}


@dataclass
class Catalog:
    skus: list[str]
    coupon: str


@dataclass
class LoadResult:
    offered_rate: float
    seconds: float
    sent: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (t since start, ms)
    order_ids: list[str] = field(default_factory=list)
    error_statuses: dict[int, int] = field(default_factory=dict)  # 0: no HTTP answer


def random_order(catalog: Catalog, rng: random.Random) -> dict[str, Any]:
    lines: list[dict[str, Any]] = []
    for sku in rng.sample(catalog.skus, rng.randint(1, 3)):
        if rng.random() < 0.5:
            sku = catalog.skus[rng.randrange(HOT_SKUS)]
        if all(line["sku"] != sku for line in lines):
            lines.append({"sku": sku, "quantity": rng.randint(1, 2)})
    body: dict = {
        "lines": lines,
        "payment": {"token": "tok_declined" if rng.random() < 0.1 else "tok_ok"},
        "shipping_address": ADDRESS,  # so the fulfilment labels every confirmed order
    }
    if rng.random() < 0.2:
        body["coupon_code"] = catalog.coupon
    return body


async def _place(
    pool: Pool, token: str, body: dict, due: float, start: float, result: LoadResult
) -> None:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    try:
        status, answer = await pool.post("/orders", orjson.dumps(body), headers)
    except HttpError:
        status = 0
    ok = status == 202
    latency_ms = (time.perf_counter() - due) * 1000
    result.latencies_ms.append(latency_ms)
    result.timeline.append((due - start, latency_ms))
    if ok:
        result.order_ids.append(orjson.loads(answer)["order_id"])
    else:
        result.errors += 1
        result.error_statuses[status] = result.error_statuses.get(status, 0) + 1


async def run_open_loop(
    base_url: str, tokens: list[str], catalog: Catalog, rate: float, seconds: float, seed: int = 7
) -> LoadResult:
    rng, result = random.Random(seed), LoadResult(rate, seconds)
    pool = Pool(base_url, size=256)
    start, tasks = time.perf_counter(), []
    for i in range(int(rate * seconds)):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        body = random_order(catalog, rng)
        token = tokens[i % len(tokens)]
        tasks.append(asyncio.create_task(_place(pool, token, body, due, start, result)))
        result.sent += 1
    await asyncio.gather(*tasks)
    await pool.close()
    return result
