"""The Parcel index: which shipment a carrier's tracking number belongs to."""

from __future__ import annotations

from eventsourcing.domain import event

from domain.shared import ids
from domain.shared.base import Created, EventSourced


class Parcel(EventSourced):
    """Stream `parcel-<tracking number>`, written with the label in one append.

    The carrier's webhook names a parcel by its tracking number only; this stream turns
    that into the shipment without a read model (which may lag) on the write side.
    """

    TOPIC = "shop.parcel"

    class Registered(Created):
        TOPIC = "shop.parcel.registered"
        tracking_number: str
        shipment_id: str

    @staticmethod
    def create_id(tracking_number: str) -> str:
        return ids.parcel_stream(tracking_number)

    @classmethod
    def register(cls, tracking_number: str, shipment_id: str) -> Parcel:
        return cls(tracking_number=tracking_number, shipment_id=shipment_id)

    @event(Registered)
    def __init__(self, tracking_number: str, shipment_id: str) -> None:
        self.tracking_number = tracking_number
        self.shipment_id = shipment_id
