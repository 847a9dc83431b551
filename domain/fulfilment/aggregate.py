"""The Fulfilment aggregate: the fulfilment manager's own memory of one order after payment."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.shared import ids
from domain.shared.base import Created, EventSourced
from domain.shared.personal import now_sealable


class Fulfilment(EventSourced):
    """Stream `fulfilment-<order uuid>`: the order's shipments and returns as the log told
    them, the cancellation, and each step asked and done.

    Invariants: a status is recorded only when it changed, so facts delivered twice
    change nothing; a step is asked once and done once; an asked step not done is what
    a restarted manager must find out about before acting again.
    """

    TOPIC = "shop.fulfilment"

    class Started(Created):
        TOPIC = "shop.fulfilment.started"
        order_id: str
        customer_id: str
        lines: list[dict[str, Any]]  # [{sku, quantity}]
        total: int
        currency: str
        address: dict[str, str] | None
        PERSONAL_FIELDS = ("address",)
        class_version = 2  # from v2 the address may be sealed under the customer's key
        upcast_v1_v2 = staticmethod(now_sealable)

    class ShipmentNoted(EventSourced.Event):
        TOPIC = "shop.fulfilment.shipment_noted"
        shipment_id: str
        status: str
        attempt: int  # labels asked for it so far (one more with each address fix)

    class ReturnNoted(EventSourced.Event):
        TOPIC = "shop.fulfilment.return_noted"
        return_id: str
        kind: str
        status: str
        lines: list[dict[str, Any]]  # [{sku, quantity}]
        refund_amount: int

    class CancellationNoted(EventSourced.Event):
        TOPIC = "shop.fulfilment.cancellation_noted"

    class StepAsked(EventSourced.Event):
        """An effect is about to reach the carrier or the payment provider."""

        TOPIC = "shop.fulfilment.step_asked"
        key: str

    class StepDone(EventSourced.Event):
        TOPIC = "shop.fulfilment.step_done"
        key: str
        outcome: str | None

    @staticmethod
    def create_id(order_id: str) -> str:
        return ids.fulfilment_stream(order_id)

    @event(Started)
    def __init__(
        self,
        order_id: str,
        customer_id: str,
        lines: list[dict[str, Any]],
        total: int,
        currency: str,
        address: dict[str, str] | None,
    ) -> None:
        self.order_id = order_id
        self.customer_id = customer_id
        self.lines = tuple((line["sku"], line["quantity"]) for line in lines)
        self.total = total
        self.currency = currency
        self.address = address
        self.shipments: dict[str, tuple[str, int]] = {}  # shipment id -> status, attempt
        self.returns: dict[str, dict[str, Any]] = {}  # return id -> kind, status, lines, amount
        self.cancelled = False
        self.asked: set[str] = set()
        self.done: dict[str, str | None] = {}

    def note_shipment(self, shipment_id: str, status: str, attempt: int) -> None:
        if self.shipments.get(shipment_id) != (status, attempt):
            self._shipment_noted(shipment_id, status, attempt)

    def note_return(
        self, return_id: str, kind: str, status: str, lines: list[dict[str, Any]], amount: int
    ) -> None:
        if self.returns.get(return_id, {}).get("status") != status:
            self._return_noted(return_id, kind, status, lines, amount)

    def note_cancellation(self) -> None:
        if not self.cancelled:
            self._cancellation_noted()

    def ask(self, key: str) -> None:
        if key not in self.asked:
            self._step_asked(key)

    def finish(self, key: str, outcome: str | None = None) -> None:
        if key not in self.done:
            self._step_done(key, outcome)

    @event(ShipmentNoted)
    def _shipment_noted(self, shipment_id: str, status: str, attempt: int) -> None:
        self.shipments[shipment_id] = (status, attempt)

    @event(ReturnNoted)
    def _return_noted(
        self,
        return_id: str,
        kind: str,
        status: str,
        lines: list[dict[str, Any]],
        refund_amount: int,
    ) -> None:
        self.returns[return_id] = {
            "kind": kind,
            "status": status,
            "lines": tuple((line["sku"], line["quantity"]) for line in lines),
            "refund_amount": refund_amount,
        }

    @event(CancellationNoted)
    def _cancellation_noted(self) -> None:
        self.cancelled = True

    @event(StepAsked)
    def _step_asked(self, key: str) -> None:
        self.asked.add(key)

    @event(StepDone)
    def _step_done(self, key: str, outcome: str | None) -> None:
        self.done[key] = outcome
