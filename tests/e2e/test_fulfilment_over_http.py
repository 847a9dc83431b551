"""Fulfilment and returns over HTTP against a live `shop serve` (its saga worker runs the
fulfilment manager, its simulated carrier and provider run as services), on the embedded
default and on PostgreSQL. Labels and refunds are counted where the outside world sees
them: the carrier's and the provider's ledgers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from app.carriers import webhook_secret
from config.settings import Settings
from tests.e2e.fulfilment_client import ADDRESS, FulfilmentClient
from tests.e2e.server import ShopServer, store_env


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FulfilmentClient]:
    data_dir = tmp_path_factory.mktemp("fulfilment") / "var"
    with ExitStack() as stack:
        env = store_env(request.param, stack)
        server = ShopServer(data_dir, SHOP_LEASE_TTL_S="3", **env).start()
        stack.callback(server.stop)
        # The secret the server generated in its data dir, as a carrier would be given it.
        secret = webhook_secret(Settings(data_dir=data_dir))
        client = FulfilmentClient(server, secret)
        stack.callback(client.close)
        client.product("LAMP", 3333, 40)
        client.product("MUG", 1000, 40)
        client.product("RARE", 2000, 1)
        client.coupon("TEN", 10)
        yield client


def labelled(shop: FulfilmentClient, lines: dict[str, int], **order: object) -> tuple[str, str]:
    """An order confirmed and labelled: its id and its tracking number."""
    order_id = shop.order("alice", lines, **order)
    view = shop.shipped_as(order_id, "LABELLED")
    return order_id, view["fulfilment"]["tracking_number"]


def delivered(shop: FulfilmentClient, lines: dict[str, int], **order: object) -> str:
    order_id, tracking = labelled(shop, lines, **order)
    assert shop.dispatch(order_id).status_code == 202
    assert shop.report(tracking, "DELIVERED").status_code == 202
    shop.shipped_as(order_id, "DELIVERED")
    return order_id


def test_label_dispatch_transit_delivery(shop: FulfilmentClient) -> None:
    order_id, tracking = labelled(shop, {"MUG": 1})
    assert tracking.startswith("SIM")

    assert shop.dispatch(order_id).status_code == 202
    shop.shipped_as(order_id, "SHIPPED")
    assert shop.report(tracking, "IN_TRANSIT").status_code == 202
    shop.shipped_as(order_id, "IN_TRANSIT")
    assert shop.report(tracking, "DELIVERED").status_code == 202

    view = shop.shipped_as(order_id, "DELIVERED")
    assert view["fulfilment"]["shipped_at"]
    assert view["fulfilment"]["delivered_at"]
    assert shop.labels_asked(order_id) == 1


def test_a_refused_label_holds_the_shipment_until_the_address_is_fixed(
    shop: FulfilmentClient,
) -> None:
    order_id = shop.order("alice", {"MUG": 1}, address=ADDRESS | {"postal_code": "00000"})
    shop.shipped_as(order_id, "ON_HOLD")
    held = shop.http.get("/shipments", params={"status": "ON_HOLD"}, headers=shop.admin).json()
    assert order_id in [item["order_id"] for item in held["items"]]

    fixed = shop.http.post(f"/shipments/{order_id}/address", json=ADDRESS, headers=shop.admin)

    assert fixed.status_code == 202, fixed.text
    shop.shipped_as(order_id, "LABELLED")


def test_cancel_before_dispatch_voids_refunds_and_restocks(shop: FulfilmentClient) -> None:
    order_id, _ = labelled(shop, {"LAMP": 2})

    assert shop.cancel("alice", order_id).status_code == 202

    view = shop.wait(order_id, lambda v: v["status"] == "CANCELLED")
    view = shop.shipped_as(order_id, "VOIDED")
    assert view["payment_status"] == "REFUNDED"
    stock = shop.http.get("/inventory/LAMP", headers=shop.admin).json()
    assert stock["on_hand"] >= 2
    assert stock["reserved"] == 0


def test_cancel_after_dispatch_is_refused(shop: FulfilmentClient) -> None:
    order_id, _ = labelled(shop, {"MUG": 1})
    assert shop.dispatch(order_id).status_code == 202

    refused = shop.cancel("alice", order_id)

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "order_already_shipped"


def test_a_lost_parcel_is_refunded_in_full_once(shop: FulfilmentClient) -> None:
    order_id, tracking = labelled(shop, {"LAMP": 1, "MUG": 2})
    shop.dispatch(order_id)

    assert shop.report(tracking, "LOST").status_code == 202

    view = shop.wait(order_id, lambda v: v["payment_status"] == "REFUNDED")
    assert view["refunded_total"] == view["total"] == 5333
    assert shop.refunds_sent(order_id) == [5333]


def test_part_of_an_order_with_a_coupon_comes_back_for_its_exact_share(
    shop: FulfilmentClient,
) -> None:
    order_id = delivered(shop, {"LAMP": 3, "MUG": 1}, coupon_code="TEN")
    # subtotal 10999, discount 1099: two lamps (6666) carry 667 of it, rounded up
    asked = shop.ask_return("alice", order_id, "refund", {"LAMP": 2})
    assert asked.status_code == 202, asked.text
    return_id = asked.json()["return_id"]
    assert shop.decide(return_id, "approve").status_code == 202
    assert shop.decide(return_id, "receive").status_code == 202

    view = shop.wait(order_id, lambda v: v["payment_status"] == "PARTIALLY_REFUNDED")

    assert view["refunded_total"] == 5999
    assert [(r["return_id"], r["refund_amount"]) for r in view["returns"]] == [(return_id, 5999)]
    assert shop.refunds_sent(order_id) == [5999]


def test_two_returns_take_every_unit_and_a_third_is_refused(shop: FulfilmentClient) -> None:
    order_id = delivered(shop, {"MUG": 3})
    assert shop.ask_return("alice", order_id, "refund", {"MUG": 1}).status_code == 202
    assert shop.ask_return("alice", order_id, "refund", {"MUG": 2}).status_code == 202

    third = shop.ask_return("alice", order_id, "refund", {"MUG": 1})

    assert third.status_code == 409
    assert third.json()["error"]["code"] == "return_not_allowed"


def test_a_return_outside_the_window_is_refused(shop: FulfilmentClient) -> None:
    order_id, tracking = labelled(shop, {"MUG": 1})
    shop.dispatch(order_id)
    # the carrier reports a delivery 31 days ago: the window ran out yesterday
    assert shop.report(tracking, "DELIVERED", days_ago=31).status_code == 202
    shop.shipped_as(order_id, "DELIVERED")

    late = shop.ask_return("alice", order_id, "refund", {"MUG": 1})

    assert late.status_code == 409
    assert late.json()["error"]["code"] == "return_not_allowed"


def test_an_exchange_ships_again_when_in_stock_and_is_refunded_when_not(
    shop: FulfilmentClient,
) -> None:
    in_stock = delivered(shop, {"MUG": 1})
    sold_out = delivered(shop, {"RARE": 1})  # the only one
    returns = {}
    for order_id, sku in ((in_stock, "MUG"), (sold_out, "RARE")):
        asked = shop.ask_return("alice", order_id, "exchange", {sku: 1})
        returns[order_id] = asked.json()["return_id"]
        shop.decide(returns[order_id], "approve")
        shop.decide(returns[order_id], "receive")

    exchanged = shop.wait(in_stock, lambda v: [r["status"] for r in v["returns"]] == ["EXCHANGED"])
    refunded = shop.wait(sold_out, lambda v: [r["status"] for r in v["returns"]] == ["REFUNDED"])

    assert exchanged["refunded_total"] == 0
    again = shop.exchange_shipment(returns[in_stock])  # opened just after EXCHANGED
    assert again["order_id"] == in_stock
    assert refunded["refunded_total"] == 2000
    assert shop.refunds_sent(sold_out) == [2000]


def test_carrier_events_signed_unsigned_wrongly_signed_replayed_and_late(
    shop: FulfilmentClient,
) -> None:
    order_id, tracking = labelled(shop, {"MUG": 1})
    shop.dispatch(order_id)

    assert shop.report(tracking, "IN_TRANSIT", signature=None).status_code == 401
    assert shop.report(tracking, "IN_TRANSIT", signature="sha256=" + "0" * 64).status_code == 401
    delivered = shop.report(tracking, "DELIVERED", event_id="evt-d")
    assert delivered.status_code == 202
    view = shop.shipped_as(order_id, "DELIVERED")

    replayed = shop.report(tracking, "DELIVERED", event_id="evt-d")
    late = shop.report(tracking, "IN_TRANSIT", event_id="evt-t")

    assert (replayed.status_code, late.status_code) == (202, 202)
    seen = {"min_position": late.json()["position"]}  # the view has read past both reports
    timeline = shop.http.get(
        f"/orders/{order_id}/timeline", params=seen, headers=shop.customer("alice")
    )
    facts = [e["type"] for e in timeline.json()["events"] if e["stream"] == f"shipment-{order_id}"]
    # nothing recorded after the delivery
    assert facts[-2:] == ["shop.shipment.dispatched", "shop.shipment.delivered"]
    assert shop.view(order_id)["fulfilment"] == view["fulfilment"]
