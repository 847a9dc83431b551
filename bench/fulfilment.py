"""Fulfilment at the benchmark's rates: each confirmed order's time to its label, from the log.

`shop serve`'s saga worker runs the fulfilment manager beside the checkout, labelling
through the simulated carrier it starts as its own process. The lag of an order is
`Shipment.LabelCreated` (or `LabelRefused`) minus `Order.Confirmed`, by the events' own
timestamps; an order's shipment is `shipment-<order uuid>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.bootstrap import Container
from bench.measure import events_after, wait_until_done
from domain.order import Order
from domain.shipment import Shipment

TOPICS = [Order.Confirmed.TOPIC, Shipment.LabelCreated.TOPIC, Shipment.LabelRefused.TOPIC]


@dataclass
class Labels:
    confirmed: int = 0
    labelled: int = 0
    refused: int = 0
    lag_ms: list[float] = field(default_factory=list)
    labelled_per_s: float = 0.0

    @property
    def pending(self) -> int:
        return self.confirmed - self.labelled - self.refused


def labels(container: Container, after: int, order_ids: list[str]) -> Labels:
    """Confirmed → labelled latency per confirmed order of `order_ids`."""
    wanted = set(order_ids)
    confirmed, ended = {}, {}
    for event in events_after(container, after, TOPICS):
        kind, _, order_id = str(event.originator_id).partition("-")
        if order_id not in wanted:
            continue
        if isinstance(event, Order.Confirmed):
            confirmed[order_id] = event.timestamp
        elif kind == "shipment" and order_id not in ended:
            ended[order_id] = (event.timestamp, isinstance(event, Shipment.LabelCreated))
    result = Labels(confirmed=len(confirmed))
    for order_id, (at, created) in ended.items():
        if order_id in confirmed:
            result.lag_ms.append((at - confirmed[order_id]).total_seconds() * 1000)
            result.labelled += created
            result.refused += not created
    if len(ended) > 1 and confirmed:
        span = (max(at for at, _ in ended.values()) - min(confirmed.values())).total_seconds()
        result.labelled_per_s = result.labelled / span if span > 0 else 0.0
    return result


def wait_until_labelled(
    container: Container, after: int, order_ids: list[str], timeout_s: float
) -> Labels:
    """Wait for every confirmed order's label (or refusal), so the next level starts clean."""
    return wait_until_done(lambda: labels(container, after, order_ids), timeout_s)
