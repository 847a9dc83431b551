"""`shop serve` restarts a child that dies, and says so: /ready, /ops/api/workers, its log.

The restart backoff is long enough (SHOP_RESTART_BACKOFF_S) to watch /ready answer 503
between the kill and the restart. The embedded server's payment provider is its own
`shop simulate psp` child: its ledger shows what the restarted saga asked for. Its
carrier is its own `shop simulate carrier` child, posting webhooks back to the server.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.carriers import webhook_secret
from config.settings import Settings
from tests.e2e.server import ShopServer
from tests.e2e.test_checkout_over_http import wait_for_status
from tests.e2e.test_worker_children import children_of, wait_until_gone

BACKOFF_S = 1.5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShopServer]:
    data_dir = tmp_path_factory.mktemp("supervised") / "var"
    live = ShopServer(data_dir, SHOP_RESTART_BACKOFF_S=str(BACKOFF_S)).start()
    yield live
    assert live.stop() == 0, live.output()


def children(server: ShopServer) -> dict[str, int]:
    """`saga`, `projections`, `psp` and `carrier` to the pid of the live child running it."""
    assert server.process is not None
    found = {}
    for pid in children_of(server.process.pid):
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        for kind in (b"worker", b"simulate"):
            if kind in args:
                found[args[args.index(kind) + 1].decode()] = pid
    return found


def workers(server: ShopServer) -> dict[str, dict]:
    headers = server.headers("admin", "ops")
    rows = httpx.get(f"{server.url}/ops/api/workers", headers=headers).json()["workers"]
    return {row["name"]: row for row in rows}


def kill_and_watch(server: ShopServer, name: str) -> tuple[int, float, list[str]]:
    """SIGKILL the child; its new pid, the seconds until /ready was 200 again, and the
    reasons /ready gave meanwhile."""
    old = children(server)[name]
    os.kill(old, signal.SIGKILL)
    killed_at, reasons = time.monotonic(), []
    while time.monotonic() - killed_at < 30:
        ready = httpx.get(f"{server.url}/ready")
        if ready.status_code == 503:
            reasons += ready.json()["error"]["reasons"]
        new = children(server).get(name)
        if ready.status_code == 200 and new not in (None, old) and reasons:
            return new, time.monotonic() - killed_at, reasons
        time.sleep(0.05)
    raise AssertionError(f"{name} not restarted: {children(server)}\n{server.output()}")


def test_a_killed_saga_child_is_restarted_and_checkouts_go_on(server: ShopServer) -> None:
    before = workers(server)
    assert {name: row["alive"] for name, row in before.items()} == {
        "psp": True,
        "carrier": True,
        "projections": True,
        "saga": True,
        "integration": True,
    }

    new_pid, seconds, reasons = kill_and_watch(server, "saga")

    assert any("worker saga is down" in reason for reason in reasons), reasons
    assert seconds >= BACKOFF_S
    wait_until_gone_or_reaped(server, before["saga"]["pid"])
    after = workers(server)["saga"]
    assert (after["pid"], after["alive"], after["restarts"], after["last_exit"]) == (
        new_pid,
        True,
        1,
        -signal.SIGKILL,
    )
    assert restart_logged(server, "saga")

    order_id = place_order(server)
    psp_url = workers(server)["psp"]["url"]
    ledger = httpx.get(f"{psp_url}/ledger", params={"payment_id": f"payment-{order_id}"}).json()
    assert [entry["kind"] for entry in ledger] == ["capture"]


def test_the_saga_child_is_pointed_at_the_carrier_child_which_calls_the_server_back(
    server: ShopServer,
) -> None:
    found = children(server)
    saga_env = dict(
        item.split(b"=", 1)
        for item in Path(f"/proc/{found['saga']}/environ").read_bytes().split(b"\0")
        if b"=" in item
    )
    carrier_args = Path(f"/proc/{found['carrier']}/cmdline").read_bytes().split(b"\0")
    carrier_env = Path(f"/proc/{found['carrier']}/environ").read_bytes().split(b"\0")

    assert saga_env[b"SHOP_CARRIER_URL"].decode() == workers(server)["carrier"]["url"]
    secret = webhook_secret(Settings(data_dir=server.data_dir, carrier_webhook_secret=None))
    assert saga_env[b"SHOP_CARRIER_WEBHOOK_SECRET"].decode() == secret
    assert f"SHOP_CARRIER_WEBHOOK_SECRET={secret}".encode() in carrier_env
    webhook = carrier_args[carrier_args.index(b"--webhook-url") + 1].decode()
    assert webhook == f"{server.url}/carrier/events"
    assert httpx.get(f"{workers(server)['carrier']['url']}/health").status_code == 200


def test_a_killed_projections_child_is_restarted(server: ShopServer) -> None:
    old = children(server)["projections"]

    new_pid, _, reasons = kill_and_watch(server, "projections")

    assert any("worker projections is down" in reason for reason in reasons), reasons
    assert new_pid != old
    assert workers(server)["projections"]["restarts"] == 1
    assert restart_logged(server, "projections")
    place_order(server)  # the restarted projectors bring the read side along


def place_order(server: ShopServer) -> str:
    customer = server.headers("customer", "erin")
    order = {"lines": [{"sku": "MUG-1", "quantity": 1}], "payment": {"token": "tok_ok"}}
    key = {"Idempotency-Key": f"supervised-{time.monotonic_ns()}"}
    with httpx.Client(base_url=server.url, timeout=10) as client:
        placed = client.post("/orders", json=order, headers={**customer, **key})
        assert placed.status_code == 202, placed.text
        order_id: str = placed.json()["order_id"]
        wait_for_status(client, f"/orders/{order_id}", customer, "CONFIRMED")
    return order_id


def restart_logged(server: ShopServer, name: str) -> bool:
    """A JSON line naming the worker and its exit code."""
    for line in server.output().splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("worker") == name and record.get("exit_code") == -signal.SIGKILL:
                return True
    return False


def wait_until_gone_or_reaped(server: ShopServer, pid: int) -> None:
    assert wait_until_gone(pid, 5), f"the killed child {pid} is still there (a zombie?)"
    assert server.process is not None
    assert pid not in children_of(server.process.pid)


def test_the_simulators_stop_by_themselves_when_the_server_is_killed(tmp_path: Path) -> None:
    server = ShopServer(tmp_path / "var").start()
    simulators = children(server)

    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()

    assert wait_until_gone(simulators["psp"], 10), "the simulated provider outlived its server"
    assert wait_until_gone(simulators["carrier"], 10), "the simulated carrier outlived it"


def test_a_killed_integration_child_is_restarted_and_ready_says_so(server: ShopServer) -> None:
    new_pid, seconds, reasons = kill_and_watch(server, "integration")

    assert any("integration" in reason for reason in reasons), reasons
    assert workers(server)["integration"]["pid"] == new_pid
