"""`shop worker integration` as a process: SIGKILLed and started again, it loses nothing,
and on SIGTERM it finishes the batch in hand and exits 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.backends import state_engine
from config.settings import Settings
from integration.amqp import NAME
from integration.outbox import Outbox
from tests.integration_events.test_amqp import assert_all_delivered_in_order, received
from tests.scenarios.shop import Shop

ROOT = Path(__file__).resolve().parents[2]
WORKER = "from app.run.integration import run_integration_worker as run; raise SystemExit(run())"
pytestmark = pytest.mark.usefixtures("amqp_url")


def spawn(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SHOP_DATA_DIR": str(settings.data_dir),
        "SHOP_EVENT_STORE": settings.event_store,
        "SHOP_AMQP_URL": str(settings.amqp_url),
        "SHOP_WORKER_ID": "integration-test",  # a restart takes its leases back at once
        "SHOP_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env)


def wait_until(condition: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_worker_started_again_delivers_everything(tmp_path, amqp_url, consumer):
    settings = Settings(data_dir=tmp_path / "var", event_store="sqlite", amqp_url=amqp_url)
    shop = Shop(settings)
    shop.stock("SKU-1", 60)
    placed = [shop.place(("SKU-1", 1)) for _ in range(50)]
    shop.settle()
    outbox = Outbox(state_engine(settings))
    outbox.create_tables()
    worker = spawn(settings)
    try:
        wait_until(lambda: outbox.cursor(NAME) > 0)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        worker = spawn(settings)
        placed += [shop.place(("SKU-1", 1)) for _ in range(10)]  # for the new worker
        shop.settle()
        wait_until(lambda: len(outbox.after(0, 10_000, {"order.confirmed.v1"})) == 60)
        wait_until(lambda: outbox.cursor(NAME) == outbox.head())
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        worker.kill()
        shop.close()
    assert_all_delivered_in_order(received(consumer), outbox, placed)
