"""Fulfilment end to end in-process: label, dispatch, delivery, cancellation, loss."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.shared.base import DomainError
from tests.scenarios.fulfilment_shop import ADDRESS, UNDELIVERABLE, FulfilmentShop, opened

pytestmark = pytest.mark.scenario


@pytest.fixture
def shop(backend: str, settings_for) -> Iterator[FulfilmentShop]:
    yield from opened(settings_for(backend, payment_timeout_s=30))


def test_a_confirmed_order_is_labelled_dispatched_and_delivered(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 5)
    order = shop.place_to(ADDRESS, ("SKU-1", 2))
    shop.settle()

    shipment = shop.shipment(order)
    assert shipment.status == "LABELLED"
    assert shipment.tracking_number.startswith("SIM")
    assert shop.carrier.requests(order) == 1

    shop.deliver(order)

    assert shop.shipment(order).status == "DELIVERED"
    assert shop.carrier.state(order) is not None
    assert shop.carrier.requests(order) == 1


def test_a_refused_label_holds_the_shipment_until_its_address_is_fixed(
    shop: FulfilmentShop,
) -> None:
    shop.stock("SKU-1", 5)
    order = shop.place_to(UNDELIVERABLE, ("SKU-1", 1))
    shop.settle()
    assert shop.shipment(order).status == "ON_HOLD"

    shop.fix_address(order, ADDRESS)
    shop.settle()

    assert shop.shipment(order).status == "LABELLED"
    assert shop.shipment(order).attempt == 2


def test_cancelling_before_dispatch_voids_the_label_refunds_and_restocks(
    shop: FulfilmentShop,
) -> None:
    shop.stock("SKU-1", 5)
    order = shop.place_to(ADDRESS, ("SKU-1", 2))
    shop.settle()
    assert shop.shipment(order).status == "LABELLED"

    shop.cancel(order)
    shop.settle()

    assert shop.shipment(order).status == "VOIDED"
    assert shop.carrier.state(order) == "voided"
    assert shop.order(order).status == "CANCELLED"
    assert shop.payment(order).status == "REFUNDED"
    assert shop.item("SKU-1").on_hand == 5


def test_cancelling_after_dispatch_is_refused(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 5)
    order = shop.place_to(ADDRESS, ("SKU-1", 2))
    shop.settle()
    shop.dispatch(order)

    with pytest.raises(DomainError) as refused:
        shop.cancel(order)

    assert refused.value.code == "order_already_shipped"
    assert shop.order(order).cancellation_requested_by is None


def test_a_lost_parcel_is_refunded_in_full_once(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 5, price=1500)
    order = shop.place_to(ADDRESS, ("SKU-1", 2))
    shop.settle()
    shop.dispatch(order)
    shop.report(order, "LOST")
    shop.settle()
    shop.fulfilment.run_until_idle()

    assert shop.shipment(order).status == "LOST"
    assert shop.payment(order).status == "REFUNDED"
    assert shop.refunds(order) == [(f"lost:{order}", 3000, 1)]


def test_an_order_without_an_address_is_held(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 5)
    order = shop.place_to(None, ("SKU-1", 1))
    shop.settle()

    assert shop.shipment(order).status == "ON_HOLD"
    assert shop.shipment(order).hold_reason == "no shipping address"


def test_a_late_report_of_an_earlier_stage_and_a_replayed_report_change_nothing(
    shop: FulfilmentShop,
) -> None:
    shop.stock("SKU-1", 5)
    order = shop.place_to(ADDRESS, ("SKU-1", 1))
    shop.settle()
    shop.dispatch(order)
    shop.report(order, "DELIVERED", event_id="evt-2")
    version = shop.shipment(order).version

    shop.report(order, "IN_TRANSIT", event_id="evt-1")
    shop.report(order, "DELIVERED", event_id="evt-2")

    assert shop.shipment(order).version == version
    assert shop.shipment(order).status == "DELIVERED"
