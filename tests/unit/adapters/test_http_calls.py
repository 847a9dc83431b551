"""One call to a provider against a small local server: each failure is raised as the port's
transient error after exactly one attempt (the server counts them: no retries hidden in
the HTTP library, the caller's retry with the same key stays the only one), a 404 is
returned, and a JSON body goes out with its headers under the base URL's own path."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from adapters.http_calls import Provider, send
from adapters.psp_http import HttpPaymentGateway
from bench.server import free_port
from commands.payment_gateway import TransientGatewayError
from tests.support.json_handler import JsonHandler
from tests.support.tls import self_signed


class Transient(Exception):
    pass


class FakeProvider(JsonHandler):
    """`/busy` 503, `/slow` answers after a second, `/refused` 409, anything else 404;
    `/echo` answers with what it was sent."""

    hits: Counter[str] = Counter()
    seen: list[dict[str, Any]] = []

    def do_GET(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        self._handle(self.rfile.read(int(self.headers["Content-Length"])))

    def _handle(self, body: bytes) -> None:
        path = self.path.removeprefix("/v1")
        type(self).hits[path] += 1
        if path == "/slow":
            time.sleep(1.0)
        if path == "/echo":
            type(self).seen.append({"headers": dict(self.headers), "body": body})
            self._answer(200, {"status": "captured", "reference": "ref-1"})
        else:
            status = {"/busy": 503, "/refused": 409}.get(path, 404)
            self._answer(status, {"error": status})


def serve(context: ssl.SSLContext | None = None) -> Iterator[str]:
    """The fake provider on a free port (over TLS with a context), its base URL."""
    FakeProvider.hits, FakeProvider.seen = Counter(), []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    httpd.daemon_threads = True
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    scheme = "http" if context is None else "https"
    yield f"{scheme}://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server() -> Iterator[str]:
    yield from serve()


@pytest.fixture
def hang_up() -> Iterator[tuple[str, list[int]]]:
    """A server that takes each connection and closes it unanswered; how many it took."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = [0]

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted[0] += 1
            connection.recv(65536)
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    listener.close()


@pytest.mark.parametrize(("path", "match"), [("/busy", "HTTP 503"), ("/refused", "HTTP 409")])
def test_a_5xx_or_a_refusal_is_transient_after_one_request(
    server: str, path: str, match: str
) -> None:
    provider = Provider(server, timeout_s=2)

    with pytest.raises(Transient, match=match):
        send(provider, Transient, "POST", path, {"amount": 1}, {"Idempotency-Key": "k"})

    assert FakeProvider.hits == {path: 1}
    provider.close()


def test_a_timeout_is_transient_after_one_request(server: str) -> None:
    provider = Provider(server, timeout_s=0.3)

    with pytest.raises(Transient, match="Timeout"):
        send(provider, Transient, "GET", "/slow")

    time.sleep(0.1)
    assert FakeProvider.hits == {"/slow": 1}
    provider.close()


def test_a_refused_connection_is_transient_after_one_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    provider = Provider(f"http://127.0.0.1:{free_port()}", timeout_s=1)
    attempts = []
    new_connection = provider._pool._new_conn

    def counted() -> Any:
        attempts.append(1)
        return new_connection()

    monkeypatch.setattr(provider._pool, "_new_conn", counted)

    with pytest.raises(Transient, match="refused"):
        send(provider, Transient, "POST", "/captures", {"amount": 1})

    assert len(attempts) == 1
    provider.close()


def test_a_connection_closed_unanswered_is_transient_after_one_attempt(
    hang_up: tuple[str, list[int]],
) -> None:
    url, accepted = hang_up
    provider = Provider(url, timeout_s=2)

    with pytest.raises(Transient):
        send(provider, Transient, "POST", "/captures", {"amount": 1}, {"Idempotency-Key": "k"})

    time.sleep(0.1)
    assert accepted == [1]
    provider.close()


def test_a_404_is_returned_to_the_caller(server: str) -> None:
    provider = Provider(server, timeout_s=2)

    answer = send(provider, Transient, "GET", "/captures/nobody")

    assert answer.status_code == 404
    assert answer.json() == {"error": 404}
    assert FakeProvider.hits == {"/captures/nobody": 1}
    provider.close()


def test_a_body_goes_out_as_json_with_its_headers_under_the_base_path(server: str) -> None:
    provider = Provider(f"{server}/v1/", timeout_s=2)

    answer = send(provider, Transient, "POST", "/echo", {"amount": 1, "name": "é"}, {"X-A": "b"})
    send(provider, Transient, "POST", "/echo", None, {"Idempotency-Key": "k"})

    assert answer.json() == {"status": "captured", "reference": "ref-1"}
    first, second = FakeProvider.seen
    assert json.loads(first["body"]) == {"amount": 1, "name": "é"}
    assert first["headers"]["Content-Type"] == "application/json"
    assert first["headers"]["X-A"] == "b"
    assert second["body"] == b""
    assert "Content-Type" not in second["headers"]
    assert second["headers"]["Idempotency-Key"] == "k"
    assert second["headers"]["Content-Length"] == "0"
    provider.close()


def test_the_gateway_keeps_its_connection_between_calls(server: str) -> None:
    gateway = HttpPaymentGateway(server, timeout_s=2)

    for _ in range(3):
        assert gateway.lookup("payment-nobody") is None
    with pytest.raises(TransientGatewayError, match="503"):
        gateway._send("POST", "/busy", {"amount": 1})

    assert gateway._provider._pool.num_connections == 1
    assert FakeProvider.hits == {"/captures/payment-nobody": 3, "/busy": 1}
    gateway.close()


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The same provider over TLS, its certificate for 127.0.0.1 signed by itself."""
    cert_file, key_file = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    for url in serve(context):
        yield url, cert_file


def test_an_https_provider_is_called_when_its_certificate_is_trusted(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert_file = https_server
    untrusted = Provider(url, timeout_s=2)  # certifi's bundle: not this certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    trusted = Provider(f"{url}/v1", timeout_s=2)

    with pytest.raises(Transient, match="CERTIFICATE_VERIFY_FAILED"):
        send(untrusted, Transient, "GET", "/captures/nobody")
    answer = send(trusted, Transient, "POST", "/echo", {"amount": 1}, {"Idempotency-Key": "k"})

    assert answer.json() == {"status": "captured", "reference": "ref-1"}
    assert FakeProvider.seen[0]["headers"]["Idempotency-Key"] == "k"
    untrusted.close()
    trusted.close()
