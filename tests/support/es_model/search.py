"""Search in the model: exact-value queries, sorts, paging, terms aggregations and scroll.

Full-text queries (`match`, `multi_match`, ...) depend on analyzers and BM25 scoring, which
this model does not imitate: it raises NotImplementedError, so a test that needs them
fails loudly instead of passing on a guess. They belong to the real-server suite.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from tests.support.es_model.state import Doc, EsError, Index

MAX_RESULT_WINDOW = 10_000
_scroll_ids = count(1)


class SearchApis:
    """Mixed into ElasticsearchModel; `self` has `indices`, `resolve`, `scrolls`."""

    def search(self, target: str, body: dict[str, Any], params: dict[str, Any]) -> dict:
        """Search sees each index as of its last refresh; `from + size` is capped by
        index.max_result_window (10,000); hits are counted exactly when `track_total_hits`
        is true, else up to 10,000:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-search
        https://www.elastic.co/docs/reference/elasticsearch/rest-apis/paginate-search-results"""
        body = {**params, **body}
        start, size = int(body.get("from", 0)), int(body.get("size", 10))
        if "scroll" not in body and start + size > MAX_RESULT_WINDOW:
            raise EsError(400, "illegal_argument_exception", "Result window is too large")
        query = body.get("query", {"match_all": {}})
        hits = [
            _hit(index, doc_id, doc)
            for name in self.resolve(target)  # type: ignore[attr-defined]
            for index in [self.indices[name]]  # type: ignore[attr-defined]
            for doc_id, doc in sorted(index.searchable.items())
            if _matches(query, index, doc)
        ]
        hits = _sorted(hits, body.get("sort"))
        answer: dict[str, Any] = {
            "took": 1,
            "timed_out": False,
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {
                "total": _total(len(hits), body.get("track_total_hits")),
                "max_score": None,
                "hits": hits[start : start + size],
            },
        }
        if "aggs" in body or "aggregations" in body:
            answer["aggregations"] = _aggregations(body.get("aggs") or body["aggregations"], hits)
        if "scroll" in body:
            answer["_scroll_id"] = f"scroll-{next(_scroll_ids)}"
            self.scrolls[answer["_scroll_id"]] = [size, hits[size:]]  # type: ignore[attr-defined]
        return answer

    def scroll(self, body: dict[str, Any]) -> dict[str, Any]:
        """A scroll keeps the search context of its first request: later writes are not seen:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-scroll"""
        kept = self.scrolls.get(body["scroll_id"])  # type: ignore[attr-defined]
        if kept is None:
            raise EsError(404, "search_context_missing_exception", "No search context found")
        size, rest = kept
        kept[1] = rest[size:]
        return {
            "_scroll_id": body["scroll_id"],
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"hits": rest[:size]},
        }

    def clear_scroll(self, body: dict[str, Any]) -> dict[str, Any]:
        """https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-clear-scroll"""
        ids = body.get("scroll_id", [])
        ids = [ids] if isinstance(ids, str) else ids
        freed = [self.scrolls.pop(i, None) for i in ids]  # type: ignore[attr-defined]
        return {"succeeded": True, "num_freed": sum(kept is not None for kept in freed)}


def _hit(index: Index, doc_id: str, doc: Doc) -> dict[str, Any]:
    return {"_index": index.name, "_id": doc_id, "_score": 1.0, "_source": doc.source}


def _total(hits: int, track: Any) -> dict[str, Any]:
    if track is True or str(track).lower() == "true" or hits < MAX_RESULT_WINDOW:
        return {"value": hits, "relation": "eq"}
    return {"value": MAX_RESULT_WINDOW, "relation": "gte"}


def _value(index: Index, doc: Doc, field: str) -> Any:
    """A field's value as queries see it: none when the field is not indexed (unmapped in a
    mapping with `dynamic: false`; sub-fields such as `brand.text` are text, not modelled)."""
    if "." in field:
        raise NotImplementedError(f"querying the multi-field {field!r} is not modelled")
    if index.field_type(field) == "text":
        raise NotImplementedError(f"querying the text field {field!r} is not modelled")
    if index.field_type(field) is None and not index.dynamic:
        return None
    return doc.source.get(field)


