"""Document APIs of the model: index, get, mget and bulk, with versioning and refresh."""

from __future__ import annotations

from typing import Any

from tests.support.es_model.state import Doc, EsError, Index

SHARDS = {"total": 1, "successful": 1, "failed": 0}
EXTERNAL = ("external", "external_gt", "external_gte")


class DocumentApis:
    """Mixed into ElasticsearchModel; `self` has `indices`, `faults`, `write_index`, ..."""

    def index_doc(
        self, target: str, doc_id: str, source: dict[str, Any], params: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-index"""
        index = self.write_index(target)  # type: ignore[attr-defined]
        status, body = self._write(index, doc_id, source, params)
        self._maybe_refresh([index], params)
        return status, body

    def _write(
        self, index: Index, doc_id: str, source: dict[str, Any], params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """`version_type=external` keeps the caller's version and refuses (409
        version_conflict_engine_exception) any version not above the stored one; without a
        version, each write adds one (internal versioning):
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-index
        (Versioning; "external or external_gt"). `external_gte` also takes a version equal
        to the stored one."""
        index.check(doc_id, source)
        current = index.docs.get(doc_id)
        kind = params.get("version_type", "internal")
        if kind in EXTERNAL:
            version = int(params["version"])
            lowest = version if kind == "external_gte" else version - 1
            if current is not None and current.version > lowest:
                raise EsError(
                    409,
                    "version_conflict_engine_exception",
                    f"[{doc_id}]: version conflict, current version [{current.version}] is "
                    f"higher or equal to the one provided [{version}]",
                )
        elif "version" in params:
            raise NotImplementedError("only external and internal versioning are modelled")
        else:
            version = current.version + 1 if current else 1
        index.seq_no += 1
        index.docs[doc_id] = Doc(version, index.seq_no, source)
        result = "updated" if current else "created"
        body = {
            "_index": index.name,
            "_id": doc_id,
            "_version": version,
            "result": result,
            "_shards": SHARDS,
            "_seq_no": index.seq_no,
            "_primary_term": 1,
        }
        return (200 if current else 201), body

    def _maybe_refresh(self, indices: list[Index], params: dict[str, Any]) -> None:
        """`refresh=true` (or empty) and `refresh=wait_for` both return only once the change
        is visible to search; `false` (the default) leaves it to the next refresh:
        https://www.elastic.co/docs/reference/elasticsearch/rest-apis/refresh-parameter"""
        if str(params.get("refresh", "false")).lower() in ("", "true", "wait_for"):
            for index in indices:
                index.refresh()

    def get_doc(self, target: str, doc_id: str) -> tuple[int, dict[str, Any]]:
        """Realtime: a get sees the latest write, refreshed or not; a missing document is
        404 with `found: false`:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-get"""
        index = self.single_index(target)  # type: ignore[attr-defined]
        doc = index.docs.get(doc_id)
        if doc is None:
            return 404, {"_index": index.name, "_id": doc_id, "found": False}
        return 200, _found(index, doc_id, doc)

    def mget(self, target: str, body: dict[str, Any]) -> dict[str, Any]:
        """One entry per id, in request order, `found` true or false:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-mget"""
        index = self.single_index(target)  # type: ignore[attr-defined]
        ids = body.get("ids") or [d["_id"] for d in body["docs"]]
        return {
            "docs": [
                _found(index, i, doc)
                if (doc := index.docs.get(i))
                else {"_index": index.name, "_id": i, "found": False}
                for i in ids
            ]
        }

    def bulk(
        self, target: str | None, lines: list[dict[str, Any]], params: dict[str, str]
    ) -> dict[str, Any]:
        """Bulk answers 200 with one result per action, in order; `errors` is true when any
        failed, and each failed item carries its own `status` and `error`. One failure does
        not stop the others:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-bulk"""
        items, touched = [], []
        injected = self.faults.next_bulk_errors()  # type: ignore[attr-defined]
        position = 0
        while position < len(lines):
            [(op, meta)] = lines[position].items()
            if op not in ("index", "create"):
                raise NotImplementedError(f"bulk {op!r} is not modelled")
            source, position = lines[position + 1], position + 2
            error = injected[len(items)] if len(items) < len(injected) else None
            items.append({op: self._bulk_item(target, op, meta, source, touched, error)})
        self._maybe_refresh(touched, params)
        errors = any("error" in item[op] for item in items for op in item)
        return {"took": 1, "errors": errors, "items": items}

    def _bulk_item(
        self,
        target: str | None,
        op: str,
        meta: dict[str, Any],
        source: dict[str, Any],
        touched: list[Index],
        error: EsError | None,
    ) -> dict[str, Any]:
        name = meta.get("_index", target)
        params = {k: meta[k] for k in ("version", "version_type") if k in meta}
        try:
            if error:
                raise error
            index = self.write_index(name)  # type: ignore[attr-defined]
            if op == "create" and meta["_id"] in index.docs:
                raise EsError(
                    409,
                    "version_conflict_engine_exception",
                    f"[{meta['_id']}]: version conflict, document already exists",
                )
            status, body = self._write(index, meta["_id"], source, params)
        except EsError as failed:
            return {
                "_index": name,
                "_id": meta.get("_id"),
                "status": failed.status,
                "error": {"type": failed.type, "reason": failed.reason},
            }
        touched.append(index)
        return {**body, "status": status}


def _found(index: Index, doc_id: str, doc: Doc) -> dict[str, Any]:
    return {
        "_index": index.name,
        "_id": doc_id,
        "_version": doc.version,
        "_seq_no": doc.seq_no,
        "_primary_term": 1,
        "found": True,
        "_source": doc.source,
    }
