"""What both APIs share: error mapping, middleware, auth codec and a lifespan for services.

A "service" is anything with `start()` and `stop()` (the projection runner, the saga
runner) that should live exactly as long as the HTTP server.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from fastapi import FastAPI

from api.auth import codec_for
from api.authenticate import AuthenticateWrites
from api.consistency import Freshness
from api.deps import CommandSender
from api.docs import install_docs
from api.errors import install_error_handlers
from api.head import HeadAsGet
from api.host import Host
from api.middleware import BodySizeLimit, CorrelationId
from api.ops import install_operations
from api.ratelimit import rate_limits
from api.strict_json import StrictJson
from api.tokens import bearer_tokens

log = logging.getLogger("shop.api")


class Service(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


def new_app(
    title: str,
    container: Host,
    services: Sequence[Service] = (),
    owns_container: bool = False,
    description: str = "",
) -> FastAPI:
    """A FastAPI app over `container`; `services` start and stop with it.

    The routes' dependencies (`api.deps`) read the narrow pieces put on `app.state` here.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started: list[Service] = []
        try:
            for service in services:
                service.start()
                started.append(service)
            yield
        finally:
            for service in reversed(started):
                _stop(service)
            if owns_container:
                container.close()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,  # install_docs serves /docs without a CDN
        redoc_url=None,
        # No `/orders/` -> `/orders` redirect: it answered 307 before auth, with a Location
        # built from the client's own Host header. A trailing slash is a plain 404.
        redirect_slashes=False,
    )
    _hand_out(app, container)
    install_error_handlers(app)
    app.add_middleware(CorrelationId)
    app.add_middleware(StrictJson)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(AuthenticateWrites)  # outermost of the three: 401 before any body
    install_operations(app, container)  # /metrics, /ready, request metrics
    install_docs(app)
    app.add_middleware(HeadAsGet)  # outermost: every GET route answers HEAD too
    return app


def _hand_out(app: FastAPI, container: Host) -> None:
    state, settings = app.state, container.settings
    state.settings, state.clock = settings, container.clock
    state.log, state.store = container.log, container.store
    state.read_models, state.queries = container.read_models, container.queries
    state.freshness = Freshness(container.read_models, settings.consistency_timeout_s)
    state.commands = CommandSender.for_store(container.bus, settings)
    state.passwords = container.passwords
    state.token_codec = codec_for(settings)
    state.bearer_tokens = bearer_tokens(settings, state.token_codec, container.extras)
    state.rate_limits = rate_limits(container.extras)


def _stop(service: Service) -> None:
    try:
        service.stop()
    except Exception:  # one failing stop must not keep the others running
        log.exception("stopping %r failed", service)
