"""The golden corpus: stored events of every topic and version, exactly as they were stored.

`events.jsonl` holds one stored event a line, in log order: its topic, originator id and
version, and its state as the text of the bytes the store recorded (the transcoder's JSON).
Lines are only ever appended (`make_corpus`): an old line is what an old database holds,
and every later version of the code must still read it. `expected_aggregates.json` and
`expected_views.json` say what loading the corpus's streams and rebuilding every
projection from it gives; a key once written is never rewritten either.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.shared.base import ShopEvent

HERE = Path(__file__).parent
EVENTS = HERE / "events.jsonl"
EXPECTED_AGGREGATES = HERE / "expected_aggregates.json"
EXPECTED_VIEWS = HERE / "expected_views.json"
# The data keys sealed entries were sealed with, by customer: written by `make_corpus`
# once the event store seals personal fields, read back into the key store by the replay.
KEYS = HERE / "keys.json"
# An entry stands for a (topic, version) as stored; a sealed one also for its sealed shape.
STORED, SEALED = "stored", "sealed"
Kind = tuple[str, int, str]


@dataclasses.dataclass(frozen=True)
class Entry:
    """One stored event; `note` says where a hand-written (historical) shape comes from."""

    topic: str
    originator_id: str
    originator_version: int
    state: str
    note: str = ""

    @property
    def class_version(self) -> int:
        return int(json.loads(self.state).get("class_version", 1))

    @property
    def sealed(self) -> bool:
        return bool(envelopes(json.loads(self.state)))

    @property
    def kinds(self) -> set[Kind]:
        """What this entry stands for: its (topic, version), and sealed if it is."""
        found = {(self.topic, self.class_version, STORED)}
        return found | {(self.topic, self.class_version, SEALED)} if self.sealed else found

    def stored(self) -> StoredEvent:
        return StoredEvent(
            originator_id=self.originator_id,
            originator_version=self.originator_version,
            topic=self.topic,
            state=self.state.encode("utf-8"),
        )

    def line(self) -> str:
        fields = dataclasses.asdict(self)
        if not self.note:
            del fields["note"]
        return json.dumps(fields, ensure_ascii=False, sort_keys=False)

    @classmethod
    def of(cls, stored: StoredEvent, note: str = "") -> Entry:
        state = bytes(stored.state).decode("utf-8")
        return cls(stored.topic, str(stored.originator_id), stored.originator_version, state, note)


def read_entries(path: Path = EVENTS) -> list[Entry]:
    if not path.exists():
        return []
    lines = (line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [Entry(**json.loads(line)) for line in lines]


def append_entries(entries: Iterable[Entry], path: Path = EVENTS) -> None:
    """Add lines at the end; the lines already there are never touched."""
    with path.open("a", encoding="utf-8") as out:
        for entry in entries:
            out.write(entry.line() + "\n")


def event_classes() -> dict[str, type[ShopEvent]]:
    """Every stored event class by topic: the nested event classes of every aggregate."""
    from domain.catalogue import AGGREGATES

    found: dict[str, type[ShopEvent]] = {}
    for aggregate in AGGREGATES:
        for member in vars(aggregate).values():
            if isinstance(member, type) and issubclass(member, ShopEvent):
                topic = get_topic(member)
                if ":" not in topic:  # bases and snapshots are never stored in the log
                    found[topic] = member
    return found


def required() -> set[Kind]:
    """Every version 1..class_version of every stored event class; and, once the store
    seals personal fields, the newest version of each class that has some, sealed."""
    sealing = store_seals()
    found: set[Kind] = set()
    for topic, cls in event_classes().items():
        newest = getattr(cls, "class_version", 1)
        found |= {(topic, version, STORED) for version in range(1, newest + 1)}
        personal: tuple[str, ...] = getattr(cls, "PERSONAL_FIELDS", ())
        if sealing and personal:
            found.add((topic, newest, SEALED))
    return found


def store_seals() -> bool:
    """Whether the event store seals personal fields (its mapper is given a sealer)."""
    from eventstore.application import MetadataMapper

    return "sealer" in inspect.signature(MetadataMapper).parameters


def covered(entries: Iterable[Entry]) -> set[Kind]:
    return {kind for entry in entries for kind in entry.kinds}


def named(kinds: Iterable[Kind]) -> str:
    return ", ".join(f"{t} v{v}{' sealed' if s == SEALED else ''}" for t, v, s in sorted(kinds))


def envelopes(value: Any) -> list[dict[str, str]]:
    """Every sealed personal field (`{"sealed": ..., "by": <customer>}`) in a stored state."""
    if isinstance(value, dict):
        if value.keys() == {"sealed", "by"}:
            return [value]
        return [found for item in value.values() for found in envelopes(item)]
    if isinstance(value, list):
        return [found for item in value for found in envelopes(item)]
    return []


def streams(entries: Iterable[Entry]) -> list[str]:
    """Originator ids in order of their first event."""
    return list(dict.fromkeys(entry.originator_id for entry in entries))


def plain(value: Any) -> Any:
    """`value` as JSON would hold it: datetimes as ISO text, enums as values, sets sorted."""
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if hasattr(value, "model_dump"):
        return plain(value.model_dump(mode="json"))
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=json.dumps)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def public_state(aggregate: Any) -> dict[str, Any]:
    """An aggregate's public attributes after loading, with its id, version and times."""
    state = {name: value for name, value in vars(aggregate).items() if not name.startswith("_")}
    state |= {
        "id": aggregate.id,
        "version": aggregate.version,
        "created_on": aggregate.created_on,
        "modified_on": aggregate.modified_on,
    }
    return {name: plain(state[name]) for name in sorted(state)}


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_json(path: Path, value: dict[str, Any]) -> None:
    path.write_text(json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def kept(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    """Keys of `old` whose value `new` no longer gives (a changed read of old events)."""
    return (key for key in old if new.get(key) != old[key])
