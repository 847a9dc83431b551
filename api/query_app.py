"""The query API: reads from the read models, with `?min_position=` for read-your-writes."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from api.factory import Service, new_app
from api.host import Host
from api.ops import console
from api.routers import health
from api.routers.queries import catalog, customers, fulfilment, lookups, notifications, orders

QUERY_ROUTERS = (
    catalog.router,
    lookups.router,
    orders.router,
    fulfilment.router,
    notifications.router,
    customers.router,
    console.router,
)

DESCRIPTION = """Reads of the shop, answered from read models kept by projectors.

Pass a write's `position` as `?min_position=` to read your own write: the answer waits
until the read model has reached it, or is a 503 carrying the current lag.
"""


def include_query_routes(app: FastAPI) -> None:
    for router in QUERY_ROUTERS:
        app.include_router(router)


def create_query_app(
    container: Host, services: Sequence[Service] = (), owns_container: bool = False
) -> FastAPI:
    app = new_app("Shop query API", container, services, owns_container, DESCRIPTION)
    include_query_routes(app)
    app.include_router(health.router)
    return app
