"""Read-your-writes: a query with `?min_position=N` waits until its projection reaches N."""

from __future__ import annotations

from dataclasses import dataclass

from api.errors import ApiError
from api.host import ReadPositions

RETRY_AFTER_S = "1"


@dataclass(frozen=True)
class Freshness:
    """Waits, for up to `timeout_s` (`SHOP_CONSISTENCY_TIMEOUT_S`), for a read model to
    reach a position."""

    read_models: ReadPositions
    timeout_s: float

    def await_position(self, projection: str, min_position: int | None) -> None:
        """Return once `projection` has applied the log up to `min_position`, else 503."""
        if min_position is None:
            return
        head = self.read_models.head()
        if min_position > head:
            # A position from a write is committed, so it is never past the head.
            message = f"min_position {min_position} is past the head of the log ({head})"
            raise ApiError(422, "unknown_position", message)
        if self.read_models.wait_for(projection, min_position, self.timeout_s):
            return
        events, seconds = self.read_models.lag(projection)
        raise ApiError(
            503,
            "projection_behind",
            f"{projection} did not reach position {min_position} within {self.timeout_s:g}s",
            {"Retry-After": RETRY_AFTER_S},
            lag=events,
            lag_seconds=round(seconds, 3),
        )
