"""Coupon handlers: define, redeem for an order, revert a redemption, disable.

The commands are domain vocabulary (`domain/coupon/commands.py`); here they meet the store."""

from __future__ import annotations

from commands.handling import accept, check_version, load, unchanged
from commands.ports import Clock, EventStore
from commands.results import Accepted
from domain.coupon import (
    Coupon,
    CouponAlreadyDefined,
    DefineCoupon,
    DisableCoupon,
    RedeemCoupon,
    RevertRedemption,
    UnknownCoupon,
)
from domain.shared.ids import coupon_stream


def define_coupon(cmd: DefineCoupon, store: EventStore) -> Accepted:
    """The code is the definition's key: the same rules again are a repeat (version 0, the
    definition's), other rules a refusal."""
    coupon = Coupon.define(
        cmd.code,
        cmd.kind,
        cmd.value,
        cmd.currency,
        cmd.min_order_total,
        cmd.max_redemptions,
        cmd.per_customer_limit,
        cmd.valid_from,
        cmd.valid_until,
    )
    existing: Coupon | None = store.find(coupon.id)
    if existing is None:
        return accept(store, coupon)
    if existing.rules != coupon.rules:
        raise CouponAlreadyDefined(f"coupon {cmd.code} is already defined")
    return unchanged(existing.id, Coupon.INITIAL_VERSION)


def redeem_coupon(cmd: RedeemCoupon, store: EventStore, clock: Clock) -> Accepted:
    coupon: Coupon = load(store, coupon_stream(cmd.code), UnknownCoupon)
    coupon.redeem(cmd.order_id, cmd.customer_id, cmd.order_total, clock())
    return accept(store, coupon)


def revert_redemption(cmd: RevertRedemption, store: EventStore) -> Accepted:
    coupon: Coupon = load(store, coupon_stream(cmd.code), UnknownCoupon)
    coupon.revert(cmd.order_id)
    return accept(store, coupon)


def disable_coupon(cmd: DisableCoupon, store: EventStore) -> Accepted:
    coupon: Coupon = load(store, coupon_stream(cmd.code), UnknownCoupon)
    if coupon.is_disabled:  # a repeat answers as the first time, whatever If-Match says
        return unchanged(coupon.id, coupon.disabled_version)
    check_version(coupon, cmd.expected_version)
    coupon.disable()
    return accept(store, coupon)
