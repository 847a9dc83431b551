"""One delivery attempt: a signed POST of the event's exact bytes, and what came of it."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from integration.webhooks.deliveries import Delivery
from integration.webhooks.signature import sign

TIMEOUT_S = 10.0  # a 2xx must come within this; anything slower is a failed attempt
BACKOFF_CAP_S = 3600.0  # no wait between attempts grows past an hour


@dataclass(frozen=True)
class Outcome:
    code: int | None  # the receiver's status, None when none came (timeout, refused)
    error: str | None  # None: acknowledged


def attempt(
    client: httpx.Client, delivery: Delivery, url: str, secret: str, timeout_s: float = TIMEOUT_S
) -> Outcome:
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "shop-webhooks/1",
        "X-Shop-Event-Id": delivery.event_id,
        "X-Shop-Event-Type": delivery.type,
        "X-Shop-Signature": sign(secret, body, int(time.time())),
    }
    try:
        # No redirects: a 3xx is not an acknowledgement, and a secret-signed body should
        # not follow a Location to wherever it points.
        response = client.post(url, content=body, headers=headers, timeout=timeout_s)
    except httpx.HTTPError as failure:
        return Outcome(None, f"{type(failure).__name__}: {failure}")
    if 200 <= response.status_code < 300:
        return Outcome(response.status_code, None)
    return Outcome(response.status_code, f"HTTP {response.status_code}")


def retry_delay(base_s: float, attempts: int) -> float:
    """The wait after the `attempts`-th failed attempt: base, 2 base, 4 base, ..., capped."""
    return float(min(base_s * 2 ** (attempts - 1), BACKOFF_CAP_S))
