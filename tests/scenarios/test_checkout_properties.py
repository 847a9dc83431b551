"""Property: under any interleaving of orders, cancellations, restocks, gateway answers,
partial saga runs and crashes, the invariants hold after every step, and every order ends."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from config.settings import Settings
from domain.shared.base import DomainError
from tests.scenarios.invariants import assert_payments_once, assert_settled, assert_stock_conserved
from tests.scenarios.shop import Shop

pytestmark = [pytest.mark.scenario, pytest.mark.slow]

SKUS = ["SKU-A", "SKU-B"]
LIMIT = 3


class SimulatedCrash(BaseException):
    """The saga process dying at a step boundary (everything in memory is lost)."""


class CheckoutMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="saga-prop-"))
        self.countdown = 0
        settings_ = Settings(data_dir=self.dir, event_store="sqlite", payment_timeout_s=30)
        self.shop = Shop(settings_, crash=self._maybe_crash)
        self.received = dict.fromkeys(SKUS, 2)
        self.orders: dict[str, str | None] = {}
        self.shop.coupon("LIMITED", max_redemptions=LIMIT)
        for sku, quantity in self.received.items():
            self.shop.stock(sku, quantity)

    def _maybe_crash(self, point: str) -> None:
        if self.countdown > 0:
            self.countdown -= 1
            if self.countdown == 0:
                raise SimulatedCrash(point)

    @rule(sku=st.sampled_from(SKUS), quantity=st.integers(1, 4))
    def restock(self, sku: str, quantity: int) -> None:
        self.shop.stock(sku, quantity)
        self.received[sku] += quantity

    @rule(
        skus=st.lists(st.sampled_from(SKUS), min_size=1, max_size=2, unique=True),
        quantity=st.integers(1, 3),
        token=st.sampled_from(["tok_ok", "tok_declined", "tok_timeout", "tok_flaky"]),
        coupon=st.sampled_from([None, "LIMITED"]),
    )
    def place(self, skus: list[str], quantity: int, token: str, coupon: str | None) -> None:
        lines = [(sku, quantity) for sku in skus]
        order = self.shop.place(*lines, token=token, coupon=coupon, customer=f"c{len(self.orders)}")
        self.orders[order] = coupon

    @initialize()
    def a_first_order(self) -> None:
        self.place(["SKU-A"], 1, "tok_ok", "LIMITED")

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        order = data.draw(st.sampled_from(sorted(self.orders)))
        with contextlib.suppress(DomainError):  # already cancelled
            self.shop.cancel(order)

    @rule()
    def one_saga_batch(self) -> None:
        self.shop.saga.managers[0].run_batch()

    @rule(boundary=st.integers(1, 12))
    def saga_crashes_at_a_step_boundary(self, boundary: int) -> None:
        self.countdown = boundary
        with contextlib.suppress(SimulatedCrash):
            self.shop.settle()
        self.countdown = 0

    @rule()
    def saga_forgets_its_position(self) -> None:
        manager = self.shop.saga.managers[0]
        manager.state.forget_position(manager.name)
        manager.forget()

    @rule(seconds=st.sampled_from([5, 31]))
    def time_passes(self, seconds: int) -> None:
        self.shop.clock.advance(seconds)
        self.shop.saga.managers[0].fire_deadlines()

    @rule()
    def gateway_delivers_late_captures(self) -> None:
        self.shop.deliver_late_captures()

    @invariant()
    def stock_is_conserved_and_nothing_captured_twice(self) -> None:
        assert_stock_conserved(self.shop, self.received)
        assert_payments_once(self.shop, self.orders)
        coupon = self.shop.coupon_state("LIMITED")
        assert len(coupon.redemptions) <= LIMIT
        assert set(coupon.redemptions) <= {o for o, c in self.orders.items() if c == "LIMITED"}

    @invariant()
    def a_confirmed_order_is_paid_and_a_cancelled_one_holds_no_stock(self) -> None:
        for order in self.orders:
            status = self.shop.order(order).status
            if status == "CONFIRMED":
                assert self.shop.payment(order).was_captured
            if status == "CANCELLED":
                assert all(order not in self.shop.item(sku).reservations for sku in SKUS)

    def teardown(self) -> None:
        try:
            self.countdown = 0
            self.shop.settle()
            self.shop.clock.advance(31)
            self.shop.settle()
            self.shop.deliver_late_captures()
            self.shop.settle()
            assert_settled(self.shop, self.orders, self.received)
        finally:
            self.shop.close()
            shutil.rmtree(self.dir, ignore_errors=True)


CheckoutMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("SHOP_PROPERTY_EXAMPLES", "50")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_checkout_saga_invariants = CheckoutMachine.TestCase
