"""Builds the read side from settings: engines and clients, views, queries and the runner.

Called by `app.bootstrap` (the composition root); nothing here runs at import. This is
where projections meet queries: each query reads its view through a protocol of its own,
so neither package imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property, partial
from typing import Any

from app.backends import state_engine
from config.settings import Settings
from eventstore.dead_letters import DeadLetters
from eventstore.leases import LeaseTable
from eventstore.log import EventLog
from projections.catalog_search.view import CatalogSearch
from projections.core import ProjectionView
from projections.customers.view import Customers
from projections.hot_lookups.view import HotLookups
from projections.order_views.view import OrderViews
from projections.readmodels import ReadModels
from projections.registry import PROJECTIONS, ProjectionSpec
from projections.sqlstore import create_sql_engine
from queries.catalog import CatalogQueries
from queries.customers import CustomerQueries
from queries.fulfilment import FulfilmentQueries
from queries.lookups import LookupQueries
from queries.orders import OrderQueries
from queries.projections import ListProjections
from telemetry.deliveries import delivery_status


class Resources:
    """The read side's connections, opened on first use and closed together."""

    def __init__(
        self, settings: Settings, redis_namespace: str = "rm", elasticsearch_prefix: str = "rm"
    ) -> None:
        self.settings = settings
        self.redis_namespace = redis_namespace
        self.elasticsearch_prefix = elasticsearch_prefix
        self._opened: list[Any] = []

    @cached_property
    def read_engine(self) -> Any:
        url = self.settings.read_db_url
        if url is None:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{self.settings.views_sqlite_path}"
        return self._keep(create_sql_engine(url, self.settings.lease_ttl_s), "dispose")

    @cached_property
    def catalog_engine(self) -> Any:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_sql_engine(f"sqlite:///{self.settings.catalog_sqlite_path}")
        return self._keep(engine, "dispose")

    @cached_property
    def redis(self) -> Any:
        import redis

        return self._keep(redis.Redis.from_url(str(self.settings.redis_url)), "close")

    @cached_property
    def elasticsearch(self) -> Any:
        from elasticsearch import Elasticsearch

        client = Elasticsearch(str(self.settings.elasticsearch_url), request_timeout=30)
        return self._keep(client, "close")

    @cached_property
    def state_engine(self) -> Any:
        """The database beside the events, where parked events are recorded."""
        return self._keep(state_engine(self.settings), "dispose")

    def _keep(self, resource: Any, closer: str) -> Any:
        self._opened.append(getattr(resource, closer))
        return resource

    def close(self) -> None:
        for closer in reversed(self._opened):
            closer()
        self._opened.clear()


def build_read_models(
    settings: Settings,
    log: EventLog,
    resources: Resources | None = None,
    clock: Callable[[], datetime] | None = None,
) -> ReadModels:
    """Every projection's view in the store the settings choose.

    Cheap: a view connects to its store (and creates its tables when `create_tables`) on
    first use, so a process that only serves commands never opens the read stores.
    """
    resources = resources or Resources(settings)
    factories = {spec.name: partial(_build_view, spec, settings, resources) for spec in PROJECTIONS}
    extra = {"clock": clock} if clock else {}
    parking = partial(_dead_letters, settings, resources)
    return ReadModels(
        log,
        factories,
        resources.close,
        dead_letters=parking,
        max_attempts=settings.max_attempts,
        **extra,
    )


class Queries:
    """Every query object the API serves, one group per view.

    A group is built on first use, and only then opens its view's store: a process that
    only serves commands never connects to the read side, and a store that is down only
    fails the reads that need it.
    """

    def __init__(self, read_models: ReadModels) -> None:
        self.read_models = read_models

    @cached_property
    def orders(self) -> OrderQueries:
        view = self.read_models.view("order_views")
        assert isinstance(view, OrderViews)  # and mypy checks it against OrderViewsReader
        return OrderQueries.over(view)

    @cached_property
    def fulfilment(self) -> FulfilmentQueries:
        """Shipments and returns: tables of the order views, in the same store."""
        view = self.read_models.view("order_views")
        assert isinstance(view, OrderViews)
        return FulfilmentQueries.over(view)

    @cached_property
    def catalog(self) -> CatalogQueries:
        view = self.read_models.view("catalog_search")
        assert isinstance(view, CatalogSearch)
        return CatalogQueries.over(view)

    @cached_property
    def lookups(self) -> LookupQueries:
        view = self.read_models.view("hot_lookups")
        assert isinstance(view, HotLookups)
        return LookupQueries.over(view)

    @cached_property
    def customers(self) -> CustomerQueries:
        view = self.read_models.view("customers")
        assert isinstance(view, Customers)
        return CustomerQueries.over(view)

    @cached_property
    def projections(self) -> ListProjections:
        return ListProjections(self.read_models)

    @cached_property
    def leases(self) -> Callable[[], list[dict[str, Any]]]:
        """The lease rows (which worker holds each partition and projection), read from
        the database beside the events, where the dead letters are too."""
        return LeaseTable(self.read_models.dead_letters.engine).rows

    @cached_property
    def integration(self) -> Callable[[], dict[str, Any]]:
        """The outbox, its sinks' lag and the delivery logs, beside the events."""
        return partial(delivery_status, self.read_models.dead_letters.engine)


def _dead_letters(settings: Settings, resources: Resources) -> DeadLetters:
    dead_letters = DeadLetters(resources.state_engine)
    if settings.create_tables:  # like the views' ensure(): `shop migrate` does it otherwise
        dead_letters.create_tables()
    return dead_letters


def _build_view(spec: ProjectionSpec, settings: Settings, resources: Resources) -> ProjectionView:
    view = spec.stores[spec.store_for(settings)](resources)
    if settings.create_tables:
        view.ensure()
    return view
