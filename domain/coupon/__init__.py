"""Discount codes: one Coupon aggregate per code."""

from domain.coupon.aggregate import Coupon
from domain.coupon.commands import DefineCoupon, DisableCoupon, RedeemCoupon, RevertRedemption
from domain.coupon.errors import CouponAlreadyDefined, CouponNotApplicable, UnknownCoupon
from domain.coupon.values import CouponKind, RejectionReason

__all__ = [
    "Coupon",
    "CouponAlreadyDefined",
    "CouponKind",
    "CouponNotApplicable",
    "DefineCoupon",
    "DisableCoupon",
    "RedeemCoupon",
    "RejectionReason",
    "RevertRedemption",
    "UnknownCoupon",
]
