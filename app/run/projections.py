"""`shop worker projections`: keep the read models up to date until SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType

from app.backends import state_engine
from app.bootstrap import bootstrap
from app.migrate import prepare_store
from app.supervision import orphaned
from config.settings import Settings
from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LeaseTable
from projections.registry import NAMES
from telemetry.jsonlog import configure_logging
from telemetry.server import serve_worker_metrics

log = logging.getLogger(__name__)


def run_projection_worker(only: str | None = None) -> None:
    """Run every projection (or `only` one); on a signal finish the batch and exit 0."""
    if only is not None and only not in NAMES:
        print(f"unknown projection {only!r}; known: {', '.join(NAMES)}", file=sys.stderr)
        sys.exit(2)
    settings = Settings()
    configure_logging(settings)
    stopping = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: finishing the current batch", signum)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    container = bootstrap(prepare_store(settings))  # migrated, or waited for `shop migrate`
    runner = container.read_models.runner(only)
    names = [only] if only else list(NAMES)
    lease_engine = state_engine(container.settings)
    runner.leases = LeaseKeeper(
        LeaseTable(lease_engine), "projections", names, settings.lease_ttl_s
    )
    stop_metrics = serve_worker_metrics(container)  # on SHOP_METRICS_PORT, if set
    runner.start()
    log.info("projecting %s", only or ", ".join(NAMES))
    try:
        while not stopping.wait(0.5):
            if orphaned():
                log.warning("the server that started this worker is gone; stopping")
                break
    finally:
        runner.stop()  # each thread ends after its batch commits with its position
        stop_metrics()
        lease_engine.dispose()
        container.close()
    sys.exit(0)
