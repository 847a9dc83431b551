"""Catalog search views on one ElasticsearchModel, made the way tests/projections/stores.py
makes views on a real server: each with its own index prefix."""

from __future__ import annotations

from uuid import uuid4

from projections.catalog_search.elasticsearch import ElasticsearchCatalogSearch
from projections.catalog_search.es_bulk import BulkRetry
from tests.support.es_model.node import model_client
from tests.support.es_model.server import ElasticsearchModel

FAST_RETRY = BulkRetry(attempts=3, initial_s=0.001, max_s=0.004)  # the same doubling, in ms


class ModelViewMaker:
    store = "elasticsearch-model"

    def __init__(self, model: ElasticsearchModel | None = None) -> None:
        self.model = model or ElasticsearchModel()

    def __call__(self, prefix: str | None = None) -> ElasticsearchCatalogSearch:
        """A view with its own client; the same `prefix` twice: two processes, one index."""
        prefix = prefix or f"t{uuid4().hex[:10]}"
        view = ElasticsearchCatalogSearch(model_client(self.model), prefix, FAST_RETRY)
        view.ensure()
        return view
