"""Deterministic stream ids: the same business key always names the same stream.

A repeated command therefore lands on the stream it created the first time, which is
what makes retries and duplicate deliveries harmless.
"""

from __future__ import annotations

import re
from urllib.parse import quote
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.shared.base import InvalidInput

_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
# OpenID Connect's `sub` is ASCII (at most 255); we take up to 200 visible characters (the
# read models' column) and refuse spaces and controls, so every customer id can be written
# in a URL path, a log line and a header unchanged.
_CUSTOMER = re.compile(r"^[!-~]{1,200}$")
CUSTOMER_ID_RULE = "1-200 visible ASCII characters (no spaces)"


def check_customer_id(customer_id: str) -> str:
    if not isinstance(customer_id, str) or not _CUSTOMER.fullmatch(customer_id):
        raise InvalidInput(f"customer id must be {CUSTOMER_ID_RULE}")
    return customer_id


def check_sku(sku: str) -> str:
    if not isinstance(sku, str) or not _SKU.fullmatch(sku):
        raise InvalidInput(f"sku must be 1-64 of A-Z a-z 0-9 _ . - , got {sku!r}")
    return sku


def check_coupon_code(code: str) -> str:
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise InvalidInput(f"coupon code must be 1-32 of A-Z a-z 0-9 _ - , got {code!r}")
    return code


def product_stream(sku: str) -> str:
    return f"product-{check_sku(sku)}"


def inventory_stream(sku: str) -> str:
    return f"inventory-{check_sku(sku)}"


def coupon_stream(code: str) -> str:
    return f"coupon-{check_coupon_code(code)}"


def new_order_uuid(customer_id: str, idempotency_key: str) -> str:
    """The order's uuid, derived from who placed it and the key they sent.

    Both parts are percent-encoded (`/` and `%` included), so two different pairs never
    name the same order. For the ids and keys most clients use (letters, digits, `-_.~`)
    encoding changes nothing, and the uuid is the one `legacy_order_uuid` gives.
    """
    path = f"/customers/{quote(customer_id, safe='')}/orders/{quote(idempotency_key, safe='')}"
    return str(uuid5(NAMESPACE_URL, path))


def legacy_order_uuid(customer_id: str, idempotency_key: str) -> str:
    """The derivation used before the parts were encoded: `("a/orders/b", "k")` and
    `("a", "b/orders/k")` collide under it. Kept only to find orders placed with it."""
    return str(uuid5(NAMESPACE_URL, f"/customers/{customer_id}/orders/{idempotency_key}"))


def check_order_uuid(order_uuid: str) -> str:
    try:
        return str(UUID(order_uuid))
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput(f"order id must be a UUID, got {order_uuid!r}") from None


def order_stream(order_uuid: str) -> str:
    return f"order-{check_order_uuid(order_uuid)}"


def payment_stream(order_uuid: str) -> str:
    return f"payment-{check_order_uuid(order_uuid)}"


def checkout_stream(order_uuid: str) -> str:
    return f"checkout-{check_order_uuid(order_uuid)}"


def shipment_stream(shipment_uuid: str) -> str:
    """An order's shipment (the order's uuid) or an exchange's (the return's uuid)."""
    return f"shipment-{check_order_uuid(shipment_uuid)}"


def parcel_stream(tracking_number: str) -> str:
    return f"parcel-{tracking_number}"


def return_stream(return_uuid: str) -> str:
    return f"return-{check_order_uuid(return_uuid)}"


def fulfilment_stream(order_uuid: str) -> str:
    return f"fulfilment-{check_order_uuid(order_uuid)}"


def new_return_uuid(order_uuid: str, idempotency_key: str) -> str:
    """A return's uuid, from its order and the key the customer sent (retries find it)."""
    path = f"/orders/{order_uuid}/returns/{quote(idempotency_key, safe='')}"
    return str(uuid5(NAMESPACE_URL, path))
