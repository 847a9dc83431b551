"""The one list of projections the runner, the worker and the CLI read, so they cannot drift.

Each entry names its projector (which holds the topics) and how to build its view in
each store; `store_for` picks the store from the settings. View modules are imported only
when a store is chosen, so Redis or Elasticsearch code never loads unless configured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from config.settings import Settings
from projections.core import ProjectionView


class Resources(Protocol):
    """The connections a view is built on; the composition root opens them (app.read_side)."""

    @property
    def read_engine(self) -> Any: ...
    @property
    def catalog_engine(self) -> Any: ...
    @property
    def redis(self) -> Any: ...
    @property
    def redis_namespace(self) -> str: ...
    @property
    def elasticsearch(self) -> Any: ...
    @property
    def elasticsearch_prefix(self) -> str: ...


@dataclass(frozen=True)
class ProjectionSpec:
    name: str
    stores: Mapping[str, Callable[[Resources], ProjectionView]]
    store_for: Callable[[Settings], str]


def _sql_orders(r: Resources) -> ProjectionView:
    from projections.order_views.sql import SqlOrderViews

    return SqlOrderViews(r.read_engine)


def _sql_customers(r: Resources) -> ProjectionView:
    from projections.customers.sql import SqlCustomers

    return SqlCustomers(r.read_engine)


def _sql_lookups(r: Resources) -> ProjectionView:
    from projections.hot_lookups.sql import SqlHotLookups

    return SqlHotLookups(r.read_engine)


def _redis_lookups(r: Resources) -> ProjectionView:
    from projections.hot_lookups.redis import RedisHotLookups

    return RedisHotLookups(r.redis, r.redis_namespace)


def _fts_catalog(r: Resources) -> ProjectionView:
    from projections.catalog_search.sqlite_fts import SqliteCatalogSearch

    return SqliteCatalogSearch(r.catalog_engine)


def _es_catalog(r: Resources) -> ProjectionView:
    from projections.catalog_search.elasticsearch import ElasticsearchCatalogSearch

    return ElasticsearchCatalogSearch(r.elasticsearch, r.elasticsearch_prefix)


PROJECTIONS: tuple[ProjectionSpec, ...] = (
    ProjectionSpec("order_views", {"sql": _sql_orders}, lambda s: "sql"),
    ProjectionSpec(
        "hot_lookups",
        {"sql": _sql_lookups, "redis": _redis_lookups},
        lambda s: "redis" if s.redis_url else "sql",
    ),
    ProjectionSpec(
        "catalog_search",
        {"sqlite_fts": _fts_catalog, "elasticsearch": _es_catalog},
        lambda s: "elasticsearch" if s.elasticsearch_url else "sqlite_fts",
    ),
    ProjectionSpec("customers", {"sql": _sql_customers}, lambda s: "sql"),
)
NAMES = tuple(spec.name for spec in PROJECTIONS)


def spec(name: str) -> ProjectionSpec:
    for candidate in PROJECTIONS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown projection {name!r}; known: {', '.join(NAMES)}")
