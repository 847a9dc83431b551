"""Catalog search on Elasticsearch 9: one versioned index per generation behind an alias.

Index `<prefix>-catalog-v<N>`, alias `<prefix>-catalog`; a rebuild swaps the alias in one
`update_aliases` call. Every product document is written with `version_type=external` and
version = the log position of the last event folded into it, so an older write (a
replay, a slow second worker) is refused by Elasticsearch instead of overwriting a newer
one. The position is the `_tracking` document of the same index, written after the
products of its batch, with the batch end as its external version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError, helpers

from eventstore.log import Logged
from projections.catalog_search.view import CatalogSearch, SearchPage, SearchRequest
from projections.core import Doc, Key, fold, fresh_events

TRACKING_ID = "_tracking"
TEXT = {"type": "text", "analyzer": "english"}
KEYWORD_AND_TEXT = {"type": "keyword", "fields": {"text": TEXT}}
MAPPINGS = {
    "dynamic": False,
    "properties": {
        "kind": {"type": "keyword"},
        "sku": {"type": "keyword"},
        "name": TEXT,
        "description": TEXT,
        "category": KEYWORD_AND_TEXT,
        "brand": KEYWORD_AND_TEXT,
        "price": {"type": "long"},
        "available": {"type": "long"},
        "listed": {"type": "boolean"},
        "newest": {"type": "long"},
        "position": {"type": "long"},
    },
}
SORTS: dict[str, list[Any]] = {
    "price_asc": [{"price": "asc"}, {"sku": "asc"}],
    "price_desc": [{"price": "desc"}, {"sku": "asc"}],
    "newest": [{"newest": "desc"}, {"sku": "asc"}],
}


class ElasticsearchCatalogSearch(CatalogSearch):
    """One document per sku (`kind: product`), the search projector's document as is."""

    def __init__(self, client: Elasticsearch, prefix: str = "rm") -> None:
        super().__init__()
        self.client = client
        self.alias = f"{prefix}-catalog"

    def index(self, generation: int) -> str:
        return f"{self.alias}-v{generation}"

    def ensure(self) -> None:
        if not self.client.indices.exists_alias(name=self.alias):
            generation = self.create_generation()
            self.switch(generation)

    def live_generation(self) -> int:
        try:
            names = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return 0
        return int(names[0].rsplit("-v", 1)[1]) if names else 0

    def generations(self) -> list[int]:
        found = self.client.indices.get(index=f"{self.alias}-v*", allow_no_indices=True)
        return sorted(int(name.rsplit("-v", 1)[1]) for name in found)

    def position(self, generation: int | None = None) -> int:
        index = self.index(generation) if generation else self.alias
        try:
            return int(self.client.get(index=index, id=TRACKING_ID)["_source"]["position"])
        except NotFoundError:
            return 0

    def create_generation(self) -> int:
        generation = max([0, self.live_generation(), *self.generations()]) + 1
        self.client.indices.create(index=self.index(generation), mappings=MAPPINGS)
        self._track(self.index(generation), 0)
        return generation

    def switch(self, generation: int) -> None:
        add = {"add": {"index": self.index(generation), "alias": self.alias}}
        actions: list[dict[str, Any]] = [add]
        live = self.live_generation()
        if live and live != generation:
            actions.insert(0, {"remove": {"index": self.index(live), "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)

    def drop_generation(self, generation: int) -> None:
        self.client.indices.delete(index=self.index(generation), ignore_unavailable=True)

    def apply(
        self, events: Sequence[Logged], after: int, upto: int, generation: int | None = None
    ) -> bool:
        index = self.index(generation or self.live_generation())
        stored = self.position(int(index.rsplit("-v", 1)[1]))
        if stored < after:
            return False
        keys = {key for logged in events for key in self.projector.keys(logged)}
        loaded, versions = self._load(index, keys)
        # A crash between the products and the tracking write leaves documents ahead of
        # the position: skip the events a document already holds (its version says which).
        fresh = [e for e in fresh_events(events, stored) if self._needed(e, versions)]
        docs = fold(self.projector, fresh, lambda _keys: loaded)
        actions = [
            {
                "_op_type": "index",
                "_index": index,
                "_id": key,
                "_source": {**doc, "kind": kind},
                "version": docs.versions[(kind, key)],
                "version_type": "external",
            }
            for (kind, key), doc in docs.changed_docs().items()
        ]
        if actions:  # a 409 means a newer write is already there: exactly what we want kept
            helpers.bulk(self.client, actions, raise_on_error=False, refresh=True)
        if upto > stored:
            self._track(index, upto)
        return True

    def _needed(self, logged: Logged, versions: dict[Key, int]) -> bool:
        return any(versions.get(k, -1) < logged.position for k in self.projector.keys(logged))

    def _track(self, index: str, position: int) -> None:
        try:
            self.client.index(
                index=index,
                id=TRACKING_ID,
                version=position,
                version_type="external",
                refresh=True,
                document={"kind": "tracking", "position": position},
            )
        except Exception as error:  # 409: another writer already went further
            if getattr(error, "status_code", getattr(error, "status", None)) != 409:
                raise

    def _load(self, index: str, keys: set[Key]) -> tuple[dict[Key, Doc], dict[Key, int]]:
        if not keys:
            return {}, {}
        ids = sorted(key for _, key in keys)
        found = self.client.mget(index=index, ids=ids)["docs"]
        docs = {("product", d["_id"]): _clean(d["_source"]) for d in found if d.get("found")}
        return docs, {("product", d["_id"]): d["_version"] for d in found if d.get("found")}

    def snapshot(self, generation: int | None = None) -> tuple[int, dict[str, Any]]:
        while True:
            index = self.index(generation or self.live_generation())
            before = self.position(int(index.rsplit("-v", 1)[1]))
            query = {"query": {"term": {"kind": "product"}}}
            rows = {
                f"product:{hit['_id']}": _clean(hit["_source"])
                for hit in helpers.scan(self.client, query=query, index=index)
            }
            if self.position(int(index.rsplit("-v", 1)[1])) == before:
                return before, rows

    def search(self, request: SearchRequest) -> SearchPage:
        text = request.q.strip()
        sort = SORTS.get(request.sort, SORTS["newest"])
        if request.sort == "relevance" and text:
            sort = ["_score", {"sku": "asc"}]
        response = self.client.search(
            index=self.alias,
            query=_query(request, text),
            sort=sort,
            from_=request.offset,
            size=request.limit,
            track_total_hits=True,
            aggs={name: {"terms": {"field": name, "size": 1000}} for name in ("category", "brand")},
        )
        items = [_clean(hit["_source"]) for hit in response["hits"]["hits"]]
        facets = {
            name: {b["key"]: b["doc_count"] for b in sorted(agg["buckets"], key=_by_key)}
            for name, agg in response["aggregations"].items()
        }
        return SearchPage(response["hits"]["total"]["value"], items, facets)

    def close(self) -> None:
        self.client.close()


def _by_key(bucket: dict[str, Any]) -> Any:
    return bucket["key"]


def _clean(source: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in source.items() if key != "kind"}


def _query(r: SearchRequest, text: str) -> dict[str, Any]:
    filters: list[dict[str, Any]] = [{"term": {"kind": "product"}}, {"term": {"listed": True}}]
    for field, value in (("category", r.category), ("brand", r.brand)):
        if value is not None:
            filters.append({"term": {field: value}})
    price = {k: v for k, v in (("gte", r.min_price), ("lte", r.max_price)) if v is not None}
    if price:
        filters.append({"range": {"price": price}})
    if r.in_stock is not None:
        filters.append({"range": {"available": {"gt": 0} if r.in_stock else {"lte": 0}}})
    must = []
    if text:
        must.append(
            {
                "multi_match": {
                    "query": text,
                    "type": "bool_prefix",
                    "operator": "and",
                    "fields": ["name^10", "description", "brand.text^4", "category.text^3"],
                }
            }
        )
    return {"bool": {"filter": filters, "must": must}}
