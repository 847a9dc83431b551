"""Which stored events a saga partition needs, told before they are decoded.

Every partition reads the whole log, but decoding an event costs more than everything
else a partition does with one that is not its own: with four partitions (or replicas)
each decoding all of them, the saga spent most of its time decoding other partitions'
events. The stream id names the order for order, payment and checkout events, and the
sku or coupon for stock and coupon events; the order a stock or coupon outcome is about,
and the sku or code a `StepAsked` is for, are read off the stored JSON without decoding
it. When that cannot be done for sure (an unexpected shape, an escaped character), the
event is kept: keeping one too many costs a decode, skipping one would lose it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from eventsourcing.persistence import Notification

from commands.process_managers.parts import Partition
from domain.checkout import Checkout

ORDER_STREAMS = ("order", "payment", "checkout")
ASKED = Checkout.StepAsked.TOPIC
COUPON_STEPS = (b'"command":"RedeemCoupon"', b'"command":"RevertRedemption"')
FIELD = {
    name: re.compile(rb'"' + name + rb'":"([^"\\]*)"') for name in (b"order_id", b"sku", b"code")
}


def needed_by(partition: Partition) -> Callable[[Notification], bool]:
    """`keep(notification)` for `partition` (holding every partition: everything)."""
    if partition.whole:
        return lambda _: True

    def keep(notification: Notification) -> bool:
        category, _, key = str(notification.originator_id).partition("-")
        if notification.topic == ASKED:
            return _asked_of(partition, notification.state)
        if category in ORDER_STREAMS:
            return partition.owns(key)
        if category == "inventory" and partition.owns_sku(key):
            return True  # its own sku's stream: moves by others drop the held copy
        if category == "coupon" and partition.owns_coupon(key):
            return True
        order_id = _field(notification.state, b"order_id")
        return order_id is None or partition.owns(order_id)

    return keep


def _asked_of(partition: Partition, state: bytes) -> bool:
    if any(marker in state for marker in COUPON_STEPS):
        code = _field(state, b"code")
        return code is None or partition.owns_coupon(code)
    sku = _field(state, b"sku")
    return sku is None or partition.owns_sku(sku)


def _field(state: bytes, name: bytes) -> str | None:
    """The first string value of `name` in the stored JSON, if it has no escapes."""
    found = FIELD[name].search(state)
    return None if found is None else found.group(1).decode()


def order_in(notification: Notification) -> str | None:
    """The order a stored event is about, told without decoding it (None: not known).

    A malformed event is parked with its order, so the order's id has to come from what
    can be read of it: the stream id of order, payment and checkout events, else the
    `order_id` in the stored JSON.
    """
    category, _, key = str(notification.originator_id).partition("-")
    if category in ORDER_STREAMS:
        return key
    return _field(notification.state, b"order_id")
