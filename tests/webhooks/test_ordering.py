"""Per-subscription order: each order's events arrive in outbox order, failures or not."""

from __future__ import annotations

import json
import random

from tests.webhooks.receiver import receiving, wait_until

STEPS = ("order.placed.v1", "order.confirmed.v1", "shipment.shipped.v1", "refund.issued.v1")


def test_events_of_each_order_arrive_in_outbox_order_despite_failures(
    runner, subscribe, publish, deliveries
):
    runner.policy.max_attempts = 20  # flaky, never down: nothing should go DEAD
    chance = random.Random(7)
    flaky = lambda path, before: (500 if chance.random() < 0.3 else 200, 0.0)  # noqa: E731
    orders = [f"o-{n}" for n in range(12)]
    # interleaved as concurrent orders' events reach the outbox
    facts = [(step, order) for step in STEPS for order in orders]
    with receiving(flaky) as receiver:
        webhook_id = subscribe(receiver.url + "/all")
        runner.start()
        published = publish(*facts[:20]) + publish(*facts[20:])

        wait_until(lambda: deliveries.listed(webhook_id, "SENT")[0] == len(facts), timeout_s=30)

        # the acknowledged copy of each event: the last one received
        acknowledged = {}
        for request in receiver.on("/all"):
            acknowledged[request.headers["X-Shop-Event-Id"]] = request
    arrival = sorted(acknowledged.values(), key=lambda request: request.at)
    for order in orders:
        expected = [e.id for e in published if e.key == order]
        arrived = [json.loads(r.body)["id"] for r in arrival]
        assert [event_id for event_id in arrived if event_id in expected] == expected
