"""The command bus: one handler per command type, bound to its store and clock at bootstrap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from commands import coupon, inventory, order, payment, product, returns, shipment
from commands.ports import Clock, EventStore
from commands.results import Accepted
from domain.coupon import DefineCoupon, DisableCoupon, RedeemCoupon, RevertRedemption
from domain.inventory import (
    AdjustStock,
    CommitReservation,
    ReceiveStock,
    ReleaseReservation,
    ReserveStock,
    RestockReturn,
    ReturnStock,
)
from domain.order import CancelOrder, ConfirmOrder, PlaceOrder, RequestCancellation
from domain.payment import (
    CapturePayment,
    DeclinePayment,
    RefundPart,
    RefundPayment,
    RequestPayment,
    TimeOutPayment,
)
from domain.product import ChangePrice, ChangeProductDetails, DiscontinueProduct, RegisterProduct
from domain.returns import (
    ApproveReturn,
    MarkReturnExchanged,
    MarkReturnRefunded,
    ReceiveReturn,
    RejectReturn,
    RequestReturn,
)
from domain.shipment import (
    CorrectAddress,
    DispatchShipment,
    OpenShipment,
    RecordCarrierEvent,
    RecordLabel,
    RefuseLabel,
    VoidShipment,
)

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


def handlers_for(
    store: EventStore, clock: Clock, return_window_days: int = 30
) -> dict[type, Handler]:
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
        RefundPart: payment.refund_part,
        RestockReturn: inventory.restock_return,
        OpenShipment: shipment.open_shipment,
        RecordLabel: shipment.record_label,
        RefuseLabel: shipment.refuse_label,
        CorrectAddress: shipment.correct_address,
        DispatchShipment: shipment.dispatch_shipment,
        RecordCarrierEvent: shipment.record_carrier_event,
        VoidShipment: shipment.void_shipment,
        ApproveReturn: returns.approve_return,
        RejectReturn: returns.reject_return,
        ReceiveReturn: returns.receive_return,
        MarkReturnRefunded: returns.mark_refunded,
        MarkReturnExchanged: returns.mark_exchanged,
    }
    timed: dict[type, Callable[..., Accepted]] = {
        RedeemCoupon: coupon.redeem_coupon,
        PlaceOrder: order.place_order,
    }
    handlers: dict[type, Handler] = {kind: partial(h, store=store) for kind, h in plain.items()}
    handlers |= {kind: partial(h, store=store, clock=clock) for kind, h in timed.items()}
    handlers[RequestReturn] = partial(
        returns.request_return, store=store, clock=clock, window_days=return_window_days
    )
    return handlers


def build_command_bus(
    store: EventStore,
    clock: Clock,
    return_window_days: int = 30,
    extra: Mapping[type, Handler] | None = None,
) -> CommandBus:
    """`extra`: handlers that need more than a store and a clock (the accounts' password
    hasher), bound by the composition root."""
    return CommandBus(handlers_for(store, clock, return_window_days) | dict(extra or {}))
