"""What must hold after any run of fulfilment, however it was interrupted or repeated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from domain.returns import ReturnStatus
from tests.scenarios.fulfilment_shop import FulfilmentShop

RECEIVED_BACK = (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED)


def assert_stock_conserved(
    shop: FulfilmentShop, received: Mapping[str, int], returns: Iterable[str]
) -> None:
    """received + units back from returns = on hand + sold; reservations add up."""
    back: dict[str, int] = {}
    for return_id in returns:
        ret = shop.returned(return_id)
        if ret.status in RECEIVED_BACK and f"return:{return_id}" in _restocked(shop, ret):
            for sku, quantity in ret.quantities.items():
                back[sku] = back.get(sku, 0) + quantity
    for sku, quantity in received.items():
        item = shop.item(sku)
        sold = sum(item.committed.values())
        assert quantity + back.get(sku, 0) == item.on_hand + sold, (sku, item.on_hand, sold)
        assert item.reserved == sum(item.reservations.values()), sku
        assert 0 <= item.reserved <= item.on_hand, (sku, item.reserved, item.on_hand)


def _restocked(shop: FulfilmentShop, ret: object) -> set[str]:
    keys: set[str] = set()
    for sku in ret.quantities:  # type: ignore[attr-defined]
        keys |= {k for k, v in shop.item(sku).finished.items() if v == "restocked"}
    return keys


def assert_money_once(shop: FulfilmentShop, orders: Iterable[str], settled: bool = True) -> None:
    """Each refund reached the provider once, never more than was captured, and our
    payments record no money the provider was not sent. Once `settled`, they record all of
    it; in between, a refund sent just before a crash is recorded after the restart."""
    for order in orders:
        payment = shop.payment(order)
        refunds = shop.refunds(order)
        assert all(requests == 1 for _, _, requests in refunds), (order, refunds)
        sent = sum(amount for _, amount, _ in refunds)
        refunded = 0 if payment is None else payment.refunded_amount
        if payment is not None and payment.status == "REFUNDED" and not refunds:
            continue  # the checkout's own refund of a cancelled order: not sent out here
        assert sent == refunded if settled else refunded <= sent, (order, sent, refunded)
        assert sent <= (0 if payment is None else payment.amount), order


def assert_labels_once(shop: FulfilmentShop, references: Iterable[str]) -> None:
    for reference in references:
        assert shop.carrier.requests(reference) <= 1, reference
