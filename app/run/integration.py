"""`shop worker integration`: the relay (log -> outbox), the RabbitMQ publisher when
`SHOP_AMQP_URL` is set, and the webhook and notification runners where those packages
are installed. The relay and the publisher each run under a lease of their own, so
replicas of the worker stand by and take over within the lease time.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from typing import Any, Protocol

from app.backends import state_engine
from app.run.saga import crash_hook_from_env
from app.run.saga_runner import SagaRunner
from config.settings import Settings
from eventstore.dead_letters import DeadLetters
from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LeaseTable
from integration.amqp import AmqpPublisher
from integration.outbox import Outbox
from integration.parking import RelayParking
from integration.relay import Relay, no_crash

log = logging.getLogger(__name__)


class Runner(Protocol):
    def start(self) -> None: ...

    def close(self) -> None: ...


def _leased(runner: SagaRunner, engine: Any, unit: str, ttl_s: float) -> None:
    runner.partitions = {unit: 0}
    runner.leases = LeaseKeeper(LeaseTable(engine), unit, [unit], ttl_s)


def build_relay(
    container: Any,
    leased: bool = False,
    batch_size: int = 200,
    crash: Callable[[str], None] = no_crash,
) -> SagaRunner:
    """The relay over `container`'s log, writing the outbox; not started."""
    settings: Settings = container.settings
    engine = state_engine(settings)
    outbox, letters = Outbox(engine), DeadLetters(engine)
    if settings.create_tables:
        outbox.create_tables()
        letters.create_tables()
    parking = RelayParking(letters, settings.max_attempts, container.clock)
    runner = SagaRunner([Relay(container.log, outbox, parking, batch_size, crash)], container.store)
    runner._closers.append(engine.dispose)
    if leased:
        _leased(runner, engine, "relay", settings.lease_ttl_s)
    return runner


def build_amqp(container: Any, leased: bool = False, url: str | None = None) -> SagaRunner | None:
    """The RabbitMQ publisher of the outbox (None without `SHOP_AMQP_URL`); not started."""
    settings: Settings = container.settings
    url = url or settings.amqp_url
    if not url:
        return None
    engine = state_engine(settings)
    outbox = Outbox(engine)
    if settings.create_tables:
        outbox.create_tables()
    publisher = AmqpPublisher(url, outbox)
    # The outbox is not the event store: an idle publisher polls it every 100 ms.
    runner = SagaRunner([publisher], container.store, poll_interval_s=0.1)
    runner._closers += [engine.dispose, publisher.disconnect]
    if leased:
        _leased(runner, engine, "amqp", settings.lease_ttl_s)
    return runner


def delivery_runners(container: Any, crash: Callable[[str], None] = no_crash) -> list[Runner]:
    """The webhook sender and the customer notifier, each under its own lease."""
    from integration.webhooks import build_webhooks
    from notifications import build_notifier

    return [
        build_webhooks(container, leased=True, crash=crash),
        build_notifier(container, leased=True, crash=crash),
    ]


def run_integration_worker() -> int:
    """Run until SIGTERM/SIGINT, finish the batches in hand, exit 0."""
    from app.bootstrap import bootstrap
    from app.migrate import prepare_store
    from app.supervision import orphaned
    from telemetry.integration import IntegrationCollector
    from telemetry.jsonlog import configure_logging
    from telemetry.server import serve_worker_metrics

    settings = Settings()
    configure_logging(settings)
    container = bootstrap(prepare_store(settings))
    # Drills only: SIGKILL at the Nth step boundary of the relay, webhooks and notifier.
    crash = crash_hook_from_env("SHOP_INTEGRATION_CRASH_AFTER")
    relay = build_relay(container, leased=True, crash=crash)
    amqp = build_amqp(container, leased=True)
    deliveries = delivery_runners(container, crash)
    runners: list[Runner] = [relay, *([amqp] if amqp else []), *deliveries]
    metrics = IntegrationCollector(relay, amqp, container.log)
    stop_metrics = serve_worker_metrics(container, metrics, projections=False)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: relay.stopping.set())
    for runner in runners:
        runner.start()
    while not relay.stopping.wait(0.5):
        if orphaned():
            log.warning("the server that started this worker is gone; stopping")
            break
    for runner in reversed(runners):
        runner.close()
    stop_metrics()
    container.close()
    return 0
