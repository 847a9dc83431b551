"""Order handlers: place an order priced from the catalog, confirm it, cancel it.

The commands are domain vocabulary (`domain/order/commands.py`); here they meet the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from commands.handling import accept, load, look_up, unchanged
from commands.ports import Clock, EventStore
from commands.results import Accepted
from commands.shipment import voided_for_cancellation
from domain.coupon import Coupon, CouponNotApplicable, UnknownCoupon
from domain.order import (
    CancelOrder,
    ConfirmOrder,
    Order,
    OrderStatus,
    PlaceOrder,
    PricedLine,
    RequestCancellation,
    RequestedLine,
    UnknownOrder,
    merge_quantities,
)
from domain.product import Product, ProductDiscontinued, UnknownProduct
from domain.shared import ids
from domain.shared.base import IdempotencyKeyReused, InvalidInput
from domain.shared.checks import check_text


def place_order(cmd: PlaceOrder, store: EventStore, clock: Clock) -> Accepted:
    """Place the order the customer's key names; the same key again answers with that order
    (the same request) or refuses (another request under a used key)."""
    customer = ids.check_customer_id(cmd.customer_id)
    key = check_text(cmd.idempotency_key, "idempotency_key", max_len=100)
    order_uuid = ids.new_order_uuid(customer, key)
    placed = _placed_before(store, customer, key, order_uuid)
    if placed is not None:
        if placed.customer_id != customer or not _same_request(placed, cmd):
            raise IdempotencyKeyReused("this Idempotency-Key was already used for another order")
        return unchanged(placed.id, placed.version)
    lines = _priced_lines(store, cmd.lines)
    discount = _discount(store, cmd.coupon_code, lines, clock())
    address = None if cmd.shipping_address is None else dict(cmd.shipping_address)
    contact = None if cmd.contact is None else dict(cmd.contact)
    order = Order.place(
        order_uuid,
        cmd.customer_id,
        lines,
        discount,
        cmd.coupon_code,
        cmd.payment_token,
        address,
        contact,
    )
    return accept(store, order)


def _placed_before(store: EventStore, customer: str, key: str, order_uuid: str) -> Order | None:
    """The order this customer placed with this key, under today's id or the old one.

    The old derivation was not injective, so an order found under it counts only when
    this customer owns it; someone else's is no answer to this request.
    """
    placed: Order | None = store.find(ids.order_stream(order_uuid))
    if placed is not None:
        return placed
    legacy_uuid = ids.legacy_order_uuid(customer, key)
    if legacy_uuid == order_uuid:
        return None
    legacy: Order | None = store.find(ids.order_stream(legacy_uuid))
    return legacy if legacy is not None and legacy.customer_id == customer else None


def _same_request(order: Order, cmd: PlaceOrder) -> bool:
    """Whether `order` was placed from this command (its prices are the catalog's)."""
    placed = {line.sku: line.quantity for line in order.order_lines}
    try:
        requested = merge_quantities([_sku_and_quantity(line) for line in cmd.lines])
    except InvalidInput:
        return False
    address = None if cmd.shipping_address is None else dict(cmd.shipping_address)
    return (
        placed == requested
        and order.coupon_code == cmd.coupon_code
        and order.payment_token == cmd.payment_token
        and (order.shipping_address or None) == (address or None)
        and (order.contact or None) == (dict(cmd.contact or {}) or None)
    )


def confirm_order(cmd: ConfirmOrder, store: EventStore) -> Accepted:
    order: Order = load(store, ids.order_stream(cmd.order_id), UnknownOrder)
    order.confirm()
    return accept(store, order)


def cancel_order(cmd: CancelOrder, store: EventStore) -> Accepted:
    order: Order = load(store, ids.order_stream(cmd.order_id), UnknownOrder)
    order.cancel(cmd.reason)
    return accept(store, order)


def request_cancellation(cmd: RequestCancellation, store: EventStore) -> Accepted:
    order: Order = load(store, ids.order_stream(cmd.order_id), UnknownOrder)
    if cmd.owner is not None and order.customer_id != cmd.owner:
        raise UnknownOrder(f"order {cmd.order_id} does not exist")  # never reveal another's
    if order.status == OrderStatus.CANCELLED and order.cancellation_requested_by is not None:
        # A retry that arrives after the checkout carried out the request: what it asked
        # for is done, so it is a repeat (202), not a refusal of an already cancelled order.
        return unchanged(order.id, order.version)
    order.request_cancellation(cmd.requested_by)
    if order.status != OrderStatus.CONFIRMED or not order.pending_events:
        return accept(store, order)
    shipment = voided_for_cancellation(store, order)  # refused once the parcel left
    position = store.save(shipment, order)
    return Accepted(order.id, order.version, position)


def _priced_lines(
    store: EventStore, requested: Sequence[RequestedLine | Mapping[str, Any]]
) -> list[PricedLine]:
    """Each line at the product's current name and price; unknown or discontinued refused."""
    if isinstance(requested, (str, bytes)) or not isinstance(requested, Sequence):
        raise InvalidInput("lines must be a list")
    pairs = [_sku_and_quantity(line) for line in requested]
    priced = []
    for sku, quantity in merge_quantities(pairs).items():
        product: Product = look_up(store, ids.product_stream(sku), UnknownProduct)
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
    coupon: Coupon = look_up(store, ids.coupon_stream(code), UnknownCoupon)
    subtotal, currency = Order.subtotal_of(lines)
    reason = coupon.refusal_at_placement(subtotal, now, currency)
    if reason is not None:
        raise CouponNotApplicable(code, str(reason))
    return coupon.discount_for(subtotal)
