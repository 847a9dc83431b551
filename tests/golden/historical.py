"""Stored shapes no current code writes any more, written out by hand.

Each is what the store recorded while that version was the newest: the transcoder's
compact JSON, fields in declaration order, then `class_version` (only from version 2 on)
and `metadata`. `make_corpus` adds one when the corpus lacks its (topic, version); add a
new one here, with when it was stored, whenever an event class's `class_version` goes up
and the old shape can no longer be recorded by running the shop.
"""

from __future__ import annotations

from tests.golden.corpus import Entry

ORDER = "2676536c-9c3b-5195-9a88-dda57ed9fb6a"

HISTORICAL = [
    # Inventory events as stored before keyed stock requests (65cda6b, 2026-11-30): a
    # receipt and an adjustment had no `request_id` and no `class_version`.
    Entry(
        "shop.inventory.tracking_started",
        "inventory-h-A",
        0,
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-25T09:00:00+00:00"},'
        '"originator_topic":"shop.inventory","sku":"h-A",'
        '"metadata":{"correlation_id":"9b0e5f6e-1c55-4d43-8f3a-0d9f3f1d2a01",'
        '"causation_id":"9b0e5f6e-1c55-4d43-8f3a-0d9f3f1d2a01"}}',
        "current shape; the stream of the v1 receipt and adjustment below",
    ),
    Entry(
        "shop.inventory.stock_received",
        "inventory-h-A",
        1,
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-25T09:00:01+00:00"},'
        '"quantity":10,'
        '"metadata":{"correlation_id":"9b0e5f6e-1c55-4d43-8f3a-0d9f3f1d2a02",'
        '"causation_id":"9b0e5f6e-1c55-4d43-8f3a-0d9f3f1d2a02"}}',
        "v1: stored until 65cda6b (2026-11-30), before receipts carried a request_id",
    ),
    Entry(
        "shop.inventory.stock_adjusted",
        "inventory-h-A",
        2,
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-25T09:00:02+00:00"},'
        '"delta":-2,"reason":"counted short",'
        '"metadata":{"correlation_id":"9b0e5f6e-1c55-4d43-8f3a-0d9f3f1d2a03",'
        '"causation_id":"9b0e5f6e-1c55-4d43-8f3a-0d9f3f1d2a03"}}',
        "v1: stored until 65cda6b (2026-11-30), before adjustments carried a request_id",
    ),
    # An order as stored before orders carried a contact (8477126, 2026-12-01): no
    # `contact` field and no `class_version` key.
    Entry(
        "shop.order.placed",
        f"order-{ORDER}",
        0,
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-30T10:00:00+00:00"},'
        '"originator_topic":"shop.order","order_id":"2676536c-9c3b-5195-9a88-dda57ed9fb6a",'
        '"customer_id":"h-cust-1",'
        '"lines":[{"sku":"h-A","name":"h-A","quantity":2,"unit_price":1500}],'
        '"currency":"KRW","subtotal":3000,"discount":0,"total":3000,"coupon_code":null,'
        '"payment_token":"tok_ok","shipping_address":{"name":"Kim","line1":"1 Main St",'
        '"city":"Seoul","postal_code":"04524","country":"KR"},'
        '"metadata":{"correlation_id":"4311a34b-d6e5-4518-a38e-4a32ae206582",'
        '"causation_id":"4311a34b-d6e5-4518-a38e-4a32ae206582"}}',
        "v1: stored until 8477126 (2026-12-01), before orders carried a contact",
    ),
    Entry(
        "shop.order.confirmed",
        f"order-{ORDER}",
        1,
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-30T10:00:01+00:00"},'
        '"metadata":{"correlation_id":"2676536c-9c3b-5195-9a88-dda57ed9fb6a",'
        '"causation_id":"checkout-2676536c-9c3b-5195-9a88-dda57ed9fb6a@8"}}',
        "current shape; confirms the v1 order above",
    ),
]
