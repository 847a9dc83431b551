"""The `_aliases` call, planned on a copy so that it applies all its actions or none:
https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-update-aliases
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support.es_model.state import EsError

if TYPE_CHECKING:
    from tests.support.es_model.server import ElasticsearchModel

Aliases = dict[str, dict[str, dict[str, Any]]]  # index -> alias -> its properties


def plan(model: ElasticsearchModel, actions: list[dict[str, Any]]) -> tuple[set[str], Aliases]:
    """(indices to delete, every index's aliases afterwards); raises on the first bad action."""
    if not actions:
        raise EsError(
            400,
            "action_request_validation_exception",
            "One or more aliases actions must be specified",
        )
    aliases = {name: dict(index.aliases) for name, index in model.indices.items()}
    removed: set[str] = set()
    # remove_index actions run before any add or remove, wherever they sit in the list.
    for action in sorted(actions, key=lambda a: "remove_index" not in a):
        [(verb, spec)] = action.items()
        targets = _targets(model, spec, removed)
        if verb == "remove_index":
            removed |= _concrete(model, targets)
        elif verb == "add":
            _add(model, aliases, targets, spec)
        elif verb == "remove":
            _remove(aliases, targets, spec)
        else:
            raise NotImplementedError(f"alias action {verb!r} is not modelled")
    return removed, {name: aliases[name] for name in aliases if name not in removed}


def _targets(model: ElasticsearchModel, spec: dict[str, Any], removed: set[str]) -> list[str]:
    names = spec.get("indices") or [spec["index"]]
    found = [n for name in names for n in model.resolve(name) if n not in removed]
    if not found:
        raise EsError(404, "index_not_found_exception", f"no such index [{','.join(names)}]")
    return found


def _concrete(model: ElasticsearchModel, targets: list[str]) -> set[str]:
    for name in targets:
        if name not in model.indices:
            raise EsError(
                400,
                "illegal_argument_exception",
                f"The provided expression "
                f"[{name}] matches an alias, specify the corresponding concrete "
                "indices instead.",
            )
    return set(targets)


def _add(model: ElasticsearchModel, aliases: Aliases, targets: list[str], spec: dict) -> None:
    """Adding an alias an index already has replaces its properties; nothing fails."""
    model._check_alias_name(spec["alias"])
    props = {k: v for k, v in spec.items() if k in ("is_write_index", "filter", "routing")}
    for name in targets:
        aliases[name][spec["alias"]] = props


def _remove(aliases: Aliases, targets: list[str], spec: dict[str, Any]) -> None:
    """Removing an alias that none of the targeted indices has is 404; with
    `must_exist: true` every targeted index must have it."""
    alias = spec["alias"]
    having = [name for name in targets if alias in aliases[name]]
    missing = not having or (spec.get("must_exist") and len(having) < len(targets))
    if missing:
        raise EsError(404, "aliases_not_found_exception", f"aliases [{alias}] missing")
    for name in having:
        del aliases[name][alias]
