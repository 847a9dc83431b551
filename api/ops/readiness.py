"""Readiness: can this process answer? The log must answer and, where the app serves reads,
every read model must answer and run within the lag SLO (`SHOP_LAG_SLO_S`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from api.host import ReadPositions
from eventstore.application import ShopStore

log = logging.getLogger("shop.api")


@dataclass
class Readiness:
    head: int | None = None
    projections: dict[str, dict[str, float]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reasons


def check(store: ShopStore, read_side: ReadPositions | None, slo: float) -> Readiness:
    """`read_side` is None where the app serves no reads (the command API)."""
    result = Readiness()
    try:
        result.head = store.head()
    except Exception as error:
        log.warning("readiness: event store unreachable", exc_info=True)
        result.reasons.append(f"event store unreachable: {type(error).__name__}")
        return result
    if read_side is not None:
        for name in read_side.names:
            _check_projection(read_side, name, slo, result)
    return result


def _check_projection(read_side: ReadPositions, name: str, slo: float, result: Readiness) -> None:
    try:
        events, seconds = read_side.lag(name)
    except Exception as error:
        log.warning("readiness: read model %s unreachable", name, exc_info=True)
        result.reasons.append(f"read model {name} unreachable: {type(error).__name__}")
        return
    result.projections[name] = {"lag_events": events, "lag_seconds": round(seconds, 3)}
    if seconds > slo:
        result.reasons.append(f"projection {name} is {seconds:.1f}s behind (SLO {slo:g}s)")
