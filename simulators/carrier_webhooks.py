"""How the simulated carrier tells the shop where a parcel is: a signed webhook POST, sent
on demand or by the auto-advance thread (in transit, then delivered)."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from adapters.carrier_signature import sign
from simulators.carrier_records import CarrierRecords

log = logging.getLogger("shop.simulate.carrier")
SIGNATURE_HEADER = "X-Carrier-Signature"


class Webhook:
    """POSTs parcel events to one URL, signed with one secret, retried a few times."""

    def __init__(self, url: str, secret: str, attempts: int = 3, timeout_s: float = 5.0) -> None:
        self.url, self.secret, self.attempts, self.timeout_s = url, secret, attempts, timeout_s

    def send(self, tracking_number: str, status: str) -> dict[str, Any]:
        """The event sent, with the receiver's last HTTP status (None: it never answered)."""
        event = {
            "event_id": str(uuid.uuid4()),
            "tracking_number": tracking_number,
            "status": status,
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        body = json.dumps(event).encode()
        code = self._deliver(body)
        if code is None or code >= 300:
            log.warning("webhook %s for %s: not delivered (%s)", status, tracking_number, code)
        return {**event, "status_code": code}

    def _deliver(self, body: bytes) -> int | None:
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, self.secret)}
        code: int | None = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(0.2 * 2 ** (attempt - 1))
            code = self._post(body, headers)
            if code is not None and code < 500:  # a refusal (401, 400) will not change on retry
                return code
        return code

    def _post(self, body: bytes, headers: dict[str, str]) -> int | None:
        try:
            return httpx.post(
                self.url, content=body, headers=headers, timeout=self.timeout_s
            ).status_code
        except httpx.HTTPError:
            return None


class Advancer:
    """Moves each handed-over parcel on by itself after `every_s` seconds standing still."""

    def __init__(self, records: CarrierRecords, webhook: Webhook | None, every_s: float) -> None:
        self.records, self.webhook, self.every_s = records, webhook, every_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="carrier-advance", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=10)

    def advance(self) -> None:
        for tracking_number, status in self.records.due(self.every_s):
            # The parcel moves whether or not the shop hears of it, as a real one would.
            self.records.moved(tracking_number, status)
            if self.webhook is not None:
                self.webhook.send(tracking_number, status)

    def _run(self) -> None:
        while not self._stopped.wait(min(0.5, self.every_s / 4)):
            try:
                self.advance()
            except Exception:  # a locked file or a bug must not stop the demo for good
                log.exception("carrier auto-advance failed; trying again")
