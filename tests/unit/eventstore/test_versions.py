"""Aggregates as of a version: the same answer as the library's versioned load, reached by
reading only the events since the last answer for that stream."""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from typing import Any

import pytest

import domain.catalogue  # noqa: F401  registers the topics
from domain.inventory import InventoryItem
from eventstore.application import ShopStore, project
from eventstore.versions import AggregateVersions

STREAM = "inventory-SKU-1"


@pytest.fixture
def store() -> Iterator[ShopStore]:
    the_store = ShopStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    item = InventoryItem.start_tracking("SKU-1")
    for n in range(30):
        item.receive(1, f"r-{n}")
    the_store.save(item)
    yield the_store
    the_store.close()


def counting_reads(store: ShopStore) -> list[int]:
    """Wrap the event store's reads: the number of events each read returned."""
    reads: list[int] = []
    original = store.events.get

    def get(*args: Any, **kwargs: Any) -> Any:
        events = list(original(*args, **kwargs))
        reads.append(len(events))
        return events

    store.events.get = get  # type: ignore[method-assign]
    return reads


def library_at(store: ShopStore, version: int) -> Any:
    return store.repository.get(STREAM, version=version, projector_func=project)


def test_each_version_equals_the_librarys_and_reads_only_what_is_new(store) -> None:
    versions = AggregateVersions(store)
    expected = {v: deepcopy(vars(library_at(store, v))) for v in (3, 4, 10, 30)}
    reads = counting_reads(store)

    answers = {v: deepcopy(vars(versions.at(STREAM, v))) for v in (3, 4, 10, 30)}

    assert answers == expected
    assert reads == [4, 1, 6, 20]  # the first read from the start, then only the new ones


def test_an_older_version_than_the_one_held_is_loaded_afresh(store) -> None:
    versions = AggregateVersions(store)
    versions.at(STREAM, 20)

    older = versions.at(STREAM, 5)

    assert (older.version, older.on_hand) == (5, 5)


def test_at_most_size_streams_are_held_and_an_erasure_forgets_them(store) -> None:
    other = InventoryItem.start_tracking("SKU-2")
    store.save(other)
    versions = AggregateVersions(store, size=1)
    versions.at(STREAM, 3)
    versions.at("inventory-SKU-2", 0)
    reads = counting_reads(store)

    versions.at(STREAM, 4)  # SKU-1 was dropped for SKU-2: read from the start
    assert reads == [5]

    store.keys.erase("someone")  # any erasure: what is held may hold personal data
    versions.at(STREAM, 4)
    assert reads == [5, 5]
