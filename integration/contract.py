"""The public integration events: a small, versioned contract kept apart from the internal
events, so the domain can change without breaking the systems that listen to the shop.

Each event is `{id, type, occurred_at, data}` on the wire. `id` is derived from the
internal event it comes from (its stream and version), so every redelivery, replay and
relay restart yields the same id: consumers deduplicate on it. `key` orders delivery: the
order id for order, shipment and refund events, the sku for stock and product events.
It is not on the wire (it is inside `data`), but it is the routing and ordering key.

Versioning: a type's fields are only ever added (optional for readers); renaming,
removing or changing the meaning of a field makes a new type (`...v2`), published beside
the old one until its subscribers have moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

ORDER_PLACED = "order.placed.v1"
ORDER_CONFIRMED = "order.confirmed.v1"
ORDER_CANCELLED = "order.cancelled.v1"
SHIPMENT_SHIPPED = "shipment.shipped.v1"
SHIPMENT_DELIVERED = "shipment.delivered.v1"
REFUND_ISSUED = "refund.issued.v1"
STOCK_CHANGED = "stock.changed.v1"
PRODUCT_CHANGED = "product.changed.v1"

TYPES = (
    ORDER_PLACED,
    ORDER_CONFIRMED,
    ORDER_CANCELLED,
    SHIPMENT_SHIPPED,
    SHIPMENT_DELIVERED,
    REFUND_ISSUED,
    STOCK_CHANGED,
    PRODUCT_CHANGED,
)

# Fixed for ever: changing it would change every event id ever published.
NAMESPACE = UUID("5d0c6f8e-3a51-4f7e-9a53-6c1b7f1e2a90")


def event_id(stream: str, version: int) -> str:
    """The integration event id of the internal event at `stream`@`version`."""
    return str(uuid5(NAMESPACE, f"{stream}@{version}"))


@dataclass(frozen=True)
class IntegrationEvent:
    """One public event; `key` is its ordering key (order id or sku)."""

    id: str
    type: str
    occurred_at: str
    key: str
    data: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "data": self.data,
        }

    def body(self) -> bytes:
        """The exact bytes sent to subscribers (webhook bodies, AMQP messages)."""
        return json.dumps(self.as_json(), separators=(",", ":"), sort_keys=True).encode()
