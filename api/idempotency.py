"""Is a repeated `POST /orders` the same request as the one that placed the order?

The key, scoped by customer, names the order (`PlaceOrder` derives the id), so a repeat
finds the order already placed. Same content: answer as the first time. Other content:
409, since the client has reused a key for a different purchase.
"""

from __future__ import annotations

from typing import Any

from api.schemas.orders import PlaceOrderBody


def requested_quantities(body: PlaceOrderBody) -> dict[str, int]:
    merged: dict[str, int] = {}
    for line in body.lines:  # a sku named twice is one line, as PlaceOrder merges it
        merged[line.sku] = merged.get(line.sku, 0) + line.quantity
    return merged


def same_request(order: Any, body: PlaceOrderBody) -> bool:
    """Whether the stored order was placed from this body (prices are the catalog's)."""
    placed = {line.sku: line.quantity for line in order.order_lines}
    return (
        placed == requested_quantities(body)
        and order.coupon_code == body.coupon_code
        and order.payment_token == body.payment.token
        and (order.shipping_address or None) == (body.shipping_address or None)
    )
