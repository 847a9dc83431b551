"""Order commands: place an order priced from the catalog, confirm it, cancel it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commands.handling import accept, load, unchanged
from commands.ports import Clock, EventStore
from commands.results import Accepted
from domain.coupon import Coupon, CouponNotApplicable, UnknownCoupon
from domain.order import Order, PricedLine, UnknownOrder, merge_quantities
from domain.product import Product, ProductDiscontinued, UnknownProduct
from domain.shared import ids
from domain.shared.base import InvalidInput
from domain.shared.checks import check_text


@dataclass(frozen=True)
class RequestedLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class PlaceOrder:
    """`lines` are `RequestedLine`s or `{"sku", "quantity"}` mappings; a sku given twice
    is one line with the quantities summed."""

    customer_id: str
    idempotency_key: str
    lines: Sequence[RequestedLine | Mapping[str, Any]]
    coupon_code: str | None = None
    payment_token: str = ""
    shipping_address: Mapping[str, str] | None = field(default=None)


@dataclass(frozen=True)
class ConfirmOrder:
    order_id: str


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    reason: str


@dataclass(frozen=True)
class RequestCancellation:
    order_id: str
    requested_by: str


def place_order(cmd: PlaceOrder, store: EventStore, clock: Clock) -> Accepted:
    key = check_text(cmd.idempotency_key, "idempotency_key")
    order_uuid = ids.new_order_uuid(check_text(cmd.customer_id, "customer_id"), key)
    placed: Order | None = store.find(ids.order_id(order_uuid))
    if placed is not None:  # the same key again: the API compares the bodies
        return unchanged(placed.id, placed.version)
    lines = _priced_lines(store, cmd.lines)
    discount = _discount(store, cmd.coupon_code, lines, clock())
    address = None if cmd.shipping_address is None else dict(cmd.shipping_address)
    order = Order.place(
        order_uuid, cmd.customer_id, lines, discount, cmd.coupon_code, cmd.payment_token, address
    )
    return accept(store, order)


def confirm_order(cmd: ConfirmOrder, store: EventStore) -> Accepted:
    order: Order = load(store, ids.order_id(cmd.order_id), UnknownOrder)
    order.confirm()
    return accept(store, order)


def cancel_order(cmd: CancelOrder, store: EventStore) -> Accepted:
    order: Order = load(store, ids.order_id(cmd.order_id), UnknownOrder)
    order.cancel(cmd.reason)
    return accept(store, order)


def request_cancellation(cmd: RequestCancellation, store: EventStore) -> Accepted:
    order: Order = load(store, ids.order_id(cmd.order_id), UnknownOrder)
    order.request_cancellation(cmd.requested_by)
    return accept(store, order)


def _priced_lines(
    store: EventStore, requested: Sequence[RequestedLine | Mapping[str, Any]]
) -> list[PricedLine]:
    """Each line at the product's current name and price; unknown or discontinued refused."""
    if isinstance(requested, (str, bytes)) or not isinstance(requested, Sequence):
        raise InvalidInput("lines must be a list")
    pairs = [_sku_and_quantity(line) for line in requested]
    priced = []
    for sku, quantity in merge_quantities(pairs).items():
        product: Product = load(store, ids.product_id(sku), UnknownProduct)
        if not product.is_orderable:
            raise ProductDiscontinued(f"product {sku} is discontinued")
        priced.append(PricedLine(sku, product.name, quantity, product.price, product.currency))
    return priced


def _sku_and_quantity(line: RequestedLine | Mapping[str, Any]) -> tuple[str, int]:
    if isinstance(line, RequestedLine):
        return line.sku, line.quantity
    if isinstance(line, Mapping):
        return line.get("sku"), line.get("quantity")  # type: ignore[return-value]
    raise InvalidInput("each line needs a sku and a quantity")


def _discount(store: EventStore, code: str | None, lines: list[PricedLine], now: datetime) -> int:
    """The coupon's discount on these lines; refused now if it could never be redeemed."""
    if code is None:
        return 0
    coupon: Coupon = load(store, ids.coupon_id(code), UnknownCoupon)
    subtotal, currency = Order.subtotal_of(lines)
    reason = coupon.refusal_at_placement(subtotal, now, currency)
    if reason is not None:
        raise CouponNotApplicable(code, str(reason))
    return coupon.discount_for(subtotal)
