"""Catalog search on Elasticsearch 9: one versioned index per generation behind an alias.

Index `<prefix>-catalog-v<N>`, alias `<prefix>-catalog`; a rebuild swaps the alias in one
`update_aliases` call. Every product document is written with `version_type=external` and
version = the log position of the last event folded into it, so an older write (a
replay, a slow second worker) is refused by Elasticsearch instead of overwriting a newer
one. The position is the `_tracking` document of the same index, written after the
products of its batch, with the batch end as its external version; it moves only when
every product of the batch is in (es_bulk.py).

Processes that start together on an empty cluster all call `ensure()`. The first index
has a fixed name, `-v1`, and is created with the alias in the same request: creation is
atomic in Elasticsearch, so exactly one process creates it and the others are told
`resource_already_exists_exception`. Nobody creates a second generation or points the
alias twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from elasticsearch import BadRequestError, ConflictError, Elasticsearch, NotFoundError, helpers

from eventstore.log import Logged
from projections.catalog_search.es_bulk import BulkRetry, write_documents
from projections.catalog_search.es_query import MAPPINGS, clean, search_body, search_page
from projections.catalog_search.view import CatalogSearch, SearchPage, SearchRequest
from projections.core import Doc, Key, fold, fresh_events

TRACKING_ID = "_tracking"


class ElasticsearchCatalogSearch(CatalogSearch):
    """One document per sku (`kind: product`), the search projector's document as is."""

    def __init__(
        self, client: Elasticsearch, prefix: str = "rm", retry: BulkRetry | None = None
    ) -> None:
        super().__init__()
        self.client = client
        self.alias = f"{prefix}-catalog"
        self.retry = retry or BulkRetry()

    def index(self, generation: int) -> str:
        return f"{self.alias}-v{generation}"

    def ensure(self) -> None:
        if self.client.indices.exists_alias(name=self.alias):
            return
        try:
            self._create(self.index(1), aliases={self.alias: {}})
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
            # Another process won the race (and added the alias with the index), or a
            # process of an older release created -v1 and stopped before pointing the
            # alias at it: then point it now. Adding an alias where it is is a no-op.
            if not self.client.indices.exists_alias(name=self.alias):
                add = {"add": {"index": self.index(1), "alias": self.alias}}
                self.client.indices.update_aliases(actions=[add])

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
        """A new generation; two rebuilds racing for one number: the second gets 400."""
        generation = max([0, self.live_generation(), *self.generations()]) + 1
        self._create(self.index(generation))
        return generation

    def _create(self, index: str, aliases: dict[str, Any] | None = None) -> None:
        self.client.indices.create(index=index, mappings=MAPPINGS, aliases=aliases)
        self._track(index, 0)

    def switch(self, generation: int) -> None:
        """Point the alias at `generation` alone, in one atomic `_aliases` call: removing
        it from every generation (not just the one read as live) leaves no second index
        behind it even if two switches race."""
        add = {"add": {"index": self.index(generation), "alias": self.alias}}
        actions: list[dict[str, Any]] = [add]
        if self.client.indices.exists_alias(name=self.alias):
            everywhere = {"remove": {"index": f"{self.alias}-v*", "alias": self.alias}}
            actions.insert(0, everywhere)
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
        if actions:  # raises unless every document is in: the position must not move then
            write_documents(self.client, actions, self.retry)
        if upto > stored:
            self._track(index, upto)
        return True

    def apply_parked(self, logged: Logged, generation: int | None = None) -> bool:
        """Written at each document's own version (`external_gte`): later events keep their
        higher versions, so the runner's next write of the document still lands. The marker
        `_parked-<position>` is written after the documents (a bulk is not atomic): a crash
        between the two would let a second retry apply the event again."""
        generation = generation or self.live_generation()
        index, marker = self.index(generation), f"_parked-{logged.position}"
        if self.position(generation) < logged.position or self._exists(index, marker):
            return False
        loaded, versions = self._load(index, set(self.projector.keys(logged)))
        docs = fold(self.projector, [logged], lambda _keys: loaded)
        actions = [
            {"_op_type": "index", "_index": index, "_id": key, "_source": {**doc, "kind": kind}}
            | {"version": versions.get((kind, key), logged.position)}
            | {"version_type": "external_gte"}
            for (kind, key), doc in docs.changed_docs().items()
        ]
        write_documents(self.client, actions, self.retry)
        document = {"kind": "parked", "position": logged.position}
        self.client.index(index=index, id=marker, document=document, refresh=True)
        return True

    def _exists(self, index: str, doc_id: str) -> bool:
        try:
            self.client.get(index=index, id=doc_id)
        except NotFoundError:
            return False
        return True

    def _needed(self, logged: Logged, versions: dict[Key, int]) -> bool:
        return any(versions.get(k, -1) < logged.position for k in self.projector.keys(logged))

    def _track(self, index: str, position: int) -> None:
        with suppress(ConflictError):  # 409: another writer already went further
            self.client.index(
                index=index,
                id=TRACKING_ID,
                version=position,
                version_type="external",
                refresh=True,
                document={"kind": "tracking", "position": position},
            )

    def _load(self, index: str, keys: set[Key]) -> tuple[dict[Key, Doc], dict[Key, int]]:
        if not keys:
            return {}, {}
        ids = sorted(key for _, key in keys)
        found = self.client.mget(index=index, ids=ids)["docs"]
        docs = {("product", d["_id"]): clean(d["_source"]) for d in found if d.get("found")}
        return docs, {("product", d["_id"]): d["_version"] for d in found if d.get("found")}

    def snapshot(self, generation: int | None = None) -> tuple[int, dict[str, Any]]:
        while True:
            index = self.index(generation or self.live_generation())
            before = self.position(int(index.rsplit("-v", 1)[1]))
            query = {"query": {"term": {"kind": "product"}}}
            rows = {
                f"product:{hit['_id']}": clean(hit["_source"])
                for hit in helpers.scan(self.client, query=query, index=index)
            }
            if self.position(int(index.rsplit("-v", 1)[1])) == before:
                return before, rows

    def search(self, request: SearchRequest) -> SearchPage:
        return search_page(self.client.search(index=self.alias, **search_body(request)))

    def close(self) -> None:
        self.client.close()
