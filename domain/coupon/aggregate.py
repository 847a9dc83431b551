"""The Coupon aggregate: a discount code, its rules and the orders that used it."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import event

from domain.coupon.values import CouponKind, RejectionReason
from domain.shared.base import Created, EventSourced, InvalidInput
from domain.shared.checks import check_aware, check_int, check_optional_int, check_text, check_uuid
from domain.shared.ids import check_coupon_code, coupon_stream
from domain.shared.money import check_currency

MAX_AMOUNT = 10**12
RULES = (
    "code",
    "kind",
    "value",
    "currency",
    "min_order_total",
    "max_redemptions",
    "per_customer_limit",
    "valid_from",
    "valid_until",
)


class Coupon(EventSourced):
    """Stream `coupon-<code>`.

    Invariants: percent value 1..100, fixed value > 0; at most one redemption per order;
    a redemption needs the coupon enabled, `valid_from <= now < valid_until`, the order
    total at least `min_order_total`, and fewer ACTIVE redemptions than the total and
    per-customer limits (a reverted redemption frees its slot). Refusals are recorded as
    `RedemptionRejected`. An order rejected or reverted here is finished: redeeming it
    again is a no-op.
    """

    TOPIC = "shop.coupon"

    class Defined(Created):
        TOPIC = "shop.coupon.defined"
        code: str
        kind: str
        value: int
        currency: str
        min_order_total: int
        max_redemptions: int | None
        per_customer_limit: int | None
        valid_from: datetime | None
        valid_until: datetime | None

    class Redeemed(EventSourced.Event):
        TOPIC = "shop.coupon.redeemed"
        order_id: str
        customer_id: str
        order_total: int

    class RedemptionRejected(EventSourced.Event):
        TOPIC = "shop.coupon.redemption_rejected"
        order_id: str
        customer_id: str
        reason: str

    class RedemptionReverted(EventSourced.Event):
        TOPIC = "shop.coupon.redemption_reverted"
        order_id: str

    class Disabled(EventSourced.Event):
        TOPIC = "shop.coupon.disabled"

    @staticmethod
    def create_id(code: str) -> str:
        return coupon_stream(code)

    @classmethod
    def define(
        cls,
        code: str,
        kind: str,
        value: int,
        currency: str = "",
        min_order_total: int = 0,
        max_redemptions: int | None = None,
        per_customer_limit: int | None = None,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> Coupon:
        if kind not in tuple(CouponKind):
            raise InvalidInput(f"kind must be 'percent' or 'fixed', got {kind!r}")
        high = 100 if kind == CouponKind.PERCENT else MAX_AMOUNT
        check_int(value, "value", low=1, high=high)
        if currency != "":
            check_currency(currency)
        check_int(min_order_total, "min_order_total", low=0, high=MAX_AMOUNT)
        check_optional_int(max_redemptions, "max_redemptions", low=1, high=10**9)
        check_optional_int(per_customer_limit, "per_customer_limit", low=1, high=10**9)
        check_aware(valid_from, "valid_from")
        check_aware(valid_until, "valid_until")
        if valid_from and valid_until and valid_from >= valid_until:
            raise InvalidInput("valid_from must be before valid_until")
        return cls(
            code=check_coupon_code(code),
            kind=str(kind),
            value=value,
            currency=currency,
            min_order_total=min_order_total,
            max_redemptions=max_redemptions,
            per_customer_limit=per_customer_limit,
            valid_from=valid_from,
            valid_until=valid_until,
        )

    @event(Defined)
    def __init__(
        self,
        code: str,
        kind: str,
        value: int,
        currency: str,
        min_order_total: int,
        max_redemptions: int | None,
        per_customer_limit: int | None,
        valid_from: datetime | None,
        valid_until: datetime | None,
    ) -> None:
        self.code = code
        self.kind = kind
        self.value = value
        self.currency = currency
        self.min_order_total = min_order_total
        self.max_redemptions = max_redemptions
        self.per_customer_limit = per_customer_limit
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.is_disabled = False
        self.redemptions: dict[str, str] = {}  # active: order id -> customer id
        self.finished: dict[str, str] = {}  # order id -> "rejected" | "reverted"

    def discount_for(self, subtotal: int) -> int:
        """The discount on `subtotal`: percent rounds down, fixed never exceeds it."""
        if self.kind == CouponKind.PERCENT:
            return subtotal * self.value // 100
        return min(self.value, subtotal)

    def refusal_at_placement(
        self, order_total: int, now: datetime, currency: str = ""
    ) -> RejectionReason | None:
        """Why an order of `order_total` may not use this coupon now (limits not counted)."""
        if self.kind == CouponKind.FIXED and self.currency and currency not in ("", self.currency):
            return RejectionReason.CURRENCY_MISMATCH
        if self.is_disabled:
            return RejectionReason.DISABLED
        if self.valid_from is not None and now < self.valid_from:
            return RejectionReason.NOT_YET_VALID
        if self.valid_until is not None and now >= self.valid_until:
            return RejectionReason.EXPIRED
        if order_total < self.min_order_total:
            return RejectionReason.BELOW_MINIMUM
        return None

    def refusal(self, customer_id: str, order_total: int, now: datetime) -> RejectionReason | None:
        """Why this customer's order may not redeem the coupon now, or None if it may."""
        reason = self.refusal_at_placement(order_total, now)
        if reason is not None:
            return reason
        if self.max_redemptions is not None and len(self.redemptions) >= self.max_redemptions:
            return RejectionReason.LIMIT_REACHED
        used = sum(1 for customer in self.redemptions.values() if customer == customer_id)
        if self.per_customer_limit is not None and used >= self.per_customer_limit:
            return RejectionReason.CUSTOMER_LIMIT_REACHED
        return None

    def redeem(self, order_id: str, customer_id: str, order_total: int, now: datetime) -> None:
        order_id = check_uuid(order_id, "order_id")
        check_text(customer_id, "customer_id")
        check_int(order_total, "order_total", low=0, high=MAX_AMOUNT)
        if order_id in self.redemptions or order_id in self.finished:
            return
        reason = self.refusal(customer_id, order_total, now)
        if reason is None:
            self._redeemed(order_id, customer_id, order_total)
        else:
            self._redemption_rejected(order_id, customer_id, str(reason))

    def revert(self, order_id: str) -> None:
        if order_id in self.redemptions:
            self._redemption_reverted(order_id)

    def disable(self) -> None:
        if not self.is_disabled:
            self._disabled()

    @property
    def rules(self) -> dict[str, object]:
        """What the definition recorded; never changes, so a repeat is compared with it."""
        return {name: getattr(self, name) for name in RULES}

    @property
    def disabled_version(self) -> int:
        """The version `Disabled` gave the stream (or, in older snapshots, the current one)."""
        return int(self.__dict__.get("disabled_at", self.version))

    @event(Redeemed)
    def _redeemed(self, order_id: str, customer_id: str, order_total: int) -> None:
        self.redemptions[order_id] = customer_id

    @event(RedemptionRejected)
    def _redemption_rejected(self, order_id: str, customer_id: str, reason: str) -> None:
        self.finished[order_id] = "rejected"

    @event(RedemptionReverted)
    def _redemption_reverted(self, order_id: str) -> None:
        del self.redemptions[order_id]
        self.finished[order_id] = "reverted"

    @event(Disabled)
    def _disabled(self) -> None:
        self.is_disabled = True
        self.disabled_at = self.version + 1  # the library moves `version` on after this
