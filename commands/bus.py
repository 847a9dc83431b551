"""The command bus: one handler per command type, bound to its store and clock at bootstrap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from commands import coupon, inventory, order, payment, product
from commands.ports import Clock, EventStore
from commands.results import Accepted
from domain.coupon import DefineCoupon, DisableCoupon, RedeemCoupon, RevertRedemption
from domain.inventory import (
    AdjustStock,
    CommitReservation,
    ReceiveStock,
    ReleaseReservation,
    ReserveStock,
    ReturnStock,
)
from domain.order import CancelOrder, ConfirmOrder, PlaceOrder, RequestCancellation
from domain.payment import (
    CapturePayment,
    DeclinePayment,
    RefundPayment,
    RequestPayment,
    TimeOutPayment,
)
from domain.product import ChangePrice, ChangeProductDetails, DiscontinueProduct, RegisterProduct

Handler = Callable[[Any], Accepted]


class UnknownCommand(LookupError):
    """No handler is registered for this command type: a wiring mistake, not bad input."""


class CommandBus:
    """Sends each command to the handler registered for its exact type."""

    def __init__(self, handlers: Mapping[type, Handler]) -> None:
        self._handlers = dict(handlers)

    def handle(self, command: object) -> Accepted:
        handler = self._handlers.get(type(command))
        if handler is None:
            raise UnknownCommand(f"no handler for {type(command).__name__}")
        return handler(command)

    def handles(self, command_type: type) -> bool:
        return command_type in self._handlers


def handlers_for(store: EventStore, clock: Clock) -> dict[type, Handler]:
    """Every write-side handler, bound with `functools.partial` to `store` (and `clock`)."""
    plain: dict[type, Callable[..., Accepted]] = {
        RegisterProduct: product.register_product,
        ChangeProductDetails: product.change_product_details,
        ChangePrice: product.change_price,
        DiscontinueProduct: product.discontinue_product,
        ReceiveStock: inventory.receive_stock,
        AdjustStock: inventory.adjust_stock,
        ReserveStock: inventory.reserve_stock,
        ReleaseReservation: inventory.release_reservation,
        CommitReservation: inventory.commit_reservation,
        ReturnStock: inventory.return_stock,
        DefineCoupon: coupon.define_coupon,
        RevertRedemption: coupon.revert_redemption,
        DisableCoupon: coupon.disable_coupon,
        ConfirmOrder: order.confirm_order,
        CancelOrder: order.cancel_order,
        RequestCancellation: order.request_cancellation,
        RequestPayment: payment.request_payment,
        CapturePayment: payment.capture_payment,
        DeclinePayment: payment.decline_payment,
        TimeOutPayment: payment.time_out_payment,
        RefundPayment: payment.refund_payment,
    }
    timed: dict[type, Callable[..., Accepted]] = {
        RedeemCoupon: coupon.redeem_coupon,
        PlaceOrder: order.place_order,
    }
    handlers: dict[type, Handler] = {kind: partial(h, store=store) for kind, h in plain.items()}
    handlers |= {kind: partial(h, store=store, clock=clock) for kind, h in timed.items()}
    return handlers


def build_command_bus(store: EventStore, clock: Clock) -> CommandBus:
    return CommandBus(handlers_for(store, clock))
