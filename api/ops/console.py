"""The /ops page (no token: it holds no data) and the admin-only JSON it reads.

A browser cannot easily send a bearer header when opening a page, so the page is public
and its script sends the admin token the operator pastes (kept in sessionStorage) or
passes in the URL fragment (`/ops#token=...`; a fragment never reaches the server or its
logs) on each call to `/ops/api/*`, which refuse anyone but an admin.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import (
    AdminDep,
    ClockDep,
    EventLogDep,
    EventStoreDep,
    ProjectionStatusDep,
    SettingsDep,
)
from api.errors import ApiError
from api.ops.dead_letters import DeadLettersDep
from api.ops.events import STREAM_ID, recent_events, stream_events
from api.ops.fulfilment import BacklogDep
from api.ops.leases import LeasesDep
from api.ops.page import OPS_HTML
from api.ops.state import OperationsDep
from api.ops.workers import WorkersDep
from api.schemas.params import MAX_POSITION

# Not in the OpenAPI schema: an operator's console, not part of the shop's API contract.
router = APIRouter(prefix="/ops", tags=["operations"], include_in_schema=False)
Limit = Annotated[int, Query(ge=1, le=500)]
# Bounded: SQLite's integers stop at 2**63 - 1, and a bigger one overflowed there (a 500).
After = Annotated[
    int | None, Query(ge=-1, le=MAX_POSITION, description="Only versions above this.")
]


@router.get("", response_class=HTMLResponse)
def ops_page() -> str:
    return OPS_HTML


@router.get("/api/projections", summary="Each projection's position and lag (admin)")
def projections(
    _: AdminDep, list_projections: ProjectionStatusDep, settings: SettingsDep
) -> dict[str, Any]:
    statuses, slo = list_projections(), settings.lag_slo_s
    rows = [s.model_dump() | {"within_slo": s.lag_seconds <= slo} for s in statuses]
    return {"lag_slo_s": slo, "projections": rows}


@router.get("/api/workers", summary="The supervised worker processes (admin)")
def workers(_: AdminDep, rows: WorkersDep) -> dict[str, Any]:
    return {"workers": rows()}


@router.get("/api/leases", summary="Which worker holds each saga partition and projection (admin)")
def leases(_: AdminDep, rows: LeasesDep) -> dict[str, Any]:
    return {"leases": [_lease(row) for row in rows()]}


def _lease(row: dict[str, Any]) -> dict[str, Any]:
    group, _, unit = str(row["name"]).partition(":")
    left = float(row["seconds_left"])
    held = bool(row["holder"]) and left > 0
    return {
        "group": group,
        "unit": unit,
        "holder": row["holder"] if held else None,
        "epoch": row["epoch"],
        "seconds_left": round(max(left, 0.0), 1),
    }


@router.get("/api/checkouts", summary="Checkouts in flight, stuck ones and outcomes (admin)")
def checkouts(
    _: AdminDep, settings: SettingsDep, clock: ClockDep, ops: OperationsDep, limit: Limit = 50
) -> dict[str, Any]:
    ops.monitor.refresh()
    timeout, now = settings.payment_timeout_s, clock()
    in_flight = ops.monitor.in_flight()
    stuck = [order for order in in_flight if order.age_s(now) > timeout]
    return {
        "payment_timeout_s": timeout,
        "in_flight": len(in_flight),
        "stuck": [vars(order) | {"age_s": round(order.age_s(now), 1)} for order in stuck[:limit]],
        "stuck_total": len(stuck),
        "outcomes": [
            {"outcome": outcome, "reason": reason, "count": count}
            for (outcome, reason), count in sorted(ops.monitor.outcome_counts().items())
        ],
    }


@router.get("/api/fulfilment", summary="Shipments on hold, returns awaiting approval (admin)")
def fulfilment(_: AdminDep, backlog: BacklogDep) -> dict[str, Any]:
    counts: dict[str, Any] = backlog().model_dump()
    return counts


@router.get("/api/integration", summary="The outbox, its sinks' lag, deliveries by status (admin)")
def integration(_: AdminDep, request: Request) -> dict[str, Any]:
    status: dict[str, Any] = request.app.state.queries.integration()
    return status


@router.get("/dead-letters", summary="Events the projections parked (admin)")
def dead_letters(_: AdminDep, letters: DeadLettersDep) -> dict[str, Any]:
    """The spec's shape, `{total, items}`; beside /ops/api/*, the same admin check."""
    items = [letter.as_json() for letter in letters.listed()]
    return {"total": len(items), "items": items}


@router.get("/api/events", summary="The newest events of the whole log (admin)")
def events(_: AdminDep, log: EventLogDep, limit: Limit = 30) -> dict[str, Any]:
    return {"head": log.head(), "events": recent_events(log, limit)}


@router.get("/api/streams/{stream_id}", summary="One stream's events, oldest first (admin)")
def stream(
    _: AdminDep, store: EventStoreDep, stream_id: str, after: After = None, limit: Limit = 200
) -> dict[str, Any]:
    if not STREAM_ID.fullmatch(stream_id):
        raise ApiError(422, "invalid_input", "stream id must be like order-<uuid> or product-<sku>")
    found = stream_events(store, stream_id, after, limit)
    if not found and after is None:
        raise ApiError(404, "not_found", f"stream {stream_id} has no events")
    return {"stream": stream_id, "events": found}
