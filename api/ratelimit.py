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
from typing import Annotated, Any

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from api.deps import PrincipalDep, SettingsDep
from api.errors import ApiError

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


def rate_limits(extras: dict[str, Any]) -> RateLimits:
    """The process's limits, made on first use and kept in the host's `extras`: the host
    outlives every app on it, so two apps over one host share the counts."""
    if EXTRAS_KEY not in extras:
        extras[EXTRAS_KEY] = RateLimits()
    limits: RateLimits = extras[EXTRAS_KEY]
    return limits


async def get_rate_limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits


RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]


class PerCaller:
    """A dependency limiting each token subject to the rate in setting `setting`."""

    def __init__(self, scope: str, setting: str) -> None:
        self.scope, self.setting = scope, setting

    async def __call__(
        self, settings: SettingsDep, limits: RateLimitsDep, principal: PrincipalDep
    ) -> None:
        rate = getattr(settings, self.setting)
        limits.check(rate, self.scope, f"{principal.role}:{principal.sub}")
