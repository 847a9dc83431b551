"""Read-your-writes: a query with `?min_position=N` waits until its projection reaches N."""

from __future__ import annotations

from api.errors import ApiError
from app.bootstrap import Container

RETRY_AFTER_S = "1"


def await_position(container: Container, projection: str, min_position: int | None) -> None:
    """Return once `projection` has applied the log up to `min_position`, else 503."""
    if min_position is None:
        return
    read_models = container.read_models
    head = read_models.head()
    if min_position > head:
        # A position from a write is committed, so it is never past the head.
        message = f"min_position {min_position} is past the head of the log ({head})"
        raise ApiError(422, "unknown_position", message)
    timeout_s = container.settings.consistency_timeout_s
    if read_models.wait_for(projection, min_position, timeout_s):
        return
    events, seconds = read_models.lag(projection)
    raise ApiError(
        503,
        "projection_behind",
        f"{projection} did not reach position {min_position} within {timeout_s:g}s",
        {"Retry-After": RETRY_AFTER_S},
        lag=events,
        lag_seconds=round(seconds, 3),
    )
