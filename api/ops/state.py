"""What the operations endpoints of one app share (kept on `app.state.ops`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from prometheus_client import CollectorRegistry

from telemetry.checkouts import CheckoutMonitor


@dataclass(frozen=True)
class Operations:
    registry: CollectorRegistry
    monitor: CheckoutMonitor


async def get_operations(request: Request) -> Operations:
    return request.app.state.ops


OperationsDep = Annotated[Operations, Depends(get_operations)]
