"""The data keys that sealed entries of the corpus were sealed with (`keys.json`).

Entries stored before the event store sealed personal fields hold clear values and need
no key. A sealed entry holds `{"sealed": ..., "by": <customer>}` envelopes, opened with
that customer's data key: `read` takes the keys of a run's sealing customers from its
key store, `add` writes them to `keys.json` (base64; null for a customer erased in the
run, whose fields read as None), and `load` puts them into a replay's key store
(`eventstore.keys.DataKeys`), so that sealed entries open exactly as they did when they
were stored. A key once in the file is never replaced: the corpus's bytes were sealed
with it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

from tests.golden.corpus import KEYS, Entry, envelopes


def sealed_entries(entries: Iterable[Entry]) -> list[Entry]:
    return [entry for entry in entries if envelopes(json.loads(entry.state))]


def subjects(entries: Iterable[Entry]) -> set[str]:
    """The customers whose keys sealed something in `entries`."""
    return {e["by"] for entry in entries for e in envelopes(json.loads(entry.state))}


def read(container: Any, entries: Iterable[Entry]) -> dict[str, str | None]:
    """The data keys, from `container`'s key store, of the customers who sealed `entries`
    (base64; None for one erased, whose sealed fields read as None)."""
    found: dict[str, str | None] = {}
    for subject in sorted(subjects(entries)):
        key = container.store.keys.for_opening(subject)
        found[subject] = None if key is None else base64.b64encode(key).decode()
    return found


def add(found: dict[str, str | None]) -> None:
    """Write the keys of `found` that `keys.json` lacks; those already there stay."""
    if not found:
        return
    known = json.loads(KEYS.read_text()) if KEYS.exists() else {}
    KEYS.write_text(json.dumps(found | known, indent=1, sort_keys=True) + "\n")


def load(container: Any) -> None:
    """Put the keys of `keys.json` into `container`'s key store, before the corpus goes in."""
    if not KEYS.exists():
        return
    # Imported here: the corpus's clear entries replay where the key store does not exist.
    from eventstore.keys import DATA_KEYS

    rows = [
        {
            "subject": subject,
            "data_key": None if key is None else base64.b64decode(key),
            "created_at": 0.0,
            "erased_at": 0.0 if key is None else None,
        }
        for subject, key in json.loads(KEYS.read_text()).items()
    ]
    with container.store.keys.engine.begin() as conn:
        conn.execute(DATA_KEYS.insert(), rows)
