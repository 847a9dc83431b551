"""Turning a command's `Accepted` into the HTTP answer every write shares."""

from __future__ import annotations

from typing import Protocol

from fastapi import Response

from api.schemas.common import Written
from commands.results import Accepted


class HasHead(Protocol):
    def head(self) -> int: ...


def position_of(accepted: Accepted, log: HasHead) -> int:
    """The position of the command's last event; for a no-op repeat, the log head.

    The head is at or after whatever made the repeat a no-op, so `?min_position=head`
    still reads the effect back.
    """
    return accepted.position if accepted.position is not None else log.head()


def written(
    accepted: Accepted, log: HasHead, response: Response, location: str | None = None
) -> Written:
    response.headers["ETag"] = f'"{accepted.version}"'
    if location is not None:
        response.headers["Location"] = location
    return Written(
        stream_id=accepted.stream_id,
        version=accepted.version,
        position=position_of(accepted, log),
        changed=accepted.changed,
    )
