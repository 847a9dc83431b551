"""Running the checkout saga: in-process (`build_saga(container)`) or as `shop worker saga`,
which runs the fulfilment manager beside it (`app/run/fulfilment.py`)."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from app.backends import state_engine
from app.payments import payment_gateway
from app.run.saga_runner import SagaRunner
from commands.bus import build_command_bus
from commands.payment_gateway import PaymentGateway
from commands.process_managers.checkout import CheckoutProcessManager
from commands.process_managers.dispatch import Dispatcher
from commands.process_managers.messages import no_crash
from commands.process_managers.parking import Parking
from commands.process_managers.parts import Partition, SagaParts
from commands.process_managers.payments import PaymentDesk
from commands.process_managers.state import SagaState
from commands.process_managers.unit import UnitOfWork
from config.settings import Settings
from eventstore.dead_letters import DeadLetters
from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LeaseTable

log = logging.getLogger(__name__)


def build_saga(
    container: Any,
    gateway: PaymentGateway | None = None,
    partitions: int | None = None,
    crash: Callable[[str], None] = no_crash,
    batch_size: int = 200,
    group_commit: bool | None = None,
    leased: bool = False,
) -> SagaRunner:
    """The checkout saga over `container`'s store and log; not started.

    `partitions` managers (default `SHOP_SAGA_PARTITIONS`) each own the orders whose id
    hashes to them, so they never race each other for one checkout. `group_commit` (default:
    on, except on EventStoreDB, whose appends hold one stream each) appends each batch's
    events in one transaction. `leased`: one manager for the partitions whose leases this
    process holds, shared with every other saga worker on the store (`SHOP_LEASE_TTL_S`).
    """
    settings: Settings = container.settings
    engine = saga_engine(settings)
    state, letters = SagaState(engine), DeadLetters(engine)
    if settings.create_tables:
        state.create_tables()
        letters.create_tables()
    runner = SagaRunner([], container.store)
    runner.engine = engine  # the fulfilment manager of a worker shares it
    runner._closers.append(engine.dispose)
    if gateway is None:  # SHOP_PSP_URL's provider over HTTP, else the in-process simulator
        gateway, close_gateway = payment_gateway(settings)
        runner._closers.append(close_gateway)
    if group_commit is None:
        group_commit = settings.event_store != "esdb"
    count = partitions or settings.saga_partitions
    if leased:  # one manager, for the partitions this worker holds the leases of
        runner.partitions = {Partition(index, count).name: index for index in range(count)}
        table = LeaseTable(engine)
        units = list(runner.partitions)
        runner.leases = LeaseKeeper(table, "saga", units, settings.lease_ttl_s)
        held = [Partition.holding(frozenset(range(count)), count)]
    else:
        held = [Partition(index, count) for index in range(count)]
    # A worker saves its position and deadlines at most every 100 ms (a crash replays
    # that little); in-process runs and drills save after every batch.
    save_every_s = 0.1 if leased else 0.0
    for partition in held:
        parts = saga_parts(container, gateway, state, crash, group_commit)
        parking = Parking(letters, settings.max_attempts, container.clock)
        manager = CheckoutProcessManager(parts, partition, batch_size, save_every_s, parking)
        runner.managers.append(manager)
    return runner


def saga_parts(
    container: Any,
    gateway: PaymentGateway,
    state: SagaState,
    crash: Callable[[str], None],
    group_commit: bool,
) -> SagaParts:
    """One manager's collaborators: its own unit of work (its one aggregate cache), a
    command bus that loads and saves through that unit, and the payment desk."""
    unit = UnitOfWork(container.store, write_through=not group_commit)
    dispatcher = Dispatcher(unit, build_command_bus(unit, container.clock), crash)
    timeout_s = container.settings.payment_timeout_s
    payments = PaymentDesk(gateway, dispatcher, container.clock, timeout_s)
    return SagaParts(container.log, state, unit, dispatcher, payments, container.clock, crash)


def saga_engine(settings: Settings) -> Engine:
    """Saga tables live beside the events: the PostgreSQL schema, or a SQLite file."""
    return state_engine(settings)


def crash_hook_from_env(variable: str = "SHOP_SAGA_CRASH_AFTER") -> Callable[[str], None]:
    """Drills only: `SHOP_SAGA_CRASH_AFTER=N` (the checkout) or `SHOP_FULFILMENT_CRASH_AFTER=N`
    (the fulfilment manager) SIGKILLs this process at that manager's Nth step boundary."""
    limit = int(os.environ.get(variable, "0"))
    if limit <= 0:
        return no_crash
    seen = [0]

    def crash(point: str) -> None:
        seen[0] += 1
        if seen[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

    return crash


def run_saga_worker() -> int:
    """`shop worker saga`: run until SIGTERM/SIGINT, finish the batch in hand, exit 0."""
    from app.bootstrap import bootstrap
    from app.migrate import prepare_store
    from app.run.fulfilment import build_fulfilment
    from app.supervision import orphaned
    from telemetry.jsonlog import configure_logging
    from telemetry.server import SagaCollector, serve_worker_metrics

    settings = Settings()
    configure_logging(settings)
    settings = prepare_store(settings)  # migrate under the lock, or wait for `shop migrate`
    # No aggregate cache in the checkout's store: each manager's unit of work holds what it
    # reads. The fulfilment manager writes through, so it keeps a cache of its own (brought
    # up to date from the store before each use): without one, every step reloaded the
    # Fulfilment, the Shipment and the Order from their events.
    container = bootstrap(settings.model_copy(update={"aggregate_cache_size": 0}))
    runner = build_saga(container, crash=crash_hook_from_env(), leased=True)
    cached = container.store.caching(settings.aggregate_cache_size)
    fulfilment_crash = crash_hook_from_env("SHOP_FULFILMENT_CRASH_AFTER")
    fulfilment = build_fulfilment(
        container, crash=fulfilment_crash, leased=True, engine=runner.engine, store=cached
    )
    saga_metrics = SagaCollector(runner, container.log)
    stop_metrics = serve_worker_metrics(container, saga_metrics, projections=False)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.stopping.set())
    runner.start()
    fulfilment.start()
    while not runner.stopping.wait(0.5):
        if orphaned():
            log.warning("the server that started this worker is gone; stopping")
            break
    fulfilment.close()
    runner.close()
    stop_metrics()
    container.close()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("SHOP_LOG_LEVEL", "INFO"))
    raise SystemExit(run_saga_worker())
