"""What a command handler returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accepted:
    """The command was applied (or had already been applied: then `changed` is False).

    `position` is the log position of the last event the command appended, or of nothing
    (None) when it was a no-op repeat.
    """

    stream_id: str
    version: int
    position: int | None
    changed: bool = True
