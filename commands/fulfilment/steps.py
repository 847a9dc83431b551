"""Carrying out the fulfilment manager's steps: each ends `done` in the Fulfilment.

Commands go through the bus and are idempotent (a step run again after a crash changes
nothing); effects go through `Effects`, recorded before they leave. After a step, the
aggregates it touched are noted again, so the next decision sees what it did without
waiting for the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from commands.bus import CommandBus
from commands.carrier import Label
from commands.fulfilment.effects import Effects
from commands.handling import look_up
from commands.ports import EventStore
from commands.process_managers.dispatch import handled
from domain.fulfilment import (
    AskLabel,
    Exchange,
    Fulfilment,
    HandOver,
    OpenParcel,
    Refund,
    Restock,
    Step,
    VoidLabel,
    reference,
)
from domain.fulfilment.facts import note
from domain.inventory import (
    CommitReservation,
    InventoryItem,
    ReleaseReservation,
    ReserveStock,
    RestockReturn,
)
from domain.payment import RefundPart
from domain.returns import MarkReturnExchanged, MarkReturnRefunded
from domain.shared import ids
from domain.shared.base import DomainError, NotFound
from domain.shared.context import message_context
from domain.shipment import OpenShipment, RecordLabel, RefuseLabel, Shipment, ShipmentStatus

log = logging.getLogger(__name__)
LATER = "asked"  # a label step's outcome while the label is on its way: not finished yet


class StepRunner:
    def __init__(
        self,
        store: EventStore,
        bus: CommandBus,
        effects: Effects,
        save: Callable[[Fulfilment], None],
    ) -> None:
        self.store, self.bus, self.effects, self.save = store, bus, effects, save
        # Labels asked and not yet requested: they leave after the manager's next commit.
        self.asked: dict[str, tuple[Fulfilment, AskLabel, Shipment]] = {}

    def waits(self, fulfilment: Fulfilment) -> bool:
        """Whether the order's label is asked and not yet here: its drive stops till then."""
        return fulfilment.order_id in self.asked

    def run(self, fulfilment: Fulfilment, step: Step) -> None:
        outcome = {
            OpenParcel: self._open,
            AskLabel: self._label,
            VoidLabel: self._void,
            HandOver: self._hand_over,
            Refund: self._refund,
            Restock: self._restock,
            Exchange: self._exchange,
        }[type(step)](fulfilment, step)  # type: ignore[operator]
        if outcome is not LATER:
            self._finish(fulfilment, step, outcome)

    def request_labels(self) -> list[Fulfilment]:
        """Request the labels asked since the last commit (committed now), record each
        answer and finish its step; the fulfilments that may go on."""
        asked, self.asked = list(self.asked.values()), {}
        if asked:
            self.effects.leaving()
        for fulfilment, step, shipment in asked:
            label = self.effects.request_label(fulfilment, step, shipment)
            with message_context(fulfilment.order_id, f"{fulfilment.id}@{fulfilment.version}"):
                self._finish(fulfilment, step, self._labelled(fulfilment, step, label))
        return [fulfilment for fulfilment, _, _ in asked]

    def _finish(self, fulfilment: Fulfilment, step: Step, outcome: str | None) -> None:
        fulfilment.finish(step.key, outcome)
        self.save(fulfilment)

    def _open(self, fulfilment: Fulfilment, step: OpenParcel) -> str | None:
        address = fulfilment.address
        lines = step.lines
        self._command(
            OpenShipment(
                step.shipment_id, fulfilment.order_id, fulfilment.customer_id, lines, address
            )
        )
        self._note_shipment(fulfilment, step.shipment_id)
        return None

    def _label(self, fulfilment: Fulfilment, step: AskLabel) -> str | None:
        shipment = self._shipment(step.shipment_id)
        wanted = reference(step.shipment_id, shipment.attempt)
        if shipment.status != ShipmentStatus.READY or wanted != step.reference:
            note(fulfilment, shipment)
            return "not wanted"  # voided, or its address fixed and asked again since
        label = self.effects.known_label(fulfilment, step)
        if label is None:
            self.effects.ask_label(fulfilment, step)
            self.asked[fulfilment.order_id] = (fulfilment, step, shipment)
            return LATER
        return self._labelled(fulfilment, step, label)

    def _labelled(self, fulfilment: Fulfilment, step: AskLabel, label: Label) -> str:
        """Record the carrier's answer on the shipment; the step's outcome."""
        if label.tracking_number is not None:
            carrier = self.effects.carrier.name
            self._command(RecordLabel(step.shipment_id, carrier, label.tracking_number))
        else:
            self._command(RefuseLabel(step.shipment_id, label.reason or "refused"))
        self._note_shipment(fulfilment, step.shipment_id)
        return label.tracking_number or "refused"

    def _void(self, fulfilment: Fulfilment, step: VoidLabel) -> str | None:
        self.effects.void(fulfilment, step)
        return None

    def _hand_over(self, fulfilment: Fulfilment, step: HandOver) -> str | None:
        self.effects.hand_over(fulfilment, step)
        return None

    def _refund(self, fulfilment: Fulfilment, step: Refund) -> str | None:
        amount = self.effects.refund(fulfilment, step)
        if amount > 0:
            self._command(RefundPart(fulfilment.order_id, step.refund_id, amount, step.reason))
        if step.return_id is not None:
            self._command(MarkReturnRefunded(step.return_id, amount))
            self._note_return(fulfilment, step.return_id)
        return str(amount)

    def _restock(self, fulfilment: Fulfilment, step: Restock) -> str | None:
        for sku, quantity in step.lines:
            self._command(RestockReturn(sku, step.return_id, quantity))
        return None

    def _exchange(self, fulfilment: Fulfilment, step: Exchange) -> str | None:
        """Reserve the same units for the return; all of them, or none and a refund."""
        for sku, quantity in step.lines:
            self._command(ReserveStock(sku, step.return_id, quantity))
        if all(self._reserved(sku, step.return_id) for sku, _ in step.lines):
            for sku, _ in step.lines:
                self._command(CommitReservation(sku, step.return_id))
            self._command(MarkReturnExchanged(step.return_id))
            self._note_return(fulfilment, step.return_id)
            return "reserved"
        for sku, _ in step.lines:
            self._command(ReleaseReservation(sku, step.return_id))
        return "unavailable"

    def _reserved(self, sku: str, holder: str) -> bool:
        item: InventoryItem | None = self.store.read(ids.inventory_stream(sku))
        return item is not None and (holder in item.reservations or holder in item.committed)

    def _command(self, command: object) -> None:
        try:
            handled(self.bus, command)
        except DomainError as refusal:  # a rule says no: the log holds the fact that won
            log.info("fulfilment command %s refused: %s", type(command).__name__, refusal)

    def _shipment(self, shipment_id: str) -> Shipment:
        shipment: Shipment = look_up(self.store, ids.shipment_stream(shipment_id), NotFound)
        return shipment

    def _note_shipment(self, fulfilment: Fulfilment, shipment_id: str) -> None:
        note(fulfilment, self._shipment(shipment_id))

    def _note_return(self, fulfilment: Fulfilment, return_id: str) -> None:
        note(fulfilment, look_up(self.store, ids.return_stream(return_id), NotFound))
