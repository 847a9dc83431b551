"""Webhook subscriptions and their delivery log over the command API (admin only)."""

from __future__ import annotations

import time

import pytest

from tests.api.factories import assert_error

SECRET = "whsec-" + "k" * 26
BODY = {"url": "https://example.com/hook", "events": ["order.placed.v1"], "secret": SECRET}


def create(commands, admin, **overrides):
    return commands.post("/webhooks", json=BODY | overrides, headers=admin)


def test_an_admin_creates_lists_and_deletes_a_webhook(commands, admin):
    created = create(commands, admin, events=["*"])
    assert created.status_code == 201, created.text
    webhook_id = created.json()["webhook_id"]
    assert created.headers["Location"] == f"/webhooks/{webhook_id}"

    listed = commands.get("/webhooks", headers=admin)

    assert listed.status_code == 200
    assert listed.json()["total"] == 1
    [item] = listed.json()["items"]
    assert (item["webhook_id"], item["url"], item["events"]) == (webhook_id, BODY["url"], ["*"])
    assert SECRET not in listed.text
    assert commands.delete(f"/webhooks/{webhook_id}", headers=admin).status_code == 204
    assert commands.get("/webhooks", headers=admin).json() == {"total": 0, "items": []}
    assert_error(commands.delete(f"/webhooks/{webhook_id}", headers=admin), 404, "unknown_webhook")


def test_the_same_idempotency_key_answers_the_same_webhook(commands, admin):
    keyed = admin | {"Idempotency-Key": "hook-1"}
    first = commands.post("/webhooks", json=BODY, headers=keyed)
    again = commands.post("/webhooks", json=BODY, headers=keyed)
    other = commands.post("/webhooks", json=BODY | {"url": "https://b.example/x"}, headers=keyed)

    assert first.json() == again.json()
    assert commands.get("/webhooks", headers=admin).json()["total"] == 1
    assert_error(other, 409, "idempotency_key_reused")


@pytest.mark.parametrize(
    "overrides",
    [
        {"url": "ftp://example.com/hook"},
        {"url": "example.com/hook"},
        {"url": "https:///no-host"},
        {"events": ["order.shipped.v1"]},
        {"events": []},
        {"events": ["order.placed.v1", "order.placed.v1"]},
        {"secret": "short"},
        {"secret": 12345678901234567},
    ],
    ids=["ftp", "relative", "no-host", "unknown-type", "no-type", "repeated", "short", "int"],
)
def test_a_bad_url_type_or_secret_is_422(commands, admin, overrides):
    assert_error(create(commands, admin, **overrides), 422)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/webhooks"),
        ("GET", "/webhooks"),
        ("DELETE", "/webhooks/w-1"),
        ("GET", "/webhooks/w-1/deliveries"),
        ("POST", "/webhooks/w-1/deliveries/1/retry"),
    ],
)
def test_customers_get_403(commands, alice, method, path):
    response = commands.request(method, path, json=BODY, headers=alice)

    assert_error(response, 403, "forbidden")


def test_the_delivery_log_of_an_unknown_webhook_is_404(commands, admin):
    assert_error(commands.get("/webhooks/nope/deliveries", headers=admin), 404)
    assert_error(commands.post("/webhooks/nope/deliveries/1/retry", headers=admin), 404)


def test_the_delivery_log_and_a_retry_of_a_dead_delivery(commands, admin, container):
    webhook_id = create(commands, admin).json()["webhook_id"]
    deliveries = commands.app.state.webhooks[1]
    deliveries.add([_delivery(webhook_id, "e-1", 1), _delivery(webhook_id, "e-2", 2)])
    [second, first] = deliveries.listed(webhook_id, None)[1]
    deliveries.settle(_as_sent(first), 200, None, None, dead=False)

    log = commands.get(f"/webhooks/{webhook_id}/deliveries?status=PENDING", headers=admin)
    sent = commands.get(f"/webhooks/{webhook_id}/deliveries?status=SENT", headers=admin)
    retry_sent = commands.post(
        f"/webhooks/{webhook_id}/deliveries/{first['delivery_id']}/retry", headers=admin
    )

    assert log.json()["total"] == 1
    [item] = log.json()["items"]
    assert set(item) >= {
        "delivery_id",
        "event_id",
        "type",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    }
    assert (item["event_id"], item["status"], item["attempts"]) == ("e-2", "PENDING", 0)
    assert sent.json()["items"][0]["last_status_code"] == 200
    assert_error(retry_sent, 409, "delivery_not_retryable")
    assert_error(commands.get(f"/webhooks/{webhook_id}/deliveries?status=LOST", headers=admin), 422)


def _delivery(webhook_id: str, event_id: str, seq: int) -> dict[str, object]:
    return {
        "webhook_id": webhook_id,
        "seq": seq,
        "event_id": event_id,
        "type": "order.placed.v1",
        "body": "{}",
        "next_attempt_at": time.time(),
    }


def _as_sent(row):
    from integration.webhooks.deliveries import Delivery

    return Delivery(row["delivery_id"], "", row["event_id"], row["type"], "", row["attempts"])
