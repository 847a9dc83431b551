"""Running the checkout saga: in-process (`build_saga(container)`) or as `shop worker saga`."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from commands.payment_gateway import PaymentGateway, SimulatedGateway
from commands.process_managers.checkout import CheckoutProcessManager
from commands.process_managers.messages import no_crash
from commands.process_managers.state import SagaState
from config.settings import Settings
from eventstore.log import rest_between_batches

log = logging.getLogger(__name__)


class SagaRunner:
    """Runs process managers: `run_until_idle()` in the caller's thread (tests), or one
    thread each between `start()` and `stop()` (the embedded service, the worker)."""

    def __init__(
        self,
        managers: list[CheckoutProcessManager],
        store: Any,
        poll_interval_s: float = 0.02,
        min_interval_s: float = 0.005,
    ) -> None:
        self.managers = managers
        self.store = store
        self.poll_interval_s = poll_interval_s
        # A batch costs a few commits whatever its size: at most one per interval lets
        # orders gather into batches on a busy shop, for a few milliseconds of latency.
        self.min_interval_s = min_interval_s
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._closers: list[Callable[[], None]] = []

    def run_once(self) -> int:
        return sum(m.run_batch() + m.fire_deadlines() for m in self.managers)

    def run_until_idle(self, max_rounds: int = 100_000) -> int:
        """Handle events and due deadlines until there are none; how many were handled."""
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            if not handled:
                return total
            total += handled
        raise RuntimeError(f"saga still busy after {max_rounds} rounds")

    def start(self) -> None:
        self.stopping.clear()
        for manager in self.managers:
            thread = threading.Thread(
                target=self._loop, args=(manager,), name=manager.name, daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 30.0) -> None:
        """Let each manager finish the batch in hand, then return."""
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads.clear()

    def close(self) -> None:
        self.stop()
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()

    def _loop(self, manager: CheckoutProcessManager) -> None:
        backoff = 0.1
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                handled = manager.run_batch() + manager.fire_deadlines()
                backoff = 0.1
            except Exception:
                log.exception("saga %s failed a batch; retrying in %.1fs", manager.name, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            rest_between_batches(
                self.store,
                self.stopping,
                handled > 0,
                started,
                self.poll_interval_s,
                self.min_interval_s,
            )


def build_saga(
    container: Any,
    gateway: PaymentGateway | None = None,
    partitions: int | None = None,
    crash: Callable[[str], None] = no_crash,
    batch_size: int = 200,
    group_commit: bool | None = None,
) -> SagaRunner:
    """The checkout saga over `container`'s store and bus; not started.

    `partitions` managers (default `SHOP_SAGA_PARTITIONS`) each own the orders whose id
    hashes to them, so they never race each other for one checkout. `group_commit` (default:
    on, except on EventStoreDB, whose appends hold one stream each) appends each batch's
    events in one transaction.
    """
    settings: Settings = container.settings
    partitions = partitions or settings.saga_partitions
    engine = saga_engine(settings)
    state = SagaState(engine)
    if settings.create_tables:
        state.create_tables()
    own_gateway = gateway is None
    gateway = gateway or SimulatedGateway(settings.data_dir / "gateway.sqlite3")
    if group_commit is None:
        group_commit = settings.event_store != "esdb"
    parts = {
        "partitions": partitions,
        "batch_size": batch_size,
        "crash": crash,
        "group_commit": group_commit,
    }
    common = (container.store, container.log, gateway, state, container.clock)
    timeout = settings.payment_timeout_s
    managers = [
        CheckoutProcessManager(*common, timeout, partition=index, **parts)  # type: ignore[arg-type]
        for index in range(partitions)
    ]
    runner = SagaRunner(managers, container.store)
    runner._closers.append(engine.dispose)
    if own_gateway:
        runner._closers.append(gateway.close)  # type: ignore[union-attr]
    return runner


def saga_engine(settings: Settings) -> Engine:
    """Saga tables live beside the events: the PostgreSQL schema, or a SQLite file."""
    if settings.event_store == "postgres" and settings.postgres_dsn:
        url = make_url(settings.postgres_dsn).set(drivername="postgresql+psycopg")
        schema = settings.postgres_schema
        args = {"options": f"-csearch_path={schema}"} if schema else {}
        return create_engine(url, connect_args=args, pool_pre_ping=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{settings.data_dir / 'saga.sqlite3'}", connect_args={"timeout": 30}
    )
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA journal_mode=WAL"))
    return engine


def crash_hook_from_env() -> Callable[[str], None]:
    """Drills only: `SHOP_SAGA_CRASH_AFTER=N` SIGKILLs this process at its Nth step boundary."""
    limit = int(os.environ.get("SHOP_SAGA_CRASH_AFTER", "0"))
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
    from app.supervision import orphaned
    from telemetry.jsonlog import configure_logging
    from telemetry.server import SagaCollector, serve_worker_metrics

    settings = Settings()
    configure_logging(settings)
    container = bootstrap(settings)
    runner = build_saga(container, crash=crash_hook_from_env())
    saga_metrics = SagaCollector(runner, container.log)
    stop_metrics = serve_worker_metrics(container, saga_metrics, projections=False)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.stopping.set())
    runner.start()
    while not runner.stopping.wait(0.5):
        if orphaned():
            log.warning("the server that started this worker is gone; stopping")
            break
    runner.close()
    stop_metrics()
    container.close()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("SHOP_LOG_LEVEL", "INFO"))
    raise SystemExit(run_saga_worker())
