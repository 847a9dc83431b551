"""Deterministic stream ids: the same business key always names the same stream.

A repeated command therefore lands on the stream it created the first time, which is
what makes retries and duplicate deliveries harmless.
"""

from __future__ import annotations

import re
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.shared.base import InvalidInput

_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def check_sku(sku: str) -> str:
    if not isinstance(sku, str) or not _SKU.match(sku):
        raise InvalidInput(f"sku must be 1-64 of A-Z a-z 0-9 _ . - , got {sku!r}")
    return sku


def check_coupon_code(code: str) -> str:
    if not isinstance(code, str) or not _CODE.match(code):
        raise InvalidInput(f"coupon code must be 1-32 of A-Z a-z 0-9 _ - , got {code!r}")
    return code


def product_id(sku: str) -> str:
    return f"product-{check_sku(sku)}"


def inventory_id(sku: str) -> str:
    return f"inventory-{check_sku(sku)}"


def coupon_id(code: str) -> str:
    return f"coupon-{check_coupon_code(code)}"


def new_order_uuid(customer_id: str, idempotency_key: str) -> str:
    """The order's uuid, derived from who placed it and the key they sent."""
    return str(uuid5(NAMESPACE_URL, f"/customers/{customer_id}/orders/{idempotency_key}"))


def check_order_uuid(order_uuid: str) -> str:
    try:
        return str(UUID(order_uuid))
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput(f"order id must be a UUID, got {order_uuid!r}") from None


def order_id(order_uuid: str) -> str:
    return f"order-{check_order_uuid(order_uuid)}"


def payment_id(order_uuid: str) -> str:
    return f"payment-{check_order_uuid(order_uuid)}"


def checkout_id(order_uuid: str) -> str:
    return f"checkout-{check_order_uuid(order_uuid)}"
