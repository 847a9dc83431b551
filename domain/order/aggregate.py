"""The Order aggregate: what a customer bought, at which prices, and how it ended."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.order.errors import MixedCurrencies, OrderAlreadyCancelled, OrderAlreadyConfirmed
from domain.order.values import CancelReason, OrderLine, OrderStatus, PricedLine, merge_quantities
from domain.shared import ids
from domain.shared.base import Created, EventSourced, InvalidInput
from domain.shared.checks import check_int, check_str_map, check_text, check_uuid
from domain.shared.money import check_currency
from domain.shared.personal import now_sealable


def _without_contact(state: dict[str, Any]) -> None:
    """Upcast an `Order.Placed` stored before orders carried a contact (v1 -> v2)."""
    state["contact"] = None


class Order(EventSourced):
    """Stream `order-<uuid>`.

    Invariants: 1..50 lines of distinct skus, 1..1000 each, one currency; subtotal is the
    sum of the prices given at placement, total = subtotal - discount >= 0. PENDING goes to
    CONFIRMED or CANCELLED; CONFIRMED goes to CANCELLED only at the customer's request;
    nothing leaves CANCELLED. Repeating a confirm, a cancel or a cancellation request that
    already took effect records nothing.
    """

    TOPIC = "shop.order"

    class Placed(Created):
        TOPIC = "shop.order.placed"
        order_id: str
        customer_id: str
        lines: list[dict[str, Any]]
        currency: str
        subtotal: int
        discount: int
        total: int
        coupon_code: str | None
        payment_token: str
        shipping_address: dict[str, str] | None
        contact: dict[str, str] | None = None  # {"email"}: where customer messages go
        PERSONAL_FIELDS = ("shipping_address", "contact")
        # v1, stored before orders carried a contact, has none; from v3 the personal
        # fields may be sealed under the customer's data key.
        class_version = 3
        upcast_v1_v2 = staticmethod(_without_contact)
        upcast_v2_v3 = staticmethod(now_sealable)

    class Confirmed(EventSourced.Event):
        TOPIC = "shop.order.confirmed"

    class CancellationRequested(EventSourced.Event):
        TOPIC = "shop.order.cancellation_requested"
        requested_by: str

    class Cancelled(EventSourced.Event):
        TOPIC = "shop.order.cancelled"
        reason: str

    @staticmethod
    def create_id(order_id: str) -> str:
        return ids.order_stream(order_id)

    @classmethod
    def place(
        cls,
        order_id: str,
        customer_id: str,
        lines: list[PricedLine],
        discount: int,
        coupon_code: str | None,
        payment_token: str,
        shipping_address: dict[str, str] | None,
        contact: dict[str, str] | None = None,
    ) -> Order:
        """Place an order of `lines` priced from the catalog now; the discount is given."""
        subtotal, currency = cls.subtotal_of(lines)
        check_int(discount, "discount", low=0, high=subtotal)
        return cls(
            order_id=check_uuid(order_id, "order_id"),
            customer_id=ids.check_customer_id(customer_id),
            lines=[line.line().as_dict() for line in lines],
            currency=currency,
            subtotal=subtotal,
            discount=discount,
            total=subtotal - discount,
            coupon_code=None if coupon_code is None else ids.check_coupon_code(coupon_code),
            payment_token=check_text(payment_token, "payment_token"),
            shipping_address=_check_address(shipping_address),
            contact=_check_contact(contact),
        )

    @staticmethod
    def subtotal_of(lines: list[PricedLine]) -> tuple[int, str]:
        """Check the lines (1..50 distinct skus, 1..1000 each, one currency); sum them."""
        merge_quantities([(line.sku, line.quantity) for line in lines])  # count and quantities
        if len({line.sku for line in lines}) != len(lines):
            raise InvalidInput("each sku may appear on one line only")
        currencies = sorted({line.currency for line in lines})
        if len(currencies) != 1:
            raise MixedCurrencies(f"all lines must share one currency, got {currencies}")
        return sum(line.amount for line in lines), check_currency(currencies[0])

    @event(Placed)
    def __init__(
        self,
        order_id: str,
        customer_id: str,
        lines: list[dict[str, Any]],
        currency: str,
        subtotal: int,
        discount: int,
        total: int,
        coupon_code: str | None,
        payment_token: str,
        shipping_address: dict[str, str] | None,
        contact: dict[str, str] | None = None,
    ) -> None:
        self.order_id = order_id
        self.customer_id = customer_id
        self.lines = [dict(line) for line in lines]  # plain data: snapshots stay JSON
        self.currency = currency
        self.subtotal = subtotal
        self.discount = discount
        self.total = total
        self.coupon_code = coupon_code
        self.payment_token = payment_token
        self.shipping_address = shipping_address
        self.contact = contact
        self.status = str(OrderStatus.PENDING)
        self.cancellation_requested_by: str | None = None
        self.cancel_reason: str | None = None

    @property
    def order_lines(self) -> list[OrderLine]:
        return [OrderLine(**line) for line in self.lines]

    def confirm(self) -> None:
        if self.status == OrderStatus.CANCELLED:
            raise OrderAlreadyCancelled(f"order {self.order_id} is cancelled")
        if self.status == OrderStatus.PENDING:
            self._confirmed()

    def cancel(self, reason: str) -> None:
        if reason not in tuple(CancelReason):
            raise InvalidInput(f"unknown cancel reason {reason!r}")
        if self.status == OrderStatus.CANCELLED:
            return
        if self.status == OrderStatus.CONFIRMED and reason != CancelReason.CUSTOMER_REQUEST:
            raise OrderAlreadyConfirmed(f"order {self.order_id} is confirmed")
        self._cancelled(str(reason))

    def request_cancellation(self, requested_by: str) -> None:
        check_text(requested_by, "requested_by", max_len=300)  # "<role>:<customer id>"
        if self.status == OrderStatus.CANCELLED:
            raise OrderAlreadyCancelled(f"order {self.order_id} is cancelled")
        if self.cancellation_requested_by is None:
            self._cancellation_requested(requested_by)

    @event(Confirmed)
    def _confirmed(self) -> None:
        self.status = str(OrderStatus.CONFIRMED)

    @event(CancellationRequested)
    def _cancellation_requested(self, requested_by: str) -> None:
        self.cancellation_requested_by = requested_by

    @event(Cancelled)
    def _cancelled(self, reason: str) -> None:
        self.status = str(OrderStatus.CANCELLED)
        self.cancel_reason = reason


def _check_address(address: dict[str, str] | None) -> dict[str, str] | None:
    if address is None:
        return None
    return check_str_map(address, "shipping_address", max_entries=20, max_key=50, max_value=500)


def _check_contact(contact: dict[str, str] | None) -> dict[str, str] | None:
    if contact is None:
        return None
    checked = check_str_map(contact, "contact", max_entries=1, max_key=20, max_value=254)
    email = checked.get("email", "")
    local, _, domain = email.rpartition("@")
    if set(checked) != {"email"} or not local or "." not in domain or " " in email:
        raise InvalidInput("contact must be {email} with an address like name@example.com")
    return checked
