"""Shipment handlers: open, label, dispatch, carrier reports, void; and the cancellation
guard the order's handler asks for.

The carrier's webhook names a parcel by tracking number; `Parcel` streams, written in
the same append as the label, lead from it to the shipment."""

from __future__ import annotations

from commands.handling import accept, load, unchanged
from commands.ports import EventStore
from commands.results import Accepted
from domain.order import Order
from domain.shared import ids
from domain.shipment import (
    CorrectAddress,
    DispatchShipment,
    OpenShipment,
    Parcel,
    RecordCarrierEvent,
    RecordLabel,
    RefuseLabel,
    Shipment,
    UnknownShipment,
    UnknownTrackingNumber,
    VoidShipment,
)


def open_shipment(cmd: OpenShipment, store: EventStore) -> Accepted:
    stream = ids.shipment_stream(cmd.shipment_id)
    existing: Shipment | None = store.find(stream)
    if existing is not None:  # opened before, or voided by an early cancellation
        return unchanged(existing.id, existing.version)
    shipment = Shipment.open(
        cmd.shipment_id, cmd.order_id, cmd.customer_id, list(cmd.lines), cmd.address
    )
    return accept(store, shipment)


def record_label(cmd: RecordLabel, store: EventStore) -> Accepted:
    shipment = _load(store, cmd.shipment_id)
    shipment.record_label(cmd.carrier, cmd.tracking_number)
    if not shipment.pending_events:
        return unchanged(shipment.id, shipment.version)
    parcel = Parcel.register(cmd.tracking_number, shipment.id)
    position = store.save(parcel, shipment)
    return Accepted(shipment.id, shipment.version, position)


def refuse_label(cmd: RefuseLabel, store: EventStore) -> Accepted:
    shipment = _load(store, cmd.shipment_id)
    shipment.refuse_label(cmd.reason)
    return accept(store, shipment)


def correct_address(cmd: CorrectAddress, store: EventStore) -> Accepted:
    shipment = _load(store, cmd.shipment_id)
    shipment.correct_address(cmd.address)
    return accept(store, shipment)


def dispatch_shipment(cmd: DispatchShipment, store: EventStore) -> Accepted:
    shipment = _load(store, cmd.shipment_id)
    shipment.dispatch(cmd.dispatched_by)
    return accept(store, shipment)


def record_carrier_event(cmd: RecordCarrierEvent, store: EventStore) -> Accepted:
    parcel: Parcel | None = store.find(ids.parcel_stream(cmd.tracking_number))
    if parcel is None:
        raise UnknownTrackingNumber(f"no parcel has tracking number {cmd.tracking_number}")
    shipment: Shipment = store.get(parcel.shipment_id)
    shipment.record_carrier_event(cmd.event_id, cmd.status, cmd.occurred_at)
    return accept(store, shipment)


def void_shipment(cmd: VoidShipment, store: EventStore) -> Accepted:
    shipment = _load(store, cmd.shipment_id)
    shipment.void(cmd.reason)
    return accept(store, shipment)


def voided_for_cancellation(store: EventStore, order: Order) -> Shipment:
    """The order's shipment, voided so that it can never be dispatched.

    Raises `OrderAlreadyShipped` once it left. Saved with the cancellation request in one
    append: a dispatch racing the cancellation finds the stream moved and is refused.
    With no shipment yet, one is opened already voided, so the fulfilment manager, which
    opens a shipment only where there is none, never ships the cancelled order.
    """
    shipment: Shipment | None = store.find(ids.shipment_stream(order.order_id))
    if shipment is None:
        lines = [(line["sku"], line["quantity"]) for line in order.lines]
        shipment = Shipment.open(
            order.order_id, order.order_id, order.customer_id, lines, order.shipping_address
        )
    shipment.void("order cancelled")
    return shipment


def _load(store: EventStore, shipment_id: str) -> Shipment:
    return load(store, ids.shipment_stream(shipment_id), UnknownShipment)  # type: ignore[no-any-return]
