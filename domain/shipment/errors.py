"""Refusals of the Shipment aggregate."""

from __future__ import annotations

from domain.shared.base import DomainError, NotFound


class UnknownShipment(NotFound):
    code = "unknown_shipment"


class ShipmentNotLabelled(DomainError):
    """Only a labelled shipment can be dispatched."""

    code = "shipment_not_labelled"


class OrderAlreadyShipped(DomainError):
    """The parcel left: the order can no longer be cancelled, only returned."""

    code = "order_already_shipped"


class ShipmentNotOnHold(DomainError):
    code = "shipment_not_on_hold"


class UnknownTrackingNumber(NotFound):
    code = "unknown_tracking_number"
