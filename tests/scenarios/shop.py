"""A whole shop in-process for saga scenarios: store, bus, saga, simulated gateway, clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from app.bootstrap import Container, bootstrap
from app.run.saga import build_saga
from app.run.saga_runner import SagaRunner
from commands.payment_gateway import SimulatedGateway
from config.settings import Settings
from domain.coupon import DefineCoupon
from domain.inventory import ReceiveStock
from domain.order import PlaceOrder, RequestCancellation
from domain.payment import CapturePayment
from domain.product import RegisterProduct
from domain.shared import ids

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Shop:
    """Admin, customers and the saga of one isolated shop; `settle()` runs the saga dry."""

    def __init__(
        self, settings: Settings, partitions: int = 1, clock: Any = None, **saga: Any
    ) -> None:
        self.clock = clock or FakeClock()
        self.container: Container = bootstrap(settings, clock=self.clock)
        self.gateway = SimulatedGateway(settings.data_dir / "gateway.sqlite3")
        self.saga: SagaRunner = build_saga(
            self.container, gateway=self.gateway, partitions=partitions, **saga
        )
        self.store = self.container.store
        self.bus = self.container.bus

    def close(self) -> None:
        self.saga.close()
        self.gateway.close()
        self.container.close()

    # Admin

    def stock(self, sku: str, quantity: int, price: int = 1000) -> None:
        if self.store.find(ids.product_stream(sku)) is None:
            self.bus.handle(RegisterProduct(sku, sku, "", "tools", "Acme", price, "KRW"))
        if quantity:
            self.bus.handle(ReceiveStock(sku, quantity))

    def coupon(self, code: str, value: int = 10, **rules: Any) -> None:
        self.bus.handle(DefineCoupon(code, "percent", value, **rules))

    # Customers

    def place(
        self,
        *lines: tuple[str, int],
        token: str = "tok_ok",
        coupon: str | None = None,
        customer: str = "cust-1",
    ) -> str:
        wanted = [{"sku": sku, "quantity": qty} for sku, qty in lines]
        command = PlaceOrder(customer, str(uuid4()), wanted, coupon, token)
        return ids.check_order_uuid(self.bus.handle(command).stream_id.split("-", 1)[1])

    def cancel(self, order_id: str, by: str = "cust-1") -> None:
        self.bus.handle(RequestCancellation(order_id, by))

    # The world outside

    def settle(self) -> int:
        return self.saga.run_until_idle()

    def deliver_late_captures(self) -> int:
        """The gateway's webhook: the captures it made after all."""
        late = self.gateway.deliver_late_captures()
        for pay_id, reference in late:
            self.bus.handle(CapturePayment(pay_id.split("-", 1)[1], reference))
        return len(late)

    # What the streams say

    def order(self, order_id: str) -> Any:
        return self.store.get(ids.order_stream(order_id))

    def item(self, sku: str) -> Any:
        return self.store.get(ids.inventory_stream(sku))

    def coupon_state(self, code: str) -> Any:
        return self.store.get(ids.coupon_stream(code))

    def payment(self, order_id: str) -> Any:
        return self.store.find(ids.payment_stream(order_id))

    def checkout(self, order_id: str) -> Any:
        return self.store.get(ids.checkout_stream(order_id))

    def captures(self, order_id: str) -> dict[str, int]:
        return self.gateway.counts(ids.payment_stream(order_id))
