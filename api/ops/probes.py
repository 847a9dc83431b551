"""GET /ready and GET /metrics: for balancers and Prometheus, without a token (like /health).

Keep them off the public internet: the balancer and the scraper reach them on the
internal network (see the README's operations section).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.routing import Match

from api.deps import EventStoreDep, ReadModelsDep, SettingsDep
from api.errors import error_response
from api.ops.readiness import check
from api.ops.state import OperationsDep
from api.ops.workers import WorkersDep, down_reasons

# Probes are for the platform, not API clients: kept out of the OpenAPI schema.
router = APIRouter(tags=["operations"], include_in_schema=False)
OPS_PAGE = "/ops"


def serves_reads(app: FastAPI) -> bool:
    """An app with the /ops page serves the read side (the query or the embedded app)."""
    probe = {"type": "http", "path": OPS_PAGE, "method": "GET", "root_path": "", "headers": []}
    return any(route.matches(probe)[0] == Match.FULL for route in app.routes)


@router.get("/ready", summary="Readiness: store answers, read models within the lag SLO")
def ready(
    request: Request,
    store: EventStoreDep,
    read_models: ReadModelsDep,
    settings: SettingsDep,
    workers: WorkersDep,
) -> Any:
    read_side = read_models if serves_reads(request.app) else None
    result = check(store, read_side, settings.lag_slo_s)
    result.reasons += down_reasons(workers())  # a supervised worker is down
    if not result.ready:
        return error_response(
            503,
            "not_ready",
            "; ".join(result.reasons),
            {"Retry-After": "1"},
            reasons=result.reasons,
            projections=result.projections or None,
        )
    return {"status": "ready", "head": result.head, "projections": result.projections}


@router.get("/metrics", summary="Prometheus metrics of this process")
async def metrics(ops: OperationsDep) -> Response:
    body = await run_in_threadpool(generate_latest, ops.registry)  # collectors read stores
    return Response(body, media_type=CONTENT_TYPE_LATEST)
