"""The integration worker's metrics: outbox head, each sink's lag, and the notification and
webhook delivery logs by status, read from a shop whose messages all went out."""

from __future__ import annotations

from collections import Counter

from app.bootstrap import bootstrap
from app.run.integration import build_relay
from telemetry.integration import IntegrationCollector
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
