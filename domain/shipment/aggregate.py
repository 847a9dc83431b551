"""The Shipment aggregate: one parcel of an order (or of an exchange), from label to door."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.returns.errors import ReturnNotAllowed
from domain.shared import ids
from domain.shared.base import Created, EventSourced, InvalidInput
from domain.shared.checks import check_text, check_uuid
from domain.shared.personal import now_sealable
from domain.shipment.errors import OrderAlreadyShipped, ShipmentNotLabelled, ShipmentNotOnHold
from domain.shipment.values import BEFORE_DISPATCH, PROGRESS, STAGE, ShipmentStatus

S = ShipmentStatus


def _without_subject(state: dict[str, Any]) -> None:
    """Upcast an `AddressCorrected` stored before addresses were sealed (v1 -> v2): it
    names no customer, and its address is in clear."""
    state["customer_id"] = None


class Shipment(EventSourced):
    """Stream `shipment-<order uuid>`, or `shipment-<return uuid>` for an exchange.

    Invariants: one label per shipment (a second answer changes nothing); dispatch only
    when LABELLED; no dispatch after void, no void after dispatch; the carrier's reports
    only move a dispatched parcel forward (each `event_id` once, a late report of an
    earlier stage ignored); DELIVERED, LOST and VOIDED are terminal.
    """

    TOPIC = "shop.shipment"

    class Opened(Created):
        TOPIC = "shop.shipment.opened"
        order_id: str
        return_id: str | None
        customer_id: str
        lines: list[dict[str, Any]]  # [{sku, quantity}]
        address: dict[str, str] | None
        PERSONAL_FIELDS = ("address",)
        class_version = 2  # from v2 the address may be sealed under the customer's key
        upcast_v1_v2 = staticmethod(now_sealable)

    class LabelCreated(EventSourced.Event):
        TOPIC = "shop.shipment.label_created"
        carrier: str
        tracking_number: str

    class LabelRefused(EventSourced.Event):
        TOPIC = "shop.shipment.label_refused"
        reason: str

    class AddressCorrected(EventSourced.Event):
        TOPIC = "shop.shipment.address_corrected"
        address: dict[str, str] | None
        customer_id: str | None  # whose key seals the address; None in v1 (stored clear)
        PERSONAL_FIELDS = ("address",)
        class_version = 2
        upcast_v1_v2 = staticmethod(_without_subject)

    class Dispatched(EventSourced.Event):
        TOPIC = "shop.shipment.dispatched"
        dispatched_by: str

    class InTransit(EventSourced.Event):
        TOPIC = "shop.shipment.in_transit"
        event_id: str
        occurred_at: str

    class Delivered(EventSourced.Event):
        TOPIC = "shop.shipment.delivered"
        event_id: str
        occurred_at: str

    class Lost(EventSourced.Event):
        TOPIC = "shop.shipment.lost"
        event_id: str
        occurred_at: str

    class ReturnClaimed(EventSourced.Event):
        """Units of this shipment a return asked for: they cannot be asked for twice."""

        TOPIC = "shop.shipment.return_claimed"
        return_id: str
        lines: list[dict[str, Any]]  # [{sku, quantity}]

    class ReturnReleased(EventSourced.Event):
        TOPIC = "shop.shipment.return_released"
        return_id: str

    class Voided(EventSourced.Event):
        TOPIC = "shop.shipment.voided"
        reason: str

    @staticmethod
    def create_id(order_id: str, return_id: str | None) -> str:
        return ids.shipment_stream(return_id or order_id)

    @classmethod
    def open(
        cls,
        shipment_id: str,
        order_id: str,
        customer_id: str,
        lines: list[tuple[str, int]],
        address: dict[str, str] | None,
    ) -> Shipment:
        check_uuid(shipment_id, "shipment_id")
        return cls(
            order_id=check_uuid(order_id, "order_id"),
            return_id=None if shipment_id == order_id else shipment_id,
            customer_id=customer_id,
            lines=[{"sku": sku, "quantity": quantity} for sku, quantity in lines],
            address=None if address is None else dict(address),
        )

    @event(Opened)
    def __init__(
        self,
        order_id: str,
        return_id: str | None,
        customer_id: str,
        lines: list[dict[str, Any]],
        address: dict[str, str] | None,
    ) -> None:
        self.order_id = order_id
        self.return_id = return_id
        self.customer_id = customer_id
        self.lines = [(line["sku"], line["quantity"]) for line in lines]
        self.address = address
        self.status = S.READY
        self.carrier: str | None = None
        self.tracking_number: str | None = None
        self.hold_reason: str | None = None
        self.carrier_events: set[str] = set()
        self.shipped_at: str | None = None
        self.delivered_at: str | None = None
        self.claims: dict[str, dict[str, int]] = {}  # return id -> {sku: units}
        self.attempt = 1  # labels asked for: one more with each address fix

    @property
    def dispatched(self) -> bool:
        return self.status not in BEFORE_DISPATCH and self.status != S.VOIDED

    def record_label(self, carrier: str, tracking_number: str) -> None:
        check_text(tracking_number, "tracking_number", max_len=100)
        if self.status == S.READY:
            self._label_created(check_text(carrier, "carrier", max_len=100), tracking_number)

    def refuse_label(self, reason: str) -> None:
        if self.status == S.READY:
            self._label_refused(check_text(reason, "reason", max_len=500))

    def correct_address(self, address: dict[str, str]) -> None:
        """A held shipment gets a new address and asks the carrier again."""
        if self.status != S.ON_HOLD:
            raise ShipmentNotOnHold(f"shipment {self.id} is {self.status}, not ON_HOLD")
        self._address_corrected(dict(address), self.customer_id)

    def dispatch(self, dispatched_by: str) -> None:
        if self.dispatched:
            return
        if self.status != S.LABELLED:
            raise ShipmentNotLabelled(f"shipment {self.id} is {self.status}, not LABELLED")
        self._dispatched(check_text(dispatched_by, "dispatched_by", max_len=300))

    def record_carrier_event(self, event_id: str, status: str, occurred_at: str) -> None:
        """Move a dispatched parcel forward; a repeat or a late, earlier report is a no-op."""
        if status not in (S.IN_TRANSIT, S.DELIVERED, S.LOST):
            raise InvalidInput(f"status must be IN_TRANSIT, DELIVERED or LOST, got {status!r}")
        if event_id in self.carrier_events or not self.dispatched:
            return
        if PROGRESS[S(status)] <= STAGE[self.status]:
            return
        recorder = {
            S.IN_TRANSIT: self._in_transit,
            S.DELIVERED: self._delivered,
            S.LOST: self._lost,
        }[S(status)]
        recorder(event_id, occurred_at)

    def returnable(self, sku: str) -> int:
        """Units of `sku` delivered and not claimed by a return (rejected ones released)."""
        shipped: int = dict(self.lines).get(sku, 0)
        return shipped - sum(claim.get(sku, 0) for claim in self.claims.values())

    def claim_return(self, return_id: str, lines: list[tuple[str, int]]) -> None:
        """Hold these units for return `return_id`; a repeat of the same claim is a no-op."""
        wanted = dict(lines)
        if self.claims.get(return_id) == wanted:
            return
        if self.status != S.DELIVERED or return_id in self.claims:
            raise ReturnNotAllowed(f"shipment {self.id} is {self.status}, not DELIVERED")
        for sku, quantity in wanted.items():
            if quantity > self.returnable(sku):
                raise ReturnNotAllowed(
                    f"{quantity} of {sku} asked, {self.returnable(sku)} can be returned"
                )
        self._return_claimed(return_id, [{"sku": k, "quantity": q} for k, q in lines])

    def release_return(self, return_id: str) -> None:
        if return_id in self.claims:
            self._return_released(return_id)

    def void(self, reason: str) -> None:
        if self.status == S.VOIDED:
            return
        if self.dispatched:
            raise OrderAlreadyShipped(f"order {self.order_id} has shipped")
        self._voided(check_text(reason, "reason", max_len=200))

    @event(LabelCreated)
    def _label_created(self, carrier: str, tracking_number: str) -> None:
        self.carrier, self.tracking_number = carrier, tracking_number
        self.status = S.LABELLED

    @event(LabelRefused)
    def _label_refused(self, reason: str) -> None:
        self.hold_reason = reason
        self.status = S.ON_HOLD

    @event(AddressCorrected)
    def _address_corrected(self, address: dict[str, str] | None, customer_id: str | None) -> None:
        self.address, self.hold_reason = address, None
        self.status = S.READY
        self.attempt += 1

    @event(Dispatched)
    def _dispatched(self, dispatched_by: str) -> None:
        self.status = S.SHIPPED
        self.shipped_at = self.modified_on.isoformat()

    @event(InTransit)
    def _in_transit(self, event_id: str, occurred_at: str) -> None:
        self.carrier_events.add(event_id)
        self.status = S.IN_TRANSIT

    @event(Delivered)
    def _delivered(self, event_id: str, occurred_at: str) -> None:
        self.carrier_events.add(event_id)
        self.status = S.DELIVERED
        self.delivered_at = occurred_at

    @event(Lost)
    def _lost(self, event_id: str, occurred_at: str) -> None:
        self.carrier_events.add(event_id)
        self.status = S.LOST

    @event(ReturnClaimed)
    def _return_claimed(self, return_id: str, lines: list[dict[str, Any]]) -> None:
        self.claims[return_id] = {line["sku"]: line["quantity"] for line in lines}

    @event(ReturnReleased)
    def _return_released(self, return_id: str) -> None:
        del self.claims[return_id]

    @event(Voided)
    def _voided(self, reason: str) -> None:
        self.status = S.VOIDED
