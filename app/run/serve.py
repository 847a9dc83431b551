"""`shop serve`: the embedded all-in-one server, or the command or query API alone.

`all` runs everything in one process on the embedded default: both APIs on one port, the
projectors and the checkout saga on threads started and stopped by the app's lifespan,
and a demo catalog written when the store is empty. uvicorn runs with uvloop and
httptools (plain asyncio pays Nagle's ~40 ms per response, see FACTS.md).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from api.command_app import create_command_app, include_command_routes
from api.factory import Service, new_app
from api.query_app import create_query_app, include_query_routes
from api.routers import health
from app.bootstrap import Container, bootstrap
from app.migrate import prepare_store
from app.run.banner import banner, base_url
from app.run.children import supervised_workers
from app.run.exclusive import listen, lock_data_dir
from app.seed import DemoCatalog
from app.supervisor import Supervisor
from config.settings import Settings
from telemetry.jsonlog import configure_logging

log = logging.getLogger("shop.api")

DESCRIPTION = """The whole shop in one process: commands, queries, the checkout saga and the
projectors. Writes answer with a `position`; pass it to reads as `?min_position=`.
Tokens: `.venv/bin/shop token --role admin` or `.venv/bin/shop token --role customer --sub
<customer id>`, run where `shop serve` runs (or with its SHOP_DATA_DIR).
"""


class Background:
    """A runner built when the server starts (nothing opens earlier) and stopped with it."""

    def __init__(self, name: str, build: Callable[[], Any], stop: str = "stop") -> None:
        self.name, self.build, self.stop_method = name, build, stop
        self.runner: Any = None

    def start(self) -> None:
        self.runner = self.build()
        self.runner.start()
        log.info("%s started", self.name)

    def stop(self) -> None:
        if self.runner is not None:
            getattr(self.runner, self.stop_method)()
            log.info("%s stopped", self.name)

    def __repr__(self) -> str:
        return f"Background({self.name})"


def in_process_services(container: Container, server_url: str | None = None) -> list[Service]:
    """Seed, then projectors, then the saga (stopped in reverse: the saga first).

    Both run in child processes (`shop worker projections`, `shop worker saga`) that a
    supervisor restarts when they die, after the payment provider's simulator when
    SHOP_PSP_URL is unset (and the carrier's, whose webhook goes to `server_url`, when
    SHOP_CARRIER_URL is), except on the in-memory store, which no other process can see:
    then on threads, with the in-process simulated gateway.
    """
    from app.run.fulfilment import build_fulfilment
    from app.run.saga import build_saga

    if container.settings.event_store == "memory":
        workers: list[Service] = [
            Background("projections", lambda: container.read_models.runner()),
            Background("checkout saga", lambda: build_saga(container), stop="close"),
            Background("fulfilment", lambda: build_fulfilment(container), stop="close"),
        ]
    else:
        workers = [supervised_workers(container, server_url)]
    return [DemoCatalog(container), *workers]


def create_embedded_app(
    container: Container, owns_container: bool = True, server_url: str | None = None
) -> FastAPI:
    services = in_process_services(container, server_url)
    app = new_app("Shop API (embedded)", container, services, owns_container, DESCRIPTION)
    supervisor = next((s for s in services if isinstance(s, Supervisor)), None)
    if supervisor is not None:  # /ready and /ops/api/workers read it
        app.state.workers = supervisor.status
    psp = container.settings.psp_url or (supervisor.url("psp") if supervisor else None)
    app.state.psp_url = psp  # for the banner
    include_command_routes(app)
    include_query_routes(app)
    app.include_router(health.router)
    return app


def create_app(part: str, settings: Settings, server_url: str | None = None) -> FastAPI:
    container = bootstrap(settings)
    if part == "command":
        return create_command_app(container, owns_container=True)
    if part == "query":
        return create_query_app(container, owns_container=True)
    return create_embedded_app(container, server_url=server_url)


def run_server(part: str, host: str, port: int) -> None:
    """Claim the port and the data dir, then build the app, print the banner and serve."""
    settings = Settings()
    listener = listen(host, port)  # before anything starts: a busy port fails here
    lock = lock_data_dir(settings.data_dir) if embedded_files(part, settings) else None
    configure_logging(settings)  # JSON lines; uvicorn's loggers propagate to it
    settings = prepare_store(settings)  # migrate under the lock, or wait for `shop migrate`
    app = create_app(part, settings, base_url(host, port))
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        log_level=settings.log_level.lower(),
        access_log=False,
        timeout_graceful_shutdown=10,
        log_config=None,
    )
    server = uvicorn.Server(config)
    # uvicorn re-raises the signal it stopped on once it has shut down; with this handler
    # that re-raise is a no-op, so SIGTERM ends the process with status 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    print(banner(part, host, port, settings, getattr(app.state, "psp_url", None)), flush=True)
    server.run(sockets=[listener])
    if lock is not None:
        lock.close()  # once the workers have stopped: the data dir is free again
    if not server.started:
        sys.exit(1)


def embedded_files(part: str, settings: Settings) -> bool:
    """Whether this server owns its data dir: the all-in-one server on the SQLite default.

    `shop serve command` and `shop serve query` share one data dir by design.
    """
    return part == "all" and settings.event_store == "sqlite"
