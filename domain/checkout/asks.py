"""Steps of a checkout that another saga partition may be asked to run.

The stock and coupon commands write streams shared by every order (`inventory-<sku>`,
`coupon-<code>`). When the saga runs as several partitions, each such stream has one
owning partition, and an order's partition asks the owner to run the step instead of
writing the stream itself. The ask is a fact of the order's Checkout (`StepAsked`): the
command's name and fields, so the owner rebuilds exactly the command that was decided.

Which partition owns what is the process manager's business, not the domain's: here
are only the commands that may be asked, and how one is written down and read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from domain.coupon import RedeemCoupon, RevertRedemption
from domain.inventory import CommitReservation, ReleaseReservation, ReserveStock, ReturnStock

StockCommand = ReserveStock | ReleaseReservation | CommitReservation | ReturnStock
CouponCommand = RedeemCoupon | RevertRedemption
AskableCommand = StockCommand | CouponCommand

ASKABLE: dict[str, type[AskableCommand]] = {
    kind.__name__: kind
    for kind in (
        ReserveStock,
        ReleaseReservation,
        CommitReservation,
        ReturnStock,
        RedeemCoupon,
        RevertRedemption,
    )
}
ASKABLE_KINDS = tuple(ASKABLE.values())


def written(step: AskableCommand) -> tuple[str, dict[str, Any]]:
    """The command's name and fields, as `Checkout.StepAsked` stores them."""
    return type(step).__name__, asdict(step)


def rebuilt(command: str, arguments: Mapping[str, Any]) -> AskableCommand:
    """The command a `Checkout.StepAsked` names, field for field."""
    return ASKABLE[command](**arguments)
