"""The states of a shipment and the carrier's reports about it."""

from __future__ import annotations

from enum import StrEnum


class ShipmentStatus(StrEnum):
    READY = "READY"  # opened, no label yet
    LABELLED = "LABELLED"
    ON_HOLD = "ON_HOLD"  # the carrier refused the label: the address needs fixing
    SHIPPED = "SHIPPED"  # dispatched: handed to the carrier
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    LOST = "LOST"
    VOIDED = "VOIDED"


S = ShipmentStatus
# The carrier's reports, in the order a parcel goes through them: a report of an earlier
# stage than the shipment is at (a late IN_TRANSIT after DELIVERED) changes nothing.
PROGRESS = {S.IN_TRANSIT: 1, S.DELIVERED: 2, S.LOST: 2}
STAGE = {S.SHIPPED: 0, S.IN_TRANSIT: 1, S.DELIVERED: 2, S.LOST: 2}
# Before dispatch, a shipment can still be voided (the order cancelled).
BEFORE_DISPATCH = frozenset({S.READY, S.LABELLED, S.ON_HOLD})
TERMINAL = frozenset({S.DELIVERED, S.LOST, S.VOIDED})
