"""Per-caller rate limits where guessing is cheap: coupon lookups now, login next.

A moving window in memory (`limits`' MemoryStorage): no server to run, and the count
resets with the process. It is per process, so N query processes allow N times the rate;
that bounds guessing, which is all it is for. Over the limit: 429 `rate_limited` with
`Retry-After`, the seconds until the oldest counted request leaves the window.
"""

from __future__ import annotations

import math
import time
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from api.deps import ContainerDep, PrincipalDep
from api.errors import ApiError
from app.bootstrap import Container

EXTRAS_KEY = "rate_limits"


@cache
def parsed(rate: str) -> RateLimitItem:
    return parse(rate)


class RateLimits:
    """Every limited route's counts in one process, told apart by scope and caller."""

    def __init__(self) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, rate: str, scope: str, caller: str) -> None:
        """Count one request of `caller` in `scope`; 429 if it is over `rate`."""
        item = parsed(rate)
        if self.limiter.hit(item, scope, caller):
            return
        reset_at, _ = self.limiter.get_window_stats(item, scope, caller)
        wait = max(1, math.ceil(reset_at - time.time()))
        raise ApiError(
            429,
            "rate_limited",
            f"more than {rate} {scope} requests; retry in {wait} s",
            {"Retry-After": str(wait)},
        )


def rate_limits(container: Container) -> RateLimits:
    """The process's limits, made on first use (the container outlives every app on it)."""
    if EXTRAS_KEY not in container.extras:
        container.extras[EXTRAS_KEY] = RateLimits()
    return container.extras[EXTRAS_KEY]  # type: ignore[no-any-return]


class PerCaller:
    """A dependency limiting each token subject to the rate in setting `setting`."""

    def __init__(self, scope: str, setting: str) -> None:
        self.scope, self.setting = scope, setting

    async def __call__(self, container: ContainerDep, principal: PrincipalDep) -> None:
        rate = getattr(container.settings, self.setting)
        caller = f"{principal.role}:{principal.sub}"
        rate_limits(container).check(rate, self.scope, caller)
