"""The command API: writes only; every answer carries the log `position` of the write."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from api.factory import Service, new_app
from api.host import Host
from api.routers import health
from api.routers.commands import (
    auth,
    carrier,
    coupons,
    customers,
    inventory,
    notifications,
    orders,
    products,
    returns,
    shipments,
    webhook_deliveries,
    webhooks,
)

COMMAND_ROUTERS = (
    products.router,
    inventory.router,
    coupons.router,
    orders.router,
    returns.requests,
    returns.decisions,
    shipments.router,
    carrier.router,
    webhooks.router,
    webhook_deliveries.router,
    notifications.router,
    customers.router,
    auth.router,
)

DESCRIPTION = """Writes of the shop: catalog, stock and coupons (admin), orders and returns
(customers), shipments (admin), and the carrier's signed webhook.

Every write answers with the log `position` of its last event: pass it to the query API
as `?min_position=` to read your own write. Tokens: `shop token --role admin|customer`.
"""


def include_command_routes(app: FastAPI) -> None:
    for router in COMMAND_ROUTERS:
        app.include_router(router)


def create_command_app(
    container: Host, services: Sequence[Service] = (), owns_container: bool = False
) -> FastAPI:
    app = new_app("Shop command API", container, services, owns_container, DESCRIPTION)
    include_command_routes(app)
    app.include_router(health.router)
    return app
