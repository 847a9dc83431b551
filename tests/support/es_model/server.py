"""ElasticsearchModel: the index and alias APIs of an Elasticsearch 9 server, in memory.

Each request runs alone under one lock (the master applies cluster-state changes one at a
time), so whatever the server makes atomic is atomic here: creating an index, and all the
actions of one `_aliases` call. Between requests, threads interleave as they would against
a real server; `faults.meet()` makes a chosen interleaving happen every time.
"""

from __future__ import annotations

import threading
from typing import Any

from tests.support.es_model.aliases import plan
from tests.support.es_model.documents import DocumentApis
from tests.support.es_model.faults import Faults
from tests.support.es_model.search import SearchApis
from tests.support.es_model.state import EsError, Index, matches, not_found


class ElasticsearchModel(DocumentApis, SearchApis):
    """A single-node server: no replicas, one shard per index, security off."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.indices: dict[str, Index] = {}
        self.faults = Faults()
        self.requests: list[str] = []  # "METHOD /path", in the order they were served
        self.scrolls: dict[str, list[dict[str, Any]]] = {}

    # -- name resolution ------------------------------------------------------------

    def holders(self, alias: str) -> list[str]:
        return sorted(name for name, index in self.indices.items() if alias in index.aliases)

    def resolve(self, expression: str, ignore_unavailable: bool = False) -> list[str]:
        """Index names behind a comma-separated list of names, aliases and wildcards.

        A missing concrete name is 404 index_not_found_exception unless
        `ignore_unavailable`; a wildcard that matches nothing resolves to nothing
        (`allow_no_indices` defaults to true):
        https://www.elastic.co/docs/reference/elasticsearch/rest-apis/api-conventions
        """
        found: list[str] = []
        for part in expression.split(","):
            if "*" in part:
                names = [n for n in self.indices if matches(part, n)]
                aliases = {a for i in self.indices.values() for a in i.aliases if matches(part, a)}
                found += names + [n for a in sorted(aliases) for n in self.holders(a)]
            elif part in self.indices:
                found.append(part)
            elif self.holders(part):
                found += self.holders(part)
            elif not ignore_unavailable:
                raise not_found(part)
        return sorted(set(found))

    def single_index(self, target: str) -> Index:
        """A get targets one index; an alias on several is refused (400):
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-get"""
        names = self.resolve(target)
        if len(names) > 1:
            raise EsError(
                400,
                "illegal_argument_exception",
                f"alias [{target}] has more than one index associated with it {names}, "
                "can't execute a single index op",
            )
        return self.indices[names[0]]

    def write_index(self, target: str) -> Index:
        """A write to an alias goes to its only index (or its `is_write_index`); to a
        missing name it creates the index (action.auto_create_index defaults to true):
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-index
        https://www.elastic.co/docs/manage-data/data-store/aliases#write-index"""
        if target in self.indices:
            return self.indices[target]
        holders = self.holders(target)
        writers = [n for n in holders if self.indices[n].aliases[target].get("is_write_index")]
        if len(holders) == 1 or len(writers) == 1:
            return self.indices[(writers or holders)[0]]
        if holders:
            raise EsError(
                400,
                "illegal_argument_exception",
                f"no write index is defined for alias [{target}]. The write index may be "
                "explicitly disabled using is_write_index=false or the alias points to "
                "multiple indices without one being designated as a write index",
            )
        return self._new_index(target, {})

    # -- index APIs -----------------------------------------------------------------

    def create_index(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """Creating an index that exists is 400 resource_already_exists_exception, so a
        deterministic name makes creation a lock; `aliases` in the body are added in the
        same cluster-state update as the index:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-create"""
        if name in self.indices:
            raise EsError(
                400, "resource_already_exists_exception", f"index [{name}] already exists"
            )
        if self.holders(name) or name != name.lower() or "*" in name or name[0] in "_-+":
            raise EsError(400, "invalid_index_name_exception", f"Invalid index name [{name}]")
        for alias in body.get("aliases", {}):
            self._check_alias_name(alias)
        index = self._new_index(name, body.get("mappings", {}))
        index.aliases = {alias: dict(spec) for alias, spec in body.get("aliases", {}).items()}
        return {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _new_index(self, name: str, mappings: dict[str, Any]) -> Index:
        self.indices[name] = Index(name, mappings)
        return self.indices[name]

    def _check_alias_name(self, alias: str) -> None:
        if alias in self.indices:
            raise EsError(
                400,
                "invalid_alias_name_exception",
                f"Invalid alias name [{alias}]: an index or data stream exists with the "
                "same name as the alias",
            )

    def get_indices(self, expression: str, ignore_unavailable: bool = False) -> dict[str, Any]:
        """https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-get"""
        return {
            name: {"aliases": self.indices[name].aliases, "mappings": self.indices[name].mappings}
            for name in self.resolve(expression, ignore_unavailable)
        }

    def get_alias(self, alias: str) -> dict[str, Any]:
        """A missing alias is 404 with a plain-text `error`:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-get-alias"""
        holders = self.holders(alias)
        if not holders:
            raise EsError(404, "aliases_not_found_exception", f"alias [{alias}] missing", True)
        return {name: {"aliases": {alias: self.indices[name].aliases[alias]}} for name in holders}

    def delete_indices(self, expression: str, ignore_unavailable: bool = False) -> dict[str, Any]:
        """Deleting through an alias or a wildcard is refused (action.destructive_requires_name
        defaults to true since 8.0):
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-delete"""
        for part in expression.split(","):
            if "*" in part or part == "_all":
                raise EsError(
                    400,
                    "illegal_argument_exception",
                    "Wildcard expressions or all indices are not allowed",
                )
            if part not in self.indices and self.holders(part):
                raise EsError(
                    400,
                    "illegal_argument_exception",
                    f"The provided expression "
                    f"[{part}] matches an alias, specify the corresponding concrete "
                    "indices instead.",
                )
        for name in self.resolve(expression, ignore_unavailable):
            del self.indices[name]
        return {"acknowledged": True}

    def update_aliases(self, actions: list[dict[str, Any]]) -> dict[str, Any]:
        """All actions of one call apply together or not at all; `remove_index` actions run
        first; `remove` of an alias no targeted index has is 404 aliases_not_found_exception:
        https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-update-aliases"""
        removed, aliases = plan(self, actions)  # raises before anything changes
        for name in removed:
            del self.indices[name]
        for name, index in self.indices.items():
            index.aliases = aliases[name]
        return {"acknowledged": True, "errors": False}

    def refresh(self, expression: str) -> dict[str, Any]:
        """https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-refresh"""
        names = self.resolve(expression)
        for name in names:
            self.indices[name].refresh()
        return {"_shards": {"total": len(names), "successful": len(names), "failed": 0}}
