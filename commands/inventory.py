"""Stock handlers: receive and adjust stock; reserve, release, commit and return it per order.

The commands are domain vocabulary (`domain/inventory/commands.py`); here they meet the store."""

from __future__ import annotations

from collections.abc import Callable

from commands.handling import accept, check_version, load, unchanged
from commands.ports import EventStore
from commands.results import Accepted
from domain.inventory import (
    AdjustStock,
    CommitReservation,
    InventoryItem,
    ReceiveStock,
    ReleaseReservation,
    ReserveStock,
    RestockReturn,
    ReturnStock,
    UnknownInventoryItem,
)
from domain.product import UnknownProduct
from domain.shared.ids import inventory_stream, product_stream


def _item_or_new(store: EventStore, sku: str) -> InventoryItem:
    item: InventoryItem | None = store.find(inventory_stream(sku))
    return item if item is not None else InventoryItem.start_tracking(sku)


def receive_stock(cmd: ReceiveStock, store: EventStore) -> Accepted:
    _require_product(store, cmd.sku)
    item = _item_or_new(store, cmd.sku)  # the first receipt starts tracking the sku
    # A repeat answers as the first time, even though that write moved the version on.
    if (first := item.applied_version(cmd.request_id, cmd.quantity)) is not None:
        return unchanged(item.id, first)
    check_version(item, cmd.expected_version)
    item.receive(cmd.quantity, cmd.request_id)
    return accept(store, item)


def adjust_stock(cmd: AdjustStock, store: EventStore) -> Accepted:
    _require_product(store, cmd.sku)
    item: InventoryItem = load(store, inventory_stream(cmd.sku), UnknownInventoryItem)
    values = [cmd.delta, cmd.reason]
    if (first := item.applied_version(cmd.request_id, values)) is not None:
        return unchanged(item.id, first)
    check_version(item, cmd.expected_version)
    item.adjust(cmd.delta, cmd.reason, cmd.request_id)
    return accept(store, item)


def _require_product(store: EventStore, sku: str) -> None:
    """Stock is counted only for a registered product. Products are never deleted, so
    checking first cannot race with a removal."""
    if store.find(product_stream(sku)) is None:
        raise UnknownProduct(f"product {sku} is not registered")


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


def restock_return(cmd: RestockReturn, store: EventStore) -> Accepted:
    return _settle(store, cmd.sku, lambda item: item.restock_return(cmd.return_id, cmd.quantity))


def _settle(store: EventStore, sku: str, settle: Callable[[InventoryItem], None]) -> Accepted:
    """Compensations are idempotent: an untracked sku holds nothing, so there is nothing to do."""
    stream_id = inventory_stream(sku)
    item: InventoryItem | None = store.find(stream_id)
    if item is None:
        return unchanged(stream_id, -1)
    settle(item)
    return accept(store, item)
