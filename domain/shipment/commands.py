"""What can be asked of a shipment: open it, record the carrier's label answer, fix its
address, dispatch it, record a carrier report, void it.

Frozen dataclasses in the domain's words; `commands/shipment.py` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OpenShipment:
    """`shipment_id` is the order's uuid, or a return's for an exchange."""

    shipment_id: str
    order_id: str
    customer_id: str
    lines: tuple[tuple[str, int], ...]
    address: Any  # dict[str, str] | None; a mapping is not hashable, so compared as given


@dataclass(frozen=True)
class RecordLabel:
    shipment_id: str
    carrier: str
    tracking_number: str


@dataclass(frozen=True)
class RefuseLabel:
    shipment_id: str
    reason: str


@dataclass(frozen=True)
class CorrectAddress:
    shipment_id: str
    address: dict[str, str]


@dataclass(frozen=True)
class DispatchShipment:
    shipment_id: str
    dispatched_by: str


@dataclass(frozen=True)
class RecordCarrierEvent:
    """A report of the carrier's webhook, by tracking number."""

    event_id: str
    tracking_number: str
    status: str  # IN_TRANSIT | DELIVERED | LOST
    occurred_at: str  # ISO-8601, as the carrier sent it


@dataclass(frozen=True)
class VoidShipment:
    shipment_id: str
    reason: str
