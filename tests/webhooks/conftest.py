"""Webhook fixtures: a container on SQLite or PostgreSQL, its outbox, and the runner."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from app.bootstrap import Container, bootstrap
from integration.contract import IntegrationEvent
from integration.outbox import Outbox
from integration.webhooks import Policy, WebhookRunner, build_webhooks
from integration.webhooks.deliveries import Deliveries
from integration.webhooks.subscriptions import Subscriptions

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SECRET = "whsec-" + "s" * 32
FAST = Policy(retry_base_s=0.05, max_attempts=3, timeout_s=5.0, poll_s=0.02)


@pytest.fixture(params=BACKENDS)
def container(request: pytest.FixtureRequest, settings_for) -> Iterator[Container]:
    built = bootstrap(settings_for(request.param))
    yield built
    built.close()


@pytest.fixture
def runner(container: Container) -> Iterator[WebhookRunner]:
    built = build_webhooks(container, leased=False, policy=FAST)
    yield built
    built.close()


@pytest.fixture
def subscriptions(runner: WebhookRunner) -> Subscriptions:
    return runner.subscriptions


@pytest.fixture
def deliveries(runner: WebhookRunner) -> Deliveries:
    return runner.deliveries


@pytest.fixture
def subscribe(subscriptions: Subscriptions) -> Callable[..., str]:
    def make(url: str, events: tuple[str, ...] = ("*",), secret: str = SECRET) -> str:
        webhook_id = str(uuid.uuid4())
        subscriptions.create(webhook_id, url, list(events), secret)
        return webhook_id

    return make


@pytest.fixture
def publish(runner: WebhookRunner) -> Callable[..., list[IntegrationEvent]]:
    """Put events in the outbox as the relay would: `publish((type, key), ...)`."""
    outbox: Outbox = runner.fan_out.outbox

    def put(*facts: tuple[str, str]) -> list[IntegrationEvent]:
        events = [
            IntegrationEvent(str(uuid.uuid4()), kind, "2025-01-01T00:00:00+00:00", key, {"n": i})
            for i, (kind, key) in enumerate(facts)
        ]
        outbox.append([(event, outbox.head() + 1) for event in events], outbox.head() + 1, ())
        return events

    return put
