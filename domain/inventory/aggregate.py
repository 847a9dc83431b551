"""The InventoryItem aggregate: stock of one sku and the orders holding some of it."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.inventory.errors import InsufficientStock
from domain.inventory.requests import applied_version, ledger_of, without_request_id
from domain.shared.base import Created, EventSourced
from domain.shared.checks import check_int, check_text, check_uuid
from domain.shared.ids import check_sku, inventory_stream

MAX_QUANTITY = 1_000_000


class InventoryItem(EventSourced):
    """Stream `inventory-<sku>`.

    Invariants: available = on_hand - reserved, never below 0; one reservation per order,
    so a repeated reserve, release, commit or return is a no-op. An order that was refused
    or whose stock was released or returned is finished here: a late reserve for it is a
    no-op too. Committing takes the stock off `on_hand` (it is sold); returning puts it back.
    Receipts and adjustments are not idempotent by nature, so one may carry a request id:
    a repeat of that id with the same values is a no-op, with other values a refusal.
    """

    TOPIC = "shop.inventory"

    class TrackingStarted(Created):
        TOPIC = "shop.inventory.tracking_started"
        sku: str

    class StockReceived(EventSourced.Event):
        TOPIC = "shop.inventory.stock_received"
        quantity: int
        request_id: str | None = None  # None: sent without a key
        class_version = 2  # v1, stored before keyed requests, has no request_id
        upcast_v1_v2 = staticmethod(without_request_id)

    class StockAdjusted(EventSourced.Event):
        TOPIC = "shop.inventory.stock_adjusted"
        delta: int
        reason: str
        request_id: str | None = None
        class_version = 2
        upcast_v1_v2 = staticmethod(without_request_id)

    class StockReserved(EventSourced.Event):
        TOPIC = "shop.inventory.stock_reserved"
        order_id: str
        quantity: int

    class ReservationRejected(EventSourced.Event):
        TOPIC = "shop.inventory.reservation_rejected"
        order_id: str
        requested: int
        available: int

    class ReservationReleased(EventSourced.Event):
        TOPIC = "shop.inventory.reservation_released"
        order_id: str
        quantity: int

    class ReservationCommitted(EventSourced.Event):
        TOPIC = "shop.inventory.reservation_committed"
        order_id: str
        quantity: int

    class StockReturned(EventSourced.Event):
        TOPIC = "shop.inventory.stock_returned"
        order_id: str
        quantity: int

    class ReturnRestocked(EventSourced.Event):
        """Units a customer sent back (a return) are on the shelf again."""

        TOPIC = "shop.inventory.return_restocked"
        return_id: str
        quantity: int

    @staticmethod
    def create_id(sku: str) -> str:
        return inventory_stream(sku)

    @classmethod
    def start_tracking(cls, sku: str) -> InventoryItem:
        return cls(sku=check_sku(sku))

    @event(TrackingStarted)
    def __init__(self, sku: str) -> None:
        self.sku = sku
        self.on_hand = 0
        self.reserved = 0
        self.reservations: dict[str, int] = {}  # order id -> quantity held
        self.committed: dict[str, int] = {}  # order id -> quantity sold
        self.finished: dict[str, str] = {}  # order id -> "rejected" | "released" | "returned"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def receive(self, quantity: int, request_id: str | None = None) -> None:
        check_int(quantity, "quantity", low=1, high=MAX_QUANTITY)
        if self.applied_version(request_id, quantity) is None:
            self._stock_received(quantity, request_id)

    def adjust(self, delta: int, reason: str, request_id: str | None = None) -> None:
        check_int(delta, "delta", low=-MAX_QUANTITY, high=MAX_QUANTITY)
        check_text(reason, "reason", max_len=200)
        if delta == 0 or self.applied_version(request_id, [delta, reason]) is not None:
            return
        if self.on_hand + delta < self.reserved:
            raise InsufficientStock(
                f"{self.sku}: on hand {self.on_hand} {delta:+d} would fall below "
                f"reserved {self.reserved}"
            )
        self._stock_adjusted(delta, reason, request_id)

    def reserve(self, order_id: str, quantity: int) -> None:
        order_id = check_uuid(order_id, "order_id")
        check_int(quantity, "quantity", low=1, high=MAX_QUANTITY)
        if self.knows(order_id):
            return
        if quantity > self.available:
            self._reservation_rejected(order_id, quantity, self.available)
        else:
            self._stock_reserved(order_id, quantity)

    def release(self, order_id: str) -> None:
        if order_id in self.reservations:
            self._reservation_released(order_id, self.reservations[order_id])

    def commit(self, order_id: str) -> None:
        if order_id in self.reservations:
            self._reservation_committed(order_id, self.reservations[order_id])

    def return_stock(self, order_id: str) -> None:
        if order_id in self.committed:
            self._stock_returned(order_id, self.committed[order_id])

    def restock_return(self, return_id: str, quantity: int) -> None:
        """Put a return's units back on hand, once per return (`finished` remembers it
        under a key no order id can take, so the exchange's reservation, which is made
        under the return's id, is not mistaken for it)."""
        check_int(quantity, "quantity", low=1, high=MAX_QUANTITY)
        if f"return:{check_uuid(return_id, 'return_id')}" not in self.finished:
            self._return_restocked(return_id, quantity)

    def applied_version(self, request_id: str | None, values: Any) -> int | None:
        """See `domain.inventory.requests.applied_version`."""
        return applied_version(ledger_of(self), request_id, values)

    def knows(self, order_id: str) -> bool:
        """Whether this order has already asked for stock here (whatever came of it)."""
        ledgers = (self.reservations, self.committed, self.finished)
        return any(order_id in ledger for ledger in ledgers)

    @event(StockReceived)
    def _stock_received(self, quantity: int, request_id: str | None = None) -> None:
        self.on_hand += quantity
        self._remember(request_id, quantity)

    @event(StockAdjusted)
    def _stock_adjusted(self, delta: int, reason: str, request_id: str | None = None) -> None:
        self.on_hand += delta
        self._remember(request_id, [delta, reason])

    def _remember(self, request_id: str | None, values: Any) -> None:
        if request_id is not None:  # runs before the library moves `version` on: hence + 1
            ledger_of(self)[request_id] = [values, self.version + 1]

    @event(StockReserved)
    def _stock_reserved(self, order_id: str, quantity: int) -> None:
        self.reservations[order_id] = quantity
        self.reserved += quantity

    @event(ReservationRejected)
    def _reservation_rejected(self, order_id: str, requested: int, available: int) -> None:
        self.finished[order_id] = "rejected"

    @event(ReservationReleased)
    def _reservation_released(self, order_id: str, quantity: int) -> None:
        del self.reservations[order_id]
        self.reserved -= quantity
        self.finished[order_id] = "released"

    @event(ReservationCommitted)
    def _reservation_committed(self, order_id: str, quantity: int) -> None:
        del self.reservations[order_id]
        self.reserved -= quantity
        self.on_hand -= quantity
        self.committed[order_id] = quantity

    @event(ReturnRestocked)
    def _return_restocked(self, return_id: str, quantity: int) -> None:
        self.on_hand += quantity
        self.finished[f"return:{return_id}"] = "restocked"

    @event(StockReturned)
    def _stock_returned(self, order_id: str, quantity: int) -> None:
        del self.committed[order_id]
        self.on_hand += quantity
        self.finished[order_id] = "returned"
