"""Stored events of every topic and version load and project as they always did.

The corpus (`events.jsonl`) is inserted verbatim into a fresh store; every stream must load
to its expected state and every projection, rebuilt from it, must answer as expected. A
new event class or `class_version` without a corpus line (and, once the store seals
personal fields, a class with some without a sealed line) fails here until
`python -m tests.golden.make_corpus` records one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.bootstrap import Container, bootstrap
from tests.golden import keys
from tests.golden.corpus import (
    EXPECTED_AGGREGATES,
    EXPECTED_VIEWS,
    Entry,
    covered,
    named,
    read_entries,
    read_json,
    required,
)
from tests.golden.historical import ORDER
from tests.golden.replay import aggregate_states, insert, rebuild_all, view_states

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
NEW_SHAPE_ORDER = "5d0c8f7e-3b1a-5f2e-8c4d-9a6b7e1f2c30"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def replayed(settings: Any, entries: list[Entry]) -> Container:
    """A shop on a fresh store holding exactly `entries`, its projections rebuilt."""
    container = bootstrap(settings)
    keys.load(container)
    insert(container, entries)
    rebuild_all(container)
    return container


@pytest.fixture
def corpus(backend: str, settings_for) -> Iterator[tuple[Container, list[Entry]]]:
    entries = read_entries()
    container = replayed(settings_for(backend), entries)
    yield container, entries
    container.close()


def test_every_topic_at_every_version_has_a_corpus_entry() -> None:
    missing = required() - covered(read_entries())

    assert not missing, (
        "stored event versions without a corpus entry (run `python -m tests.golden.make_corpus`"
        f" and commit what it adds): {named(missing)}"
    )


def test_every_sealed_entry_has_its_data_key_beside_the_corpus() -> None:
    known = json.loads(keys.KEYS.read_text()) if keys.KEYS.exists() else {}

    assert keys.subjects(read_entries()) <= set(known), "sealed for a key not in keys.json"


def test_every_stream_loads_to_its_expected_state(corpus) -> None:
    container, entries = corpus

    assert aggregate_states(container, entries) == read_json(EXPECTED_AGGREGATES)


def test_every_projection_rebuilds_to_its_expected_views(corpus) -> None:
    container, entries = corpus

    assert view_states(container, entries) == read_json(EXPECTED_VIEWS)


def test_an_upcast_order_reads_as_the_same_order_stored_in_the_new_shape(
    backend: str, settings_for
) -> None:
    old = [e for e in read_entries() if e.originator_id == f"order-{ORDER}"]
    assert old[0].class_version == 1, "the corpus's v1 order is gone"
    new = [new_shape(entry) for entry in old]

    container = replayed(settings_for(backend), old + new)
    try:
        aggregates = aggregate_states(container, old + new)
        views = view_states(container, old + new)
    finally:
        container.close()

    assert renamed(aggregates[f"order-{ORDER}"]) == aggregates[f"order-{NEW_SHAPE_ORDER}"]
    for kind in ("order", "order_status", "timeline"):
        assert renamed(views[f"{kind}/{ORDER}"]) == views[f"{kind}/{NEW_SHAPE_ORDER}"]


def new_shape(entry: Entry) -> Entry:
    """`entry` of the v1 order as Order.Placed v2 stores it: an explicit null contact."""
    state = json.loads(entry.state.replace(ORDER, NEW_SHAPE_ORDER))
    if entry.topic == "shop.order.placed":
        metadata = state.pop("metadata")
        state |= {"contact": None, "class_version": 2}
        state["metadata"] = metadata
    text = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    return Entry(entry.topic, f"order-{NEW_SHAPE_ORDER}", entry.originator_version, text)


def renamed(value: Any) -> Any:
    return json.loads(json.dumps(value).replace(ORDER, NEW_SHAPE_ORDER))
