"""Property: under any interleaving of orders, cancellations, dispatches, carrier reports
(replayed and out of order), address fixes, returns and their decisions, partial runs and
crashes of the fulfilment manager, money and stock add up after every step, and once
people and the carrier have done their part every shipment and return ends."""

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
from tests.scenarios.fulfilment_invariants import (
    assert_labels_once,
    assert_money_once,
    assert_stock_conserved,
)
from tests.scenarios.fulfilment_shop import ADDRESS, UNDELIVERABLE, FulfilmentShop

pytestmark = [pytest.mark.scenario, pytest.mark.slow]

SKUS = ["SKU-A", "SKU-B"]
SHIPMENT_ENDS = {"DELIVERED", "LOST", "VOIDED"}
RETURN_ENDS = {"REJECTED", "REFUNDED", "EXCHANGED"}


class SimulatedCrash(BaseException):
    """The worker dying at a step boundary (everything in memory is lost)."""


class FulfilmentMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="fulfilment-prop-"))
        self.countdown = 0
        self.settings = Settings(data_dir=self.dir, event_store="sqlite", payment_timeout_s=30)
        self.shop = FulfilmentShop(self.settings, crash=self._maybe_crash)
        self.received = dict.fromkeys(SKUS, 6)
        self.orders: list[str] = []
        self.returns: list[str] = []
        self.shop.coupon("TEN", value=10)
        for sku, quantity in self.received.items():
            self.shop.stock(sku, quantity, price=1300)

    def _maybe_crash(self, point: str) -> None:
        if self.countdown > 0:
            self.countdown -= 1
            if self.countdown == 0:
                raise SimulatedCrash(point)

    def _settle(self) -> None:
        try:
            self.shop.settle()
        except SimulatedCrash:
            self._restart()

    def _restart(self) -> None:
        """A new process after the crash: nothing of the old one's memory, caches or
        connections survives (an exception is not a SIGKILL: it unwinds through code a
        dead process never runs, so the old objects are dropped, not reused)."""
        clock = self.shop.clock
        self.shop.close()
        self.shop = FulfilmentShop(self.settings, clock=clock, crash=self._maybe_crash)

    @rule(
        skus=st.lists(st.sampled_from(SKUS), min_size=1, max_size=2, unique=True),
        quantity=st.integers(1, 2),
        coupon=st.sampled_from([None, "TEN"]),
        deliverable=st.booleans(),
    )
    def place(self, skus: list[str], quantity: int, coupon: str | None, deliverable: bool) -> None:
        address = ADDRESS if deliverable else UNDELIVERABLE
        lines = [(sku, quantity) for sku in skus]
        self.orders.append(self.shop.place_to(address, *lines, coupon=coupon))

    @initialize()
    def some_orders_delivered(self) -> None:
        """Start where returns are possible: three orders, two of them delivered."""
        for coupon in ("TEN", None, "TEN"):
            self.place(SKUS, 1, coupon, True)
        self.shop.settle()
        for order in self.orders[:2]:
            self.shop.deliver(order)

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        if self.orders:
            with contextlib.suppress(DomainError):
                self.shop.cancel(data.draw(st.sampled_from(self.orders)))

    @rule(boundary=st.integers(0, 15))
    def settle_or_crash(self, boundary: int) -> None:
        self.countdown = boundary
        self._settle()
        self.countdown = 0

    @rule(
        data=st.data(),
        action=st.sampled_from(["dispatch", "fix", "IN_TRANSIT", "DELIVERED", "LOST"]),
    )
    def people_and_the_carrier(self, data: st.DataObject, action: str) -> None:
        shipments = self._shipments()
        if not shipments:
            return
        shipment = data.draw(st.sampled_from(shipments))
        with contextlib.suppress(DomainError):
            if action == "dispatch":
                self.shop.dispatch(shipment)
            elif action == "fix":
                self.shop.fix_address(shipment, ADDRESS)
            elif self.shop.shipment(shipment).tracking_number:
                replay = data.draw(st.sampled_from([None, "evt-1", "evt-2"]))  # some repeated
                self.shop.report(shipment, action, event_id=replay and f"{shipment}-{replay}")

    @rule(data=st.data(), kind=st.sampled_from(["refund", "exchange"]), quantity=st.integers(1, 2))
    def ask_return(self, data: st.DataObject, kind: str, quantity: int) -> None:
        if self.orders:
            order = data.draw(st.sampled_from(self.orders))
            sku = data.draw(st.sampled_from(SKUS))
            with contextlib.suppress(DomainError):
                self.returns.append(self.shop.ask_return(order, kind, (sku, quantity)))

    @rule(data=st.data(), decision=st.sampled_from(["approve", "reject", "receive"]))
    def decide_a_return(self, data: st.DataObject, decision: str) -> None:
        if self.returns:
            ret = data.draw(st.sampled_from(self.returns))
            with contextlib.suppress(DomainError):
                getattr(self.shop, decision)(ret)

    @rule(data=st.data(), lost=st.booleans())
    def a_parcel_travels(self, data: st.DataObject, lost: bool) -> None:
        """Dispatch, then delivered or lost: whole journeys, so that returns and refunds
        come up often enough for crashes to fall among their steps."""
        shipments = self._shipments("LABELLED")
        if shipments:
            shipment = data.draw(st.sampled_from(shipments))
            with contextlib.suppress(DomainError):
                self.shop.dispatch(shipment)
                self.shop.report(shipment, "LOST" if lost else "DELIVERED")

    @rule(data=st.data(), kind=st.sampled_from(["refund", "exchange"]))
    def a_return_comes_back(self, data: st.DataObject, kind: str) -> None:
        """Asked, approved and received at once."""
        delivered = [o for o in self._shipments("DELIVERED") if o in self.orders]
        if delivered:
            order = data.draw(st.sampled_from(delivered))
            sku = data.draw(st.sampled_from(SKUS))
            with contextlib.suppress(DomainError):
                ret = self.shop.ask_return(order, kind, (sku, 1))
                self.returns.append(ret)
                self.shop.approve(ret)
                self.shop.receive(ret)

    @rule()
    def worker_forgets_its_position(self) -> None:
        manager = self.shop.fulfilment.managers[0]
        manager.state.forget_position(manager.name)  # type: ignore[attr-defined]
        manager.forget()

    @invariant()
    def money_and_stock_add_up(self, settled: bool = False) -> None:
        assert_money_once(self.shop, self.orders, settled)
        assert_stock_conserved(self.shop, self.received, self.returns)
        assert_labels_once(self.shop, self.orders + self.returns)

    def _shipments(self, status: str | None = None) -> list[str]:
        """The orders and exchanges with a shipment (at `status`, if given)."""
        found = [(i, self.shop.shipment(i)) for i in self.orders + self.returns]
        return [i for i, s in found if s is not None and status in (None, s.status)]

    def teardown(self) -> None:
        try:
            self.countdown = 0
            for _ in range(4):  # people and the carrier finish what they started
                self.shop.settle()
                self._finish_everything()
            self.shop.settle()
            self.money_and_stock_add_up(settled=True)
            for shipment in self._shipments():
                assert self.shop.shipment(shipment).status in SHIPMENT_ENDS, shipment
            for ret in self.returns:
                assert self.shop.returned(ret).status in RETURN_ENDS, ret
        finally:
            self.shop.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _finish_everything(self) -> None:
        for shipment in self._shipments():
            status = self.shop.shipment(shipment).status
            with contextlib.suppress(DomainError):
                if status == "ON_HOLD":
                    self.shop.fix_address(shipment, ADDRESS)
                elif status == "LABELLED":
                    self.shop.dispatch(shipment)
                elif status in ("SHIPPED", "IN_TRANSIT"):
                    self.shop.report(shipment, "DELIVERED")
        for ret in self.returns:
            with contextlib.suppress(DomainError):
                status = self.shop.returned(ret).status
                if status == "REQUESTED":
                    self.shop.approve(ret)
                if status in ("REQUESTED", "APPROVED"):
                    self.shop.receive(ret)


FulfilmentMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("SHOP_PROPERTY_EXAMPLES", "25")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_fulfilment_invariants = FulfilmentMachine.TestCase
