"""What the fulfilment manager may decide to do, each with the key it is done under.

Commands (`Open`, `Void`, `Restock`, `Exchange`) change our own streams and are
idempotent: run again after a crash they change nothing. Effects (`AskLabel`,
`VoidLabel`, `HandOver`, `Refund`) reach the carrier or the payment provider: each is
recorded as asked before it leaves, and one found asked but not done after a restart
asks the outside world what became of it before sending anything again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OpenParcel:
    """Open a shipment: the order's own (`shipment_id` = order id) or an exchange's."""

    shipment_id: str
    lines: tuple[tuple[str, int], ...]
    effect = False

    @property
    def key(self) -> str:
        return f"open:{self.shipment_id}"


@dataclass(frozen=True)
class AskLabel:
    """`reference` is what the carrier knows the label by: the shipment id, with the
    attempt after an address fix (a refused label is the carrier's final answer for it)."""

    shipment_id: str
    reference: str
    effect = True

    @property
    def key(self) -> str:
        return f"label:{self.reference}"


@dataclass(frozen=True)
class VoidLabel:
    shipment_id: str
    reference: str
    effect = True

    @property
    def key(self) -> str:
        return f"void:{self.reference}"


@dataclass(frozen=True)
class HandOver:
    shipment_id: str
    reference: str
    effect = True

    @property
    def key(self) -> str:
        return f"handover:{self.shipment_id}"


@dataclass(frozen=True)
class Refund:
    """Give back `amount` of the capture: a return's share, or a lost parcel's worth.
    `refund_id` is the provider's idempotency key and the payment's refund id."""

    refund_id: str
    amount: int
    reason: str
    return_id: str | None
    effect = True

    @property
    def key(self) -> str:
        return f"refund:{self.refund_id}"


@dataclass(frozen=True)
class Restock:
    return_id: str
    lines: tuple[tuple[str, int], ...]
    effect = False

    @property
    def key(self) -> str:
        return f"restock:{self.return_id}"


@dataclass(frozen=True)
class Exchange:
    """Reserve the returned skus again for the return; done as `reserved` (then shipped
    under the return's id) or `unavailable` (then refunded instead)."""

    return_id: str
    lines: tuple[tuple[str, int], ...]
    effect = False

    @property
    def key(self) -> str:
        return f"exchange:{self.return_id}"


Step = OpenParcel | AskLabel | VoidLabel | HandOver | Refund | Restock | Exchange
