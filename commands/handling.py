"""What every handler does around its one aggregate: load it, check it, save what it recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commands.ports import EventStore
from commands.results import Accepted
from domain.shared.base import DomainError


class VersionMismatch(DomainError):
    """The caller's `If-Match` names a version the stream is no longer (or not yet) at."""

    code = "version_mismatch"


def check_version(aggregate: Any, expected: int | None) -> None:
    """Refuse the command unless the stream is at `expected` (None: no precondition).

    Checked on the freshly loaded aggregate; a writer that slips in before the save makes
    the save conflict, and the retry reloads and refuses here.
    """
    if expected is None:
        return
    stored = aggregate.version - len(aggregate.pending_events)  # -1: no stream yet
    if stored != expected:
        current = "does not exist" if stored < 0 else f"is at version {stored}"
        raise VersionMismatch(f"{aggregate.id} {current}, not {expected}")


def load(store: EventStore, stream_id: str, missing: Callable[[str], DomainError]) -> Any:
    """The aggregate in `stream_id`, or `missing(message)` raised if there is none."""
    return _required(store.find(stream_id), stream_id, missing)


def look_up(store: EventStore, stream_id: str, missing: Callable[[str], DomainError]) -> Any:
    """`load` for looking only (a price, a coupon's rules): never change what it returns."""
    return _required(store.read(stream_id), stream_id, missing)


def _required(aggregate: Any, stream_id: str, missing: Callable[[str], DomainError]) -> Any:
    if aggregate is None:
        raise missing(f"{stream_id} does not exist")
    return aggregate


def accept(store: EventStore, aggregate: Any) -> Accepted:
    """Save what `aggregate` recorded; a repeat that recorded nothing saves nothing."""
    if not aggregate.pending_events:
        return unchanged(aggregate.id, aggregate.version)
    position = store.save(aggregate)
    return Accepted(aggregate.id, aggregate.version, position)


def unchanged(stream_id: str, version: int) -> Accepted:
    """Nothing to do: the command had already taken effect (version -1: empty stream)."""
    return Accepted(stream_id, version, None, changed=False)
