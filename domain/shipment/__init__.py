"""Shipments: one per order (and one per exchange), and the tracking-number index."""

from domain.shipment.aggregate import Shipment
from domain.shipment.commands import (
    CorrectAddress,
    DispatchShipment,
    OpenShipment,
    RecordCarrierEvent,
    RecordLabel,
    RefuseLabel,
    VoidShipment,
)
from domain.shipment.errors import (
    OrderAlreadyShipped,
    ShipmentNotLabelled,
    ShipmentNotOnHold,
    UnknownShipment,
    UnknownTrackingNumber,
)
from domain.shipment.parcel import Parcel
from domain.shipment.values import ShipmentStatus

__all__ = [
    "CorrectAddress",
    "DispatchShipment",
    "OpenShipment",
    "OrderAlreadyShipped",
    "Parcel",
    "RecordCarrierEvent",
    "RecordLabel",
    "RefuseLabel",
    "Shipment",
    "ShipmentNotLabelled",
    "ShipmentNotOnHold",
    "ShipmentStatus",
    "UnknownShipment",
    "UnknownTrackingNumber",
    "VoidShipment",
]
