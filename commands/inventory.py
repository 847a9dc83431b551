"""Stock commands: receive and adjust stock; reserve, release, commit and return it per order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from commands.handling import accept, check_version, load, unchanged
from commands.ports import EventStore
from commands.results import Accepted
from domain.inventory import InventoryItem, UnknownInventoryItem
from domain.shared.ids import inventory_id


@dataclass(frozen=True)
class ReceiveStock:
    """`request_id` makes a retry a no-op; `expected_version` is the caller's If-Match."""

    sku: str
    quantity: int
    request_id: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class AdjustStock:
    sku: str
    delta: int
    reason: str
    request_id: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class ReserveStock:
    sku: str
    order_id: str
    quantity: int


@dataclass(frozen=True)
class ReleaseReservation:
    sku: str
    order_id: str


@dataclass(frozen=True)
class CommitReservation:
    sku: str
    order_id: str


@dataclass(frozen=True)
class ReturnStock:
    sku: str
    order_id: str


def _item_or_new(store: EventStore, sku: str) -> InventoryItem:
    item: InventoryItem | None = store.find(inventory_id(sku))
    return item if item is not None else InventoryItem.start_tracking(sku)


def receive_stock(cmd: ReceiveStock, store: EventStore) -> Accepted:
    item = _item_or_new(store, cmd.sku)  # the first receipt starts tracking the sku
    # A repeat answers as the first time, even though that write moved the version on.
    if (first := item.applied_version(cmd.request_id, cmd.quantity)) is not None:
        return unchanged(item.id, first)
    check_version(item, cmd.expected_version)
    item.receive(cmd.quantity, cmd.request_id)
    return accept(store, item)


def adjust_stock(cmd: AdjustStock, store: EventStore) -> Accepted:
    item: InventoryItem = load(store, inventory_id(cmd.sku), UnknownInventoryItem)
    values = [cmd.delta, cmd.reason]
    if (first := item.applied_version(cmd.request_id, values)) is not None:
        return unchanged(item.id, first)
    check_version(item, cmd.expected_version)
    item.adjust(cmd.delta, cmd.reason, cmd.request_id)
    return accept(store, item)


def reserve_stock(cmd: ReserveStock, store: EventStore) -> Accepted:
    # A sku never received has nothing available: the rejection is still a recorded fact.
    item = _item_or_new(store, cmd.sku)
    item.reserve(cmd.order_id, cmd.quantity)
    return accept(store, item)


def release_reservation(cmd: ReleaseReservation, store: EventStore) -> Accepted:
    return _settle(store, cmd.sku, lambda item: item.release(cmd.order_id))


def commit_reservation(cmd: CommitReservation, store: EventStore) -> Accepted:
    return _settle(store, cmd.sku, lambda item: item.commit(cmd.order_id))


def return_stock(cmd: ReturnStock, store: EventStore) -> Accepted:
    return _settle(store, cmd.sku, lambda item: item.return_stock(cmd.order_id))


def _settle(store: EventStore, sku: str, settle: Callable[[InventoryItem], None]) -> Accepted:
    """Compensations are idempotent: an untracked sku holds nothing, so there is nothing to do."""
    stream_id = inventory_id(sku)
    item: InventoryItem | None = store.find(stream_id)
    if item is None:
        return unchanged(stream_id, -1)
    settle(item)
    return accept(store, item)
