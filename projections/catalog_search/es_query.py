"""The catalog index's mappings and the search request built from a SearchRequest."""

from __future__ import annotations

from typing import Any

from projections.catalog_search.view import FACETS, SearchPage, SearchRequest

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


def search_body(request: SearchRequest) -> dict[str, Any]:
    """Keyword arguments of `Elasticsearch.search` for one page with its facets."""
    text = request.q.strip()
    sort = SORTS.get(request.sort, SORTS["newest"])
    if request.sort == "relevance" and text:
        sort = ["_score", {"sku": "asc"}]
    return {
        "query": _query(request, text),
        "sort": sort,
        "from_": request.offset,
        "size": request.limit,
        "track_total_hits": True,
        "aggs": {name: {"terms": {"field": name, "size": 1000}} for name in FACETS},
    }


def search_page(response: Any) -> SearchPage:
    items = [clean(hit["_source"]) for hit in response["hits"]["hits"]]
    facets = {
        name: {b["key"]: b["doc_count"] for b in sorted(agg["buckets"], key=_by_key)}
        for name, agg in response["aggregations"].items()
    }
    return SearchPage(response["hits"]["total"]["value"], items, facets)


def clean(source: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in source.items() if key != "kind"}


def _by_key(bucket: dict[str, Any]) -> Any:
    return bucket["key"]


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
