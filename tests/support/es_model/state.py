"""What one index of the model holds, and the error every API answers with.

Each behaviour names the Elasticsearch 9 page that documents it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

API = "https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-"


class EsError(Exception):
    """An error answer: the HTTP status and the `error.type` the server names.

    Error bodies carry `error.type`, `error.reason` and `status`:
    https://www.elastic.co/docs/reference/elasticsearch/rest-apis/common-options
    """

    def __init__(self, status: int, type_: str, reason: str, plain: bool = False) -> None:
        super().__init__(f"{status} {type_}: {reason}")
        self.status, self.type, self.reason, self.plain = status, type_, reason, plain

    def body(self) -> dict[str, Any]:
        if self.plain:  # a few APIs answer with the reason alone, e.g. a missing alias
            return {"error": self.reason, "status": self.status}
        cause = {"type": self.type, "reason": self.reason}
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


def not_found(name: str) -> EsError:
    return EsError(404, "index_not_found_exception", f"no such index [{name}]")


def matches(pattern: str, name: str) -> bool:
    """Index expressions take `*` wildcards (multi-target syntax):
    https://www.elastic.co/docs/reference/elasticsearch/rest-apis/api-conventions"""
    return fnmatch.fnmatchcase(name, pattern)


@dataclass
class Doc:
    version: int
    seq_no: int
    source: dict[str, Any]


@dataclass
class Index:
    """One concrete index: its mappings, the aliases on it, its documents.

    `docs` is what a realtime get sees; `searchable` is what search sees, as of the last
    refresh (near real-time search):
    https://www.elastic.co/docs/manage-data/data-store/near-real-time-search
    https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-get (realtime)
    """

    name: str
    mappings: dict[str, Any] = field(default_factory=dict)
    aliases: dict[str, dict[str, Any]] = field(default_factory=dict)
    docs: dict[str, Doc] = field(default_factory=dict)
    searchable: dict[str, Doc] = field(default_factory=dict)
    seq_no: int = -1

    def refresh(self) -> None:
        self.searchable = dict(self.docs)

    def field_type(self, name: str) -> str | None:
        """The mapped type of a top-level field; None when it is not mapped."""
        spec = self.mappings.get("properties", {}).get(name)
        return spec.get("type", "object") if spec else None

    @property
    def dynamic(self) -> bool:
        """Unmapped fields are indexed unless `dynamic` is false (they stay in _source):
        https://www.elastic.co/docs/reference/elasticsearch/mapping-reference/dynamic"""
        return self.mappings.get("dynamic", True) not in (False, "false")

    def check(self, doc_id: str, source: dict[str, Any]) -> None:
        """A value a mapped field cannot parse refuses the whole document (400
        document_parsing_exception), as for a string in a `long` field:
        https://www.elastic.co/docs/reference/elasticsearch/mapping-reference/number
        https://www.elastic.co/docs/reference/elasticsearch/mapping-reference/boolean"""
        for name, value in source.items():
            kind = self.field_type(name)
            if value is None or kind is None or _parses(kind, value):
                continue
            raise EsError(
                400,
                "document_parsing_exception",
                f"failed to parse field [{name}] of type [{kind}] in document with id "
                f"'{doc_id}'. Preview of field's value: '{value}'",
            )


def _parses(kind: str, value: Any) -> bool:
    if kind in ("long", "integer"):
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit())
    if kind == "boolean":
        return isinstance(value, bool) or value in ("true", "false", "")
    if kind in ("keyword", "text"):
        return not isinstance(value, dict)
    return True
