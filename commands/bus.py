"""The command bus: one handler per command type, bound to its store and clock at bootstrap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from commands import coupon, inventory, order, payment, product
from commands.ports import Clock, EventStore
from commands.results import Accepted

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
        product.RegisterProduct: product.register_product,
        product.ChangeProductDetails: product.change_product_details,
        product.ChangePrice: product.change_price,
        product.DiscontinueProduct: product.discontinue_product,
        inventory.ReceiveStock: inventory.receive_stock,
        inventory.AdjustStock: inventory.adjust_stock,
        inventory.ReserveStock: inventory.reserve_stock,
        inventory.ReleaseReservation: inventory.release_reservation,
        inventory.CommitReservation: inventory.commit_reservation,
        inventory.ReturnStock: inventory.return_stock,
        coupon.DefineCoupon: coupon.define_coupon,
        coupon.RevertRedemption: coupon.revert_redemption,
        coupon.DisableCoupon: coupon.disable_coupon,
        order.ConfirmOrder: order.confirm_order,
        order.CancelOrder: order.cancel_order,
        order.RequestCancellation: order.request_cancellation,
        payment.RequestPayment: payment.request_payment,
        payment.CapturePayment: payment.capture_payment,
        payment.DeclinePayment: payment.decline_payment,
        payment.TimeOutPayment: payment.time_out_payment,
        payment.RefundPayment: payment.refund_payment,
    }
    timed: dict[type, Callable[..., Accepted]] = {
        coupon.RedeemCoupon: coupon.redeem_coupon,
        order.PlaceOrder: order.place_order,
    }
    handlers = {kind: partial(handler, store=store) for kind, handler in plain.items()}
    handlers |= {kind: partial(h, store=store, clock=clock) for kind, h in timed.items()}
    return handlers


def build_command_bus(store: EventStore, clock: Clock) -> CommandBus:
    return CommandBus(handlers_for(store, clock))
