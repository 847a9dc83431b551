"""The payment provider as a network service: `shop simulate psp` and the HTTP adapter."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adapters.psp_http import HttpPaymentGateway
from bench.server import free_port, terminate, wait_until_healthy
from commands.payment_gateway import TransientGatewayError, capture_with_retries

SHOP = str(Path(sys.executable).with_name("shop"))


@pytest.fixture(scope="module")
def psp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "SHOP_DATA_DIR": str(tmp_path_factory.mktemp("psp"))}
    process = subprocess.Popen([SHOP, "simulate", "psp", "--port", str(port)], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, timeout_s=30)
        yield url
    finally:
        terminate(process, 10)


@pytest.fixture
def gateway(psp: str) -> Iterator[HttpPaymentGateway]:
    adapter = HttpPaymentGateway(psp, timeout_s=5)
    yield adapter
    adapter.close()


def ledger(psp: str, payment_id: str) -> list[dict[str, object]]:
    return httpx.get(f"{psp}/ledger", params={"payment_id": payment_id}).json()


def test_a_repeated_capture_is_answered_once_and_both_requests_are_in_the_ledger(
    psp: str, gateway: HttpPaymentGateway
) -> None:
    first = gateway.capture("payment-a1", 1000, "KRW", "tok_ok", "payment-a1")
    again = gateway.capture("payment-a1", 1000, "KRW", "tok_ok", "payment-a1")

    assert first == again
    assert first.status == "captured"
    entries = ledger(psp, "payment-a1")
    assert [(e["kind"], e["idempotency_key"], e["amount"]) for e in entries] == [
        ("capture", "payment-a1", 1000),
        ("capture", "payment-a1", 1000),
    ]
    assert entries[0]["order_id"] == "a1"


def test_a_flaky_provider_is_retried_until_it_captures(
    psp: str, gateway: HttpPaymentGateway
) -> None:
    answer = capture_with_retries(
        gateway, "payment-f1", 500, "KRW", "tok_flaky", sleep=lambda s: None
    )

    assert answer is not None
    assert answer.status == "captured"
    assert len(ledger(psp, "payment-f1")) == 3


def test_declined_and_unanswered_captures(psp: str, gateway: HttpPaymentGateway) -> None:
    assert gateway.capture("payment-d1", 1, "KRW", "tok_declined", "payment-d1").status == (
        "declined"
    )
    assert gateway.capture("payment-t1", 1, "KRW", "tok_timeout", "payment-t1").status == (
        "pending"
    )
    assert gateway.lookup("payment-nobody") is None

    late = httpx.post(f"{psp}/late-captures").json()

    assert {"payment_id": "payment-t1", "reference": "sim_payment-t1_late"} in late
    answer = gateway.lookup("payment-t1")
    assert answer is not None
    assert answer.status == "captured"


def test_an_unreachable_provider_is_a_transient_failure() -> None:
    adapter = HttpPaymentGateway(f"http://127.0.0.1:{free_port()}", timeout_s=1)

    with pytest.raises(TransientGatewayError):
        adapter.capture("payment-x", 1, "KRW", "tok_ok", "payment-x")
    with pytest.raises(TransientGatewayError):
        adapter.lookup("payment-x")


def test_sigterm_stops_the_provider_with_status_0(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SHOP_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen([SHOP, "simulate", "psp", "--port", str(port)], env=env)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, timeout_s=30)
        process.terminate()
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
