"""Deliveries to real HTTP receivers: signed, retried with backoff, DEAD, retried by hand."""

from __future__ import annotations

import json
import time

from integration.webhooks.signature import verify
from tests.webhooks.conftest import SECRET
from tests.webhooks.receiver import free_port, receiving, wait_until


def statuses(deliveries, webhook_id):
    return [item["status"] for item in deliveries.listed(webhook_id, None)[1]]


def test_an_event_arrives_signed_with_its_exact_bytes(runner, subscribe, publish):
    with receiving() as receiver:
        subscribe(receiver.url + "/hook", ("order.placed.v1",))
        [placed] = publish(("order.placed.v1", "o-1"))
        publish(("stock.changed.v1", "SKU-1"))  # not subscribed

        runner.run_until_idle()

        [request] = receiver.on("/hook")
    assert request.body == placed.body()
    assert json.loads(request.body) == placed.as_json()
    assert request.headers["X-Shop-Event-Id"] == placed.id
    assert request.headers["X-Shop-Event-Type"] == "order.placed.v1"
    assert verify(SECRET, request.body, request.headers["X-Shop-Signature"])


def test_two_failures_then_success_is_three_attempts_and_sent(
    runner, subscribe, publish, deliveries
):
    script = lambda path, before: (500 if before < 2 else 200, 0.0)  # noqa: E731
    with receiving(script) as receiver:
        webhook_id = subscribe(receiver.url + "/flaky")
        [event] = publish(("order.confirmed.v1", "o-1"))
        runner.start()

        wait_until(lambda: statuses(deliveries, webhook_id) == ["SENT"])

        requests = receiver.on("/flaky")
    assert [r.headers["X-Shop-Event-Id"] for r in requests] == [event.id] * 3
    assert requests[2].at - requests[1].at >= requests[1].at - requests[0].at  # backoff grows
    total, [item] = deliveries.listed(webhook_id, "SENT")
    assert (total, item["attempts"], item["last_status_code"]) == (1, 3, 200)
    assert item["next_attempt_at"] is None


def test_a_receiver_that_is_down_makes_it_dead_and_a_retry_sends_it(
    runner, subscribe, publish, deliveries
):
    port = free_port()
    webhook_id = subscribe(f"http://127.0.0.1:{port}/down")
    [event] = publish(("refund.issued.v1", "o-1"))
    runner.start()
    wait_until(lambda: statuses(deliveries, webhook_id) == ["DEAD"])
    [dead] = deliveries.listed(webhook_id, "DEAD")[1]
    assert (dead["attempts"], dead["last_status_code"]) == (3, None)

    with receiving(port=port) as receiver:
        assert deliveries.retry(webhook_id, dead["delivery_id"], time.time()) == "DEAD"
        wait_until(lambda: statuses(deliveries, webhook_id) == ["SENT"])

        [request] = receiver.on("/down")
    assert request.headers["X-Shop-Event-Id"] == event.id


def test_a_slow_receiver_does_not_delay_a_fast_one(runner, subscribe, publish):
    script = lambda path, before: (200, 3.0 if path == "/slow" else 0.0)  # noqa: E731
    with receiving(script) as receiver:
        subscribe(receiver.url + "/slow")
        subscribe(receiver.url + "/fast")
        publish(*[("stock.changed.v1", f"SKU-{n}") for n in range(5)])
        started = time.monotonic()
        runner.start()

        wait_until(lambda: len(receiver.on("/fast")) == 5)
        fast_done = time.monotonic() - started
        wait_until(lambda: len(receiver.on("/slow")) == 2, timeout_s=10)
    assert fast_done < 2.0
