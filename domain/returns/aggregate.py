"""The Return aggregate: goods a customer sends back, for a refund or an exchange."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.returns.errors import ReturnAlreadyDecided, ReturnNotApproved
from domain.returns.values import ReturnKind, ReturnStatus
from domain.shared import ids
from domain.shared.base import Created, EventSourced, InvalidInput
from domain.shared.checks import check_int, check_text, check_uuid

R = ReturnStatus


class Return(EventSourced):
    """Stream `return-<uuid>`.

    Invariants: REQUESTED goes to APPROVED or REJECTED, APPROVED to RECEIVED, RECEIVED to
    REFUNDED or EXCHANGED (an exchange out of stock is refunded instead); a repeat of a
    step that took effect records nothing. `refund_amount` is fixed at the request: the
    lines' share of what was paid (`values.refund_share`). Whether the units fit the order
    is the shipment's to guard (`Shipment.claim_return`), in the same append.
    """

    TOPIC = "shop.return"

    class Requested(Created):
        TOPIC = "shop.return.requested"
        return_id: str
        order_id: str
        customer_id: str
        kind: str
        lines: list[dict[str, Any]]  # [{sku, quantity, unit_price}]
        reason: str
        refund_amount: int

    class Approved(EventSourced.Event):
        TOPIC = "shop.return.approved"

    class Rejected(EventSourced.Event):
        TOPIC = "shop.return.rejected"
        reason: str

    class Received(EventSourced.Event):
        TOPIC = "shop.return.received"

    class Refunded(EventSourced.Event):
        TOPIC = "shop.return.refunded"
        amount: int

    class Exchanged(EventSourced.Event):
        TOPIC = "shop.return.exchanged"

    @staticmethod
    def create_id(return_id: str) -> str:
        return ids.return_stream(return_id)

    @classmethod
    def request(
        cls,
        return_id: str,
        order_id: str,
        customer_id: str,
        kind: str,
        lines: list[dict[str, Any]],
        reason: str,
        refund_amount: int,
    ) -> Return:
        if kind not in tuple(ReturnKind):
            raise InvalidInput(f"kind must be refund or exchange, got {kind!r}")
        return cls(
            return_id=check_uuid(return_id, "return_id"),
            order_id=check_uuid(order_id, "order_id"),
            customer_id=customer_id,
            kind=kind,
            lines=[dict(line) for line in lines],
            reason=check_text(reason, "reason", max_len=500),
            refund_amount=check_int(refund_amount, "refund_amount", low=0, high=10**12),
        )

    @event(Requested)
    def __init__(
        self,
        return_id: str,
        order_id: str,
        customer_id: str,
        kind: str,
        lines: list[dict[str, Any]],
        reason: str,
        refund_amount: int,
    ) -> None:
        self.return_id = return_id
        self.order_id = order_id
        self.customer_id = customer_id
        self.kind = kind
        self.lines = [dict(line) for line in lines]
        self.reason = reason
        self.refund_amount = refund_amount
        self.status = R.REQUESTED
        self.refunded: int | None = None

    @property
    def quantities(self) -> dict[str, int]:
        return {line["sku"]: line["quantity"] for line in self.lines}

    def approve(self) -> None:
        if self.status != R.APPROVED:
            self._require(R.REQUESTED)
            self._approved()

    def reject(self, reason: str) -> None:
        if self.status != R.REJECTED:
            self._require(R.REQUESTED)
            self._rejected(check_text(reason, "reason", max_len=500))

    def receive(self) -> None:
        if self.status == R.REQUESTED:
            raise ReturnNotApproved(f"return {self.return_id} is not approved")
        if self.status == R.APPROVED:
            self._received()
        elif self.status == R.REJECTED:
            raise ReturnAlreadyDecided(f"return {self.return_id} was rejected")

    def mark_refunded(self, amount: int) -> None:
        check_int(amount, "amount", low=0, high=10**12)
        if self.status == R.RECEIVED:
            self._refunded(amount)

    def mark_exchanged(self) -> None:
        if self.status == R.RECEIVED and self.kind == ReturnKind.EXCHANGE:
            self._exchanged()

    def _require(self, status: ReturnStatus) -> None:
        if self.status != status:
            raise ReturnAlreadyDecided(f"return {self.return_id} is {self.status}")

    @event(Approved)
    def _approved(self) -> None:
        self.status = R.APPROVED

    @event(Rejected)
    def _rejected(self, reason: str) -> None:
        self.status = R.REJECTED

    @event(Received)
    def _received(self) -> None:
        self.status = R.RECEIVED

    @event(Refunded)
    def _refunded(self, amount: int) -> None:
        self.status, self.refunded = R.REFUNDED, amount

    @event(Exchanged)
    def _exchanged(self) -> None:
        self.status = R.EXCHANGED
