"""GET /health: liveness plus the log head, without a token."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import EventLogDep
from api.schemas.health import Health

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and the log head (no token needed)")
def health(log: EventLogDep) -> Health:
    return Health(head=log.head())
