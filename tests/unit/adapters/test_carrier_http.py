"""The carrier's HTTP adapter against a small local server: 5xx and a dead port are
transient (and retried), 404 on lookup is no label."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from adapters.carrier_http import HttpCarrier
from bench.server import free_port
from commands.carrier import CREATED, Label, TransientCarrierError, with_retries
from tests.support.json_handler import JsonHandler

LABEL = {"status": "created", "tracking_number": "SIM00000000000A", "reason": None}


class FlakyCarrier(JsonHandler):
    """Answers 503 to the first two label requests, then a label; 404 to any lookup."""

    failures_left = 2
    keys: list[str | None] = []  # shared by the handler instances of one test

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).keys.append(self.headers.get("Idempotency-Key"))
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            self._answer(503, {"error": "busy"})
        else:
            self._answer(200, LABEL)

    def do_GET(self) -> None:
        self._answer(404, {"error": "no label"})


@pytest.fixture
def server() -> Iterator[str]:
    FlakyCarrier.failures_left, FlakyCarrier.keys = 2, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FlakyCarrier)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_5xx_is_transient_and_retried_with_the_same_key(server: str) -> None:
    carrier = HttpCarrier(server, timeout_s=2)

    label = with_retries(
        lambda: carrier.create_label("shipment-1", "order-1", {"postal_code": "1"}, "label-1"),
        sleep=lambda _: None,
    )

    assert label == Label(CREATED, "SIM00000000000A", None)
    assert FlakyCarrier.keys == ["label-1"] * 3
    carrier.close()


def test_one_5xx_alone_raises_transient(server: str) -> None:
    carrier = HttpCarrier(server, timeout_s=2)

    with pytest.raises(TransientCarrierError, match="503"):
        carrier.hand_over("shipment-1", "hand-over-1")
    carrier.close()


def test_a_lookup_answered_404_is_no_label(server: str) -> None:
    carrier = HttpCarrier(server, timeout_s=2)

    assert carrier.lookup_label("nobody") is None
    carrier.close()


def test_an_unreachable_carrier_is_transient() -> None:
    carrier = HttpCarrier(f"http://127.0.0.1:{free_port()}", timeout_s=1)

    with pytest.raises(TransientCarrierError):
        carrier.lookup_label("shipment-x")
    with pytest.raises(TransientCarrierError):
        carrier.void_label("shipment-x", "void-x")
    carrier.close()
