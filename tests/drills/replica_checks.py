"""What must hold after the replica drill, read from the log, the views and the provider.

The streams are the truth: orders, stock and the coupon are loaded from the store in this
process. The provider's ledger lists every capture request it received, so a second
request for one payment shows there even when the idempotency key made it harmless.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping

import httpx

from app.bootstrap import Container
from domain.inventory import InventoryItem
from domain.shared import ids
from projections.rebuild import rebuild_view
from tests.drills.replica_traffic import COUPON, Placed

TERMINAL = ("CONFIRMED", "CANCELLED")


def outcomes(container: Container, placed: list[Placed]) -> dict[str, str]:
    """Each order's status, and the reason of each cancellation (`CANCELLED:REASON`)."""
    found = {}
    for order in placed:
        state = container.store.get(ids.order_stream(order.order_id))
        reason = f":{state.cancel_reason}" if state.status == "CANCELLED" else ""
        found[order.order_id] = f"{state.status}{reason}"
    return found


def wait_until_terminal(container: Container, placed: list[Placed], timeout_s: float) -> float:
    """Seconds until every order is confirmed or cancelled; fails naming those that are not."""
    started = time.monotonic()
    while True:
        status = outcomes(container, placed)
        open_orders = [o for o, s in status.items() if not s.startswith(TERMINAL)]
        if not open_orders:
            return time.monotonic() - started
        assert time.monotonic() - started < timeout_s, f"not terminal: {open_orders[:20]}"
        time.sleep(0.5)


def assert_stock_conserved(container: Container, received: Mapping[str, int]) -> None:
    """received = available + committed, nothing left reserved, never below zero."""
    for sku, quantity in received.items():
        item: InventoryItem = container.store.get(ids.inventory_stream(sku))
        committed = sum(item.committed.values())
        assert quantity == item.available + committed, (sku, quantity, item.available, committed)
        assert item.reservations == {}, (sku, item.reservations)
        assert item.reserved == 0, sku
        assert_never_negative(container, sku)


def assert_never_negative(container: Container, sku: str) -> None:
    state = None
    for past in container.store.events.get(ids.inventory_stream(sku)):
        state = past.mutate(state)
        assert state is not None
        assert state.available >= 0, (sku, past)


def assert_coupon_used_by_confirmed_orders(
    container: Container, status: Mapping[str, str], placed: list[Placed], limit: int
) -> int:
    """Its redemptions are exactly the confirmed orders that used it, within its limit."""
    coupon = container.store.get(ids.coupon_stream(COUPON))
    used = {o.order_id for o in placed if o.coupon == COUPON and status[o.order_id] == "CONFIRMED"}
    assert set(coupon.redemptions) == used, sorted(set(coupon.redemptions) ^ used)
    assert len(used) <= limit
    return len(used)


def assert_payments_match(container: Container, status: Mapping[str, str]) -> None:
    """A confirmed order's payment is captured; a cancelled one kept no money."""
    for order_id, outcome in status.items():
        payment = container.store.find(ids.payment_stream(order_id))
        if outcome == "CONFIRMED":
            assert payment is not None, order_id
            assert payment.status == "CAPTURED", (order_id, payment.status)
        elif payment is not None:
            assert payment.status in ("DECLINED", "TIMED_OUT", "REFUNDED"), (order_id, outcome)


def capture_requests(psp: str) -> Counter[str]:
    """Capture requests the provider received, per payment id."""
    entries = httpx.get(f"{psp}/ledger", timeout=60).json()
    return Counter(e["payment_id"] for e in entries if e["kind"] == "capture")


def assert_one_capture_request_each(psp: str, status: Mapping[str, str]) -> Counter[str]:
    requests = capture_requests(psp)
    repeated = {payment: n for payment, n in requests.items() if n > 1}
    assert not repeated, f"payments asked to capture more than once: {repeated}"
    for order_id, outcome in status.items():
        if outcome == "CONFIRMED":
            assert requests[ids.payment_stream(order_id)] == 1, order_id
    return requests


def wait_until_views_caught_up(container: Container, timeout_s: float) -> None:
    read_models = container.read_models
    deadline = time.monotonic() + timeout_s
    while any(read_models.lag(name)[0] for name in read_models.names):
        lags = {name: read_models.lag(name) for name in read_models.names}
        assert time.monotonic() < deadline, f"projections did not catch up: {lags}"
        time.sleep(0.2)


def view_differences(container: Container) -> dict[str, int]:
    """Rows of each live view (built by the killed and restarted workers) that differ from
    a rebuild from the log, compared at one log position."""
    read_models = container.read_models
    return {
        name: rebuild_view(read_models.log, read_models.view(name), grace_s=0).differences
        for name in read_models.names
    }
