"""Fulfilment histories for read-model tests, written through the command bus.

Orders are placed and paid with `Shop` (as the checkout would); everything after that
goes through the real handlers, so the views see what the write side records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from commands.bus import CommandBus, build_command_bus
from domain.inventory import RestockReturn
from domain.payment import RefundPart
from domain.returns import (
    ApproveReturn,
    MarkReturnExchanged,
    MarkReturnRefunded,
    ReceiveReturn,
    RejectReturn,
    RequestReturn,
)
from domain.shared import ids
from domain.shipment import (
    DispatchShipment,
    OpenShipment,
    RecordCarrierEvent,
    RecordLabel,
    RefuseLabel,
    VoidShipment,
)
from eventstore.application import ShopStore

ADDRESS = {"name": "Alice", "line1": "1 Main St", "city": "Seoul", "postal_code": "04524"}
ADDRESS |= {"country": "KR"}
# The carrier's reports, in the order a parcel goes through them.
JOURNEY = ("LABELLED", "SHIPPED", "IN_TRANSIT", "DELIVERED")
DELIVERED_AT = "2026-01-02T10:00:00+00:00"


@dataclass
class Fulfil:
    """Drives shipments and returns the way the fulfilment manager and admins would."""

    store: ShopStore
    bus: CommandBus = field(init=False)

    def __post_init__(self) -> None:
        self.bus = build_command_bus(self.store, lambda: datetime(2026, 1, 3, tzinfo=UTC))

    def open(self, order_id: str, customer: str, lines: dict[str, int], sid: str = "") -> str:
        sid = sid or order_id
        self.bus.handle(OpenShipment(sid, order_id, customer, tuple(lines.items()), ADDRESS))
        return sid

    def advance(self, sid: str, status: str) -> None:
        """One step of the journey (or ON_HOLD, VOIDED, LOST) from where the shipment is."""
        tracking = f"TRK-{sid[:8]}"
        step = {
            "LABELLED": RecordLabel(sid, "simcarrier", tracking),
            "ON_HOLD": RefuseLabel(sid, "undeliverable address"),
            "VOIDED": VoidShipment(sid, "order cancelled"),
            "SHIPPED": DispatchShipment(sid, "admin-1"),
        }.get(status)
        if step is None:  # a carrier report
            at = DELIVERED_AT if status == "DELIVERED" else "2026-01-01T18:00:00+00:00"
            step = RecordCarrierEvent(f"ev-{sid[:8]}-{status}", tracking, status, at)
        self.bus.handle(step)

    def ship(self, order_id: str, customer: str, lines: dict[str, int], until: str) -> str:
        """Open the order's shipment and take it as far as `until` along the journey."""
        sid = self.open(order_id, customer, lines)
        for status in JOURNEY[: JOURNEY.index(until) + 1]:
            self.advance(sid, status)
        return sid

    def request(
        self, order_id: str, owner: str, lines: dict[str, int], kind: str = "refund", key: str = "r"
    ) -> str:
        command = RequestReturn(order_id, key, kind, tuple(lines.items()), "does not fit", owner)
        self.bus.handle(command)
        return ids.new_return_uuid(order_id, key)

    def receive(self, return_id: str, lines: dict[str, int]) -> None:
        self.bus.handle(ApproveReturn(return_id))
        self.bus.handle(ReceiveReturn(return_id))
        for sku, quantity in lines.items():
            self.bus.handle(RestockReturn(sku, return_id, quantity))

    def refund(self, order_id: str, return_id: str, lines: dict[str, int], amount: int) -> None:
        """Approve, receive, restock, refund the payment's part and settle the return."""
        self.receive(return_id, lines)
        self.bus.handle(RefundPart(order_id, return_id, amount, "return"))
        self.bus.handle(MarkReturnRefunded(return_id, amount))

    def exchange(self, order_id: str, customer: str, return_id: str, lines: dict[str, int]) -> str:
        """Approve, receive, restock, settle as exchanged and ship the same skus again."""
        self.receive(return_id, lines)
        self.bus.handle(MarkReturnExchanged(return_id))
        sid = self.open(order_id, customer, lines, sid=return_id)
        self.advance(sid, "LABELLED")
        return sid

    def reject(self, return_id: str) -> None:
        self.bus.handle(RejectReturn(return_id, "worn"))
