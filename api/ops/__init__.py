"""Operations endpoints: /metrics, /ready and the /ops page (see the README's operations section).

`install_operations(app)` is called once by `api.factory.new_app` for every API; the /ops
page and its JSON come with the query routes (`api.ops.page.router`).
"""

from __future__ import annotations

from fastapi import FastAPI

from api.host import Host
from api.ops.http_metrics import HttpMetrics, RequestMetrics
from api.ops.probes import router as probes_router
from api.ops.probes import serves_reads
from api.ops.state import Operations
from telemetry.checkouts import CheckoutMonitor
from telemetry.metrics import shop_registry


def install_operations(app: FastAPI, container: Host) -> None:
    """Per-app registry and checkout monitor, request metrics, /metrics and /ready."""
    monitor = CheckoutMonitor(container.log, container.clock)
    registry = shop_registry(container, monitor, projections=lambda: serves_reads(app))
    app.state.ops = Operations(registry, monitor)
    app.add_middleware(RequestMetrics, metrics=HttpMetrics(registry))
    app.include_router(probes_router)
