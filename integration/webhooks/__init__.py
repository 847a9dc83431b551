"""Signed webhooks: subscriptions, a delivery log, and the worker that fills and sends it.

`build_webhooks(container)` gives the runner (`start`, `close`, `run_until_idle`); the
integration worker starts it with `leased=True`, so among several workers one sends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LeaseTable
from integration.outbox import Outbox
from integration.relay import no_crash
from integration.webhooks.deliveries import Deliveries
from integration.webhooks.fanout import FanOut
from integration.webhooks.runner import UNIT, Policy, WebhookRunner
from integration.webhooks.subscriptions import Subscriptions

__all__ = ["Policy", "WebhookRunner", "build_webhooks"]


def build_webhooks(
    container: Any,
    engine: sa.Engine | None = None,
    leased: bool = True,
    policy: Policy | None = None,
    crash: Callable[[str], None] = no_crash,
) -> WebhookRunner:
    """The runner over the state database (`engine`, else the one the container's read
    side opened beside the events: the dead letters' engine); not started.

    `leased` (the default, so a worker that passes nothing is safe): send only while this
    process holds the one `webhooks` lease, so two workers never both send. Tests that
    drive the runner by hand (`run_until_idle`) pass False. `crash`: the drills' hook,
    called after each POST and after its outcome is recorded.
    """
    settings = container.settings
    engine = engine or container.read_models.dead_letters.engine
    outbox, subscriptions = Outbox(engine), Subscriptions(engine)
    if settings.create_tables:  # `shop migrate` does it otherwise
        outbox.create_tables()
        subscriptions.create_tables()
    policy = policy or Policy(settings.webhook_retry_base_s, settings.webhook_max_attempts)
    deliveries = Deliveries(engine)
    keeper = None
    if leased:
        keeper = LeaseKeeper(LeaseTable(engine), UNIT, [UNIT], settings.lease_ttl_s)
    fan_out = FanOut(outbox, subscriptions, deliveries)
    return WebhookRunner(fan_out, subscriptions, deliveries, policy, keeper, crash=crash)
