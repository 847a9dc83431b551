"""Views for contract tests: a fresh, isolated view of any read model in any store.

`ViewMaker(name, store)()` builds one more independent view each call (a new SQLite file,
a new PostgreSQL schema, a new Redis key namespace, a new Elasticsearch index prefix),
through the registry, as production wiring would.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote
from uuid import uuid4

import pytest

from app.read_side import Resources
from config.settings import Settings
from projections.core import ProjectionView
from projections.registry import spec
from tests.support.postgres import fresh_schema
from tests.support.services import require_elasticsearch, require_postgres, require_redis

SQL_STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
LOOKUP_STORES = [*SQL_STORES, pytest.param("redis", marks=pytest.mark.redis)]
SEARCH_STORES = ["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]
REGISTRY_STORE = {"sqlite": "sql", "postgres": "sql", "redis": "redis"}


class ViewMaker:
    def __init__(self, name: str, store: str, tmp_path: Path) -> None:
        self.name, self.store, self.tmp_path = name, store, tmp_path
        self.cleanup = ExitStack()
        self.made = 0

    def __call__(self) -> ProjectionView:
        self.made += 1
        tag = f"t{uuid4().hex[:10]}"
        values: dict[str, object] = {"data_dir": self.tmp_path / f"views{self.made}"}
        if self.store == "postgres":
            dsn = require_postgres()
            schema = self.cleanup.enter_context(fresh_schema(dsn))
            url = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
            values["read_db_url"] = f"{url}?options={quote(f'-csearch_path={schema}')}"
        if self.store == "redis":
            values["redis_url"] = require_redis()
        if self.store == "elasticsearch":
            values["elasticsearch_url"] = require_elasticsearch()
        resources = Resources(Settings(**values), redis_namespace=tag, elasticsearch_prefix=tag)
        store = self._registry_store()
        view = spec(self.name).stores[store](resources)
        view.ensure()
        self.cleanup.callback(resources.close)
        self.cleanup.callback(self._forget, view)
        return view

    def _registry_store(self) -> str:
        if self.name == "catalog_search":
            return "elasticsearch" if self.store == "elasticsearch" else "sqlite_fts"
        return REGISTRY_STORE[self.store]

    @staticmethod
    def _forget(view: ProjectionView) -> None:
        """Drop what the view left in a shared server (Redis keys, ES indices)."""
        for generation in view.generations():
            view.drop_generation(generation)
        drop_all = getattr(view, "drop_everything", None)
        if drop_all:
            drop_all()
