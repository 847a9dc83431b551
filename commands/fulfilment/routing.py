"""What the fulfilment manager listens to, and which order each event is about."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from commands.ports import EventStore
from domain.order import Order
from domain.returns import Return
from domain.shipment import Shipment

ORDER_FACTS: tuple[type, ...] = (Order.Confirmed, Order.CancellationRequested)
SHIPMENT_FACTS: tuple[type, ...] = tuple(
    value
    for name, value in vars(Shipment).items()
    if isinstance(value, type) and issubclass(value, Shipment.Event) and name != "Event"
)
RETURN_FACTS: tuple[type, ...] = tuple(
    value
    for name, value in vars(Return).items()
    if isinstance(value, type) and issubclass(value, Return.Event) and name != "Event"
)
TOPICS = tuple(get_topic(kind) for kind in (*ORDER_FACTS, *SHIPMENT_FACTS, *RETURN_FACTS))


def route(store: EventStore, event: Any) -> tuple[str | None, Any]:
    """The order `event` is about, and the aggregate it is about as it is now (None, None
    when that aggregate is gone from the store, which a log never allows). For looking
    only: it may be the store's cached object itself."""
    if isinstance(event, (Order.Event, Shipment.Event, Return.Event)):
        subject = store.read(str(event.originator_id))
        return (None, None) if subject is None else (subject.order_id, subject)
    return None, None
