"""The carrier as a network service: `shop simulate carrier` over real HTTP, its ledger, and
the signed webhooks it posts to a small receiver run by the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.carrier_http import HttpCarrier
from adapters.carrier_signature import verified
from bench.server import free_port, terminate, wait_until_healthy
from commands.carrier import CREATED, REFUSED, Label

SHOP = str(Path(sys.executable).with_name("shop"))
SECRET = "carrier-test-secret"
ADVANCE_S = 0.5
ADDRESS = {"name": "Ada", "line1": "1 Main St", "city": "Busan", "postal_code": "48058"}


class Receiver(BaseHTTPRequestHandler):
    """The shop's /carrier/events, reduced to keeping what arrives (body, signature)."""

    received: list[tuple[bytes, str | None]] = []  # shared by the handler instances

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((body, self.headers.get("X-Carrier-Signature")))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/carrier/events"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, receiver: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "SHOP_DATA_DIR": str(tmp_path_factory.mktemp("carrier")),
        "SHOP_CARRIER_WEBHOOK_SECRET": SECRET,
        "SHOP_CARRIER_AUTO_ADVANCE_S": str(ADVANCE_S),
    }
    argv = [SHOP, "simulate", "carrier", "--port", str(port), "--webhook-url", receiver]
    process = subprocess.Popen(argv, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, timeout_s=30)
        yield url
    finally:
        assert terminate(process, 10) == 0  # SIGTERM stops it cleanly


@pytest.fixture
def carrier(service: str) -> Iterator[HttpCarrier]:
    adapter = HttpCarrier(service, timeout_s=5)
    yield adapter
    adapter.close()


def events_about(tracking_number: str | None, count: int, timeout_s: float) -> list[dict[str, Any]]:
    """The first `count` correctly signed webhook bodies about one parcel, waited for."""
    deadline = time.monotonic() + timeout_s
    while True:
        signed = [
            json.loads(body) for body, sig in list(Receiver.received) if verified(body, sig, SECRET)
        ]
        found = [event for event in signed if event["tracking_number"] == tracking_number]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_repeated_label_request_gets_the_first_label_and_both_are_in_the_ledger(
    service: str, carrier: HttpCarrier
) -> None:
    first = carrier.create_label("shipment-a1", "order-a1", ADDRESS, "label-a1")
    again = carrier.create_label("shipment-a1", "order-a1", ADDRESS, "label-a1")

    assert first == again
    assert first.status == CREATED
    ledger = httpx.get(f"{service}/ledger", params={"order_id": "order-a1"}).json()
    assert [(e["shipment_id"], e["tracking_number"]) for e in ledger] == [
        ("shipment-a1", first.tracking_number),
        ("shipment-a1", first.tracking_number),
    ]
    assert all(e["order_id"] == "order-a1" and e["received_at"] for e in ledger)


def test_undeliverable_and_missing_addresses_are_refused(carrier: HttpCarrier) -> None:
    nowhere = carrier.create_label(
        "shipment-r1", "order-r1", {**ADDRESS, "postal_code": "00000"}, "k"
    )
    missing = carrier.create_label("shipment-r2", "order-r2", None, "k")

    assert nowhere == Label(REFUSED, None, "undeliverable address")
    assert missing == Label(REFUSED, None, "no shipping address")
    assert carrier.lookup_label("shipment-r1") == nowhere


def test_an_unknown_label_is_404_and_voiding_it_does_nothing(
    service: str, carrier: HttpCarrier
) -> None:
    assert httpx.get(f"{service}/labels/shipment-none").status_code == 404
    assert carrier.lookup_label("shipment-none") is None
    carrier.void_label("shipment-none", "void-none")
    assert carrier.lookup_label("shipment-none") is None


def test_a_parcel_event_on_demand_arrives_signed(service: str, carrier: HttpCarrier) -> None:
    label = carrier.create_label("shipment-e1", "order-e1", ADDRESS, "label-e1")

    sent = httpx.post(f"{service}/parcels/{label.tracking_number}/events", json={"status": "LOST"})

    assert sent.status_code == 200
    assert sent.json()["status_code"] == 202
    [event] = events_about(label.tracking_number, 1, timeout_s=5)
    assert event["event_id"] == sent.json()["event_id"]
    assert (event["status"], event["occurred_at"][-6:]) == ("LOST", "+00:00")


def test_a_webhook_signed_with_another_secret_is_not_verified(
    carrier: HttpCarrier, service: str
) -> None:
    label = carrier.create_label("shipment-e2", "order-e2", ADDRESS, "label-e2")
    httpx.post(f"{service}/parcels/{label.tracking_number}/events", json={"status": "LOST"})
    events_about(label.tracking_number, 1, timeout_s=5)

    [(body, signature)] = [
        (b, s) for b, s in Receiver.received if label.tracking_number.encode() in b
    ]

    assert verified(body, signature, SECRET)
    assert not verified(body, signature, "another-secret")


def test_an_event_for_an_unknown_parcel_is_404(service: str) -> None:
    sent = httpx.post(f"{service}/parcels/SIM000000000000/events", json={"status": "DELIVERED"})

    assert sent.status_code == 404


def test_a_handed_over_parcel_moves_to_in_transit_then_delivered_by_itself(
    carrier: HttpCarrier,
) -> None:
    label = carrier.create_label("shipment-m1", "order-m1", ADDRESS, "label-m1")
    handed_over = time.monotonic()
    carrier.hand_over("shipment-m1", "hand-over-m1")
    carrier.hand_over("shipment-m1", "hand-over-m1")  # a repeat does not restart the clock

    events = events_about(label.tracking_number, 2, timeout_s=10)

    assert [event["status"] for event in events] == ["IN_TRANSIT", "DELIVERED"]
    assert time.monotonic() - handed_over >= 2 * ADVANCE_S
    assert len({event["event_id"] for event in events}) == 2


def test_a_labelled_parcel_not_handed_over_stays_put(carrier: HttpCarrier) -> None:
    label = carrier.create_label("shipment-m2", "order-m2", ADDRESS, "label-m2")

    assert events_about(label.tracking_number, 1, timeout_s=4 * ADVANCE_S) == []
