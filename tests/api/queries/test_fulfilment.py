"""GET /orders/{id} with fulfilment, GET /shipments, GET /returns/{id}, and the fulfilment
counts on /ops and /metrics."""

from __future__ import annotations

import uuid

import pytest

from tests.api.factories import assert_error
from tests.projections.fulfilment_data import DELIVERED_AT, Fulfil
from tests.projections.shopdata import Shop

RETURN_FIELDS = {"return_id", "order_id", "kind", "status", "lines", "refund_amount"}
RETURN_FIELDS |= {"created_at", "updated_at"}


@pytest.fixture
def orders(container, project) -> dict[str, str]:
    """Alice's delivered order with one refunded and one waiting return; bob's order on
    hold; alice's order without a shipment yet."""
    shop, fulfil = Shop(container.store), Fulfil(container.store)
    shop.catalog()
    delivered = shop.order("alice", {"SKU-MS1": 2})
    fulfil.ship(delivered, "alice", {"SKU-MS1": 2}, "DELIVERED")
    refunded = fulfil.request(delivered, "alice", {"SKU-MS1": 1}, key="r1")
    fulfil.refund(delivered, refunded, {"SKU-MS1": 1}, 2900)
    waiting = fulfil.request(delivered, "alice", {"SKU-MS1": 1}, key="r2")
    held = shop.order("bob", {"SKU-KB1": 1})
    fulfil.advance(fulfil.open(held, "bob", {"SKU-KB1": 1}), "ON_HOLD")
    unshipped = shop.order("alice", {"SKU-MN1": 1})
    project()
    return {"delivered": delivered, "refunded": refunded, "waiting": waiting, "held": held} | {
        "unshipped": unshipped
    }


def test_an_order_carries_its_fulfilment_returns_and_refunds(queries, alice, orders):
    body = queries.get(f"/orders/{orders['delivered']}", headers=alice).json()

    assert body["fulfilment"] == {
        "status": "DELIVERED",
        "carrier": "simcarrier",
        "tracking_number": f"TRK-{orders['delivered'][:8]}",
        "shipped_at": body["fulfilment"]["shipped_at"],
        "delivered_at": DELIVERED_AT,
    }
    assert body["fulfilment"]["shipped_at"] is not None
    line = {"sku": "SKU-MS1", "quantity": 1, "unit_price": 2900}
    assert body["returns"] == [
        {"return_id": orders["refunded"], "kind": "refund", "status": "REFUNDED"}
        | {"lines": [line], "refund_amount": 2900},
        {"return_id": orders["waiting"], "kind": "refund", "status": "REQUESTED"}
        | {"lines": [line], "refund_amount": 2900},
    ]
    assert (body["payment_status"], body["refunded_total"]) == ("PARTIALLY_REFUNDED", 2900)


def test_an_order_before_its_shipment_has_no_fulfilment(queries, alice, orders):
    body = queries.get(f"/orders/{orders['unshipped']}", headers=alice).json()

    assert (body["fulfilment"], body["returns"], body["refunded_total"]) == (None, [], 0)


def test_the_timeline_shows_the_shipment_and_the_returns(queries, alice, orders):
    events = queries.get(f"/orders/{orders['delivered']}/timeline", headers=alice).json()["events"]

    types = [event["type"] for event in events]
    assert types.index("shop.shipment.opened") < types.index("shop.shipment.delivered")
    assert types.index("shop.shipment.delivered") < types.index("shop.return.requested")
    assert types.index("shop.return.received") < types.index("shop.return.refunded")
    assert "shop.payment.partially_refunded" in types
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)


def test_admins_list_shipments_by_status(queries, admin, orders):
    held = queries.get("/shipments", params={"status": "ON_HOLD"}, headers=admin).json()
    everything = queries.get("/shipments", params={"size": 1, "page": 2}, headers=admin).json()

    assert held["total"] == 1
    [item] = held["items"]
    assert item == {
        "order_id": orders["held"],
        "shipment_id": orders["held"],
        "return_id": None,
        "status": "ON_HOLD",
        "carrier": None,
        "tracking_number": None,
        "hold_reason": "undeliverable address",
        "shipped_at": None,
        "delivered_at": None,
        "updated_at": item["updated_at"],
    }
    assert (everything["total"], everything["page"], everything["size"]) == (2, 2, 1)
    assert [i["order_id"] for i in everything["items"]] == [orders["delivered"]]  # older


def test_customers_may_not_list_shipments(queries, alice, orders):
    assert_error(queries.get("/shipments", headers=alice), 403, "forbidden")


@pytest.mark.parametrize("params", [{"status": "on_hold"}, {"size": 101}, {"state": "READY"}])
def test_the_shipments_list_refuses_bad_filters(queries, admin, params):
    assert_error(queries.get("/shipments", params=params, headers=admin), 422)


def test_the_owner_and_an_admin_read_a_return(queries, alice, admin, orders):
    mine = queries.get(f"/returns/{orders['refunded']}", headers=alice)
    theirs = queries.get(f"/returns/{orders['refunded']}", headers=admin)

    assert mine.status_code == 200
    body = mine.json()
    assert set(body) == RETURN_FIELDS
    assert (body["order_id"], body["kind"], body["status"]) == (
        orders["delivered"],
        "refund",
        "REFUNDED",
    )
    assert body["refund_amount"] == 2900
    assert theirs.json() == body


def test_another_customers_return_is_404(queries, bob, alice, orders):
    assert_error(queries.get(f"/returns/{orders['refunded']}", headers=bob), 404, "unknown_return")
    assert_error(queries.get(f"/returns/{uuid.uuid4()}", headers=alice), 404, "unknown_return")
    assert_error(queries.get("/returns/12", headers=alice), 422)


def test_the_ops_page_counts_what_waits_for_an_admin(queries, admin, alice, orders):
    counts = queries.get("/ops/api/fulfilment", headers=admin)

    assert counts.json() == {"shipments_on_hold": 1, "returns_awaiting_approval": 1}
    assert_error(queries.get("/ops/api/fulfilment", headers=alice), 403)
    assert "fulfilment-summary" in queries.get("/ops").text


def test_metrics_export_the_fulfilment_gauges(queries, orders):
    text = queries.get("/metrics").text

    assert "shop_shipments_on_hold 1.0" in text
    assert "shop_returns_awaiting_approval 1.0" in text