def _matches(query: dict[str, Any], index: Index, doc: Doc) -> bool:
    """Term-level queries and bool:
    https://www.elastic.co/docs/reference/query-languages/query-dsl/term-level-queries
    https://www.elastic.co/docs/reference/query-languages/query-dsl/query-dsl-bool-query"""
    [(kind, spec)] = query.items()
    if kind == "match_all":
        return True
    if kind == "bool":
        clauses = {k: v if isinstance(v, list) else [v] for k, v in spec.items()}
        required = clauses.get("filter", []) + clauses.get("must", [])
        should = clauses.get("should", [])
        return (
            all(_matches(q, index, doc) for q in required)
            and not any(_matches(q, index, doc) for q in clauses.get("must_not", []))
            and (not should or bool(required) or any(_matches(q, index, doc) for q in should))
        )
    if kind == "term":
        [(field, wanted)] = spec.items()
        wanted = wanted["value"] if isinstance(wanted, dict) else wanted
        return _equal(_value(index, doc, field), wanted)
    if kind == "range":
        [(field, bounds)] = spec.items()
        value = _value(index, doc, field)
        return value is not None and all(_within(value, op, b) for op, b in bounds.items())
    raise NotImplementedError(f"the {kind!r} query is not modelled: run the real-server suite")


def _equal(value: Any, wanted: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(_same(v, wanted) for v in values if v is not None)


def _same(value: Any, wanted: Any) -> bool:
    """A boolean field matches true/false and "true"/"false" alike."""
    if isinstance(value, bool) or isinstance(wanted, bool):
        return str(value).lower() == str(wanted).lower()
    return bool(value == wanted)


def _within(value: Any, op: str, bound: Any) -> bool:
    checks = {
        "gt": value > bound,
        "gte": value >= bound,
        "lt": value < bound,
        "lte": value <= bound,
    }
    return checks[op]


def _sorted(hits: list[dict[str, Any]], sort: Any) -> list[dict[str, Any]]:
    """Missing values sort last whatever the order (`missing: _last`):
    https://www.elastic.co/docs/reference/elasticsearch/rest-apis/sort-search-results"""
    keys = [sort] if isinstance(sort, (str, dict)) else (sort or [])
    for key in reversed(keys):
        field, order = (key, "asc") if isinstance(key, str) else next(iter(key.items()))
        order = order["order"] if isinstance(order, dict) else order
        if field in ("_doc", "_score"):
            continue  # one shard, constant scores: index order stands
        present = [h for h in hits if h["_source"].get(field) is not None]
        missing = [h for h in hits if h["_source"].get(field) is None]
        present.sort(key=lambda h, f=field: h["_source"][f], reverse=order == "desc")
        hits = present + missing
    return hits


def _aggregations(aggs: dict[str, Any], hits: list[dict[str, Any]]) -> dict[str, Any]:
    """Terms buckets over every match (not just the page), by doc_count then key:
    https://www.elastic.co/docs/reference/aggregations/search-aggregations-bucket-terms-aggregation"""
    answer = {}
    for name, spec in aggs.items():
        [(kind, options)] = spec.items()
        if kind != "terms":
            raise NotImplementedError(f"the {kind!r} aggregation is not modelled")
        counts: dict[Any, int] = {}
        for hit in hits:
            value = hit["_source"].get(options["field"])
            for key in value if isinstance(value, list) else [value]:
                if key is not None:
                    counts[key] = counts.get(key, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        size = options.get("size", 10)
        buckets = [{"key": key, "doc_count": n} for key, n in ranked[:size]]
        other = sum(n for _, n in ranked[size:])
        answer[name] = {
            "doc_count_error_upper_bound": 0,
            "sum_other_doc_count": other,
            "buckets": buckets,
        }
    return answer
