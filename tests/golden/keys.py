"""The data keys that sealed entries of the corpus were sealed with (`keys.json`).

Entries stored before the event store sealed personal fields hold clear values and need
no key. A sealed entry holds `{"sealed": ..., "by": ...}` envelopes, opened with the data
key of its customer: `save` writes the keys of a run's customers to `keys.json` beside
the corpus, and `load` puts them into a replay's key store, so that sealed entries open
exactly as they did when they were stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tests.golden.corpus import KEYS, Entry


def is_sealed(value: Any) -> bool:
    """Whether a stored state (parsed) holds a sealed envelope anywhere."""
    if isinstance(value, dict):
        if "sealed" in value and "by" in value:
            return True
        return any(is_sealed(item) for item in value.values())
    if isinstance(value, list):
        return any(is_sealed(item) for item in value)
    return False


def sealed_entries(entries: Iterable[Entry]) -> list[Entry]:
    return [entry for entry in entries if is_sealed(json.loads(entry.state))]


def save(container: Any, entries: Iterable[Entry]) -> None:
    """Write the data keys that sealed `entries` to `keys.json` (nothing when none is)."""
    if not sealed_entries(entries):
        return
    raise NotImplementedError(
        "sealed entries need their data keys in tests/golden/keys.json: export them from "
        "the run's key store (eventstore.keys.DataKeys) here, and install them in `load`"
    )


def load(container: Any) -> None:
    """Install the keys of `keys.json` in `container`'s key store before a replay."""
    if not KEYS.exists():
        return
    raise NotImplementedError(
        "tests/golden/keys.json holds data keys: install them in the replay's key store "
        "(eventstore.keys.DataKeys) here"
    )
