"""The integration worker's metrics: outbox head, each sink's lag, and the notification and
webhook delivery logs by status, read from a shop whose messages all went out."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient

from api.auth import TokenCodec, resolve_secret
from api.query_app import create_query_app
from app.bootstrap import bootstrap
from app.run.integration import build_relay
from telemetry.integration import IntegrationCollector
from tests.api.conftest import bearer
from tests.drills.integration_shop import MAIL_FROM, Ledger, prepare, run_to_completion
from tests.webhooks.receiver import receiving


def test_metrics_count_messages_and_deliveries_by_status(settings_for) -> None:
    settings = settings_for("sqlite", mail_from=MAIL_FROM)  # messages as .eml files
    with receiving() as receiver:
        prepare(settings, receiver.url)
        run_to_completion(settings)
    ledger = Ledger.read(settings)
    container = bootstrap(settings)
    relay = build_relay(container)
    try:
        families = list(IntegrationCollector(relay, None, container.log).collect())
    finally:
        relay.close()
        container.close()
    samples = {
        (family.name, tuple(sorted(sample.labels.values()))): sample.value
        for family in families
        for sample in family.samples
    }

    assert samples[("shop_integration_outbox_head", ())] == len(ledger.events)
    assert samples[("shop_integration_relay_lag_events", ())] == 0
    assert samples[("shop_integration_lag_events", ("webhooks",))] == 0
    sent = Counter(status for _, status in ledger.notifications.values())
    assert samples[("shop_notifications", ("SENT",))] == sent["SENT"] == 9
    assert samples[("shop_webhook_deliveries", ("SENT",))] == len(ledger.events)


def test_the_ops_page_shows_the_outbox_its_sinks_and_the_deliveries(settings_for) -> None:
    settings = settings_for("sqlite", mail_from=MAIL_FROM)
    with receiving() as receiver:
        prepare(settings, receiver.url)
        run_to_completion(settings)
    ledger = Ledger.read(settings)
    container = bootstrap(settings)
    codec = TokenCodec(resolve_secret(settings), "HS256")
    admin, customer = bearer(codec, "admin", "ops"), bearer(codec, "customer", "c")
    try:
        with TestClient(create_query_app(container)) as client:
            status = client.get("/ops/api/integration", headers=admin)
            refused = client.get("/ops/api/integration", headers=customer)
            page = client.get("/ops", headers=admin)
    finally:
        container.close()

    assert status.status_code == 200, status.text
    body = status.json()
    assert body["outbox_head"] == len(ledger.events)
    assert body["lag"]["webhooks"] == 0
    assert body["notifications"] == {"SENT": 9}
    assert body["webhook_deliveries"] == {"SENT": len(ledger.events)}
    assert refused.status_code == 403
    assert "integration-summary" in page.text
