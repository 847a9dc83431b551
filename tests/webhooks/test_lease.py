"""Two leased runners over one database: one of them sends, each event once."""

from __future__ import annotations

from integration.webhooks import build_webhooks
from tests.webhooks.conftest import FAST
from tests.webhooks.receiver import receiving, wait_until


def test_two_workers_never_both_send(container, subscribe, publish, deliveries):
    workers = [build_webhooks(container, leased=True, policy=FAST) for _ in range(2)]
    with receiving() as receiver:
        webhook_id = subscribe(receiver.url + "/once")
        published = publish(*[("order.placed.v1", f"o-{n}") for n in range(30)])
        try:
            for worker in workers:
                worker.start()
            wait_until(lambda: deliveries.listed(webhook_id, "SENT")[0] == 30)
        finally:
            for worker in workers:
                worker.close()
        ids = [request.headers["X-Shop-Event-Id"] for request in receiver.on("/once")]
    assert ids == [event.id for event in published]
