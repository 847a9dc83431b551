"""A whole shop with fulfilment in-process: the checkout saga, the fulfilment manager, the
simulated carrier and gateway, and the admin's and carrier's hands."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

from app.run.fulfilment import build_fulfilment
from app.run.saga_runner import SagaRunner
from commands.carrier import SimulatedCarrier
from config.settings import Settings
from domain.order import PlaceOrder
from domain.returns import ApproveReturn, ReceiveReturn, RejectReturn, RequestReturn
from domain.shared import ids
from domain.shipment import CorrectAddress, DispatchShipment, RecordCarrierEvent
from tests.scenarios.shop import Shop

ADDRESS = {
    "name": "Kim",
    "line1": "1 Main St",
    "city": "Seoul",
    "postal_code": "04524",
    "country": "KR",
}
UNDELIVERABLE = ADDRESS | {"postal_code": "00000"}


def opened(settings: Settings) -> Iterator[FulfilmentShop]:
    """A FulfilmentShop for a fixture to yield, closed after the test."""
    shop = FulfilmentShop(settings)
    yield shop
    shop.close()


class FulfilmentShop(Shop):
    def __init__(
        self, settings: Settings, clock: Any = None, partitions: int = 1, **fulfilment: Any
    ) -> None:
        super().__init__(settings, partitions=partitions, clock=clock)
        self.carrier = SimulatedCarrier(settings.data_dir / "carrier" / "labels.sqlite3")
        self.fulfilment: SagaRunner = build_fulfilment(
            self.container, carrier=self.carrier, gateway=self.gateway, **fulfilment
        )

    def close(self) -> None:
        self.fulfilment.close()
        self.carrier.close()
        super().close()

    def settle(self) -> int:
        """Run the checkout saga and fulfilment until neither has anything left to do."""
        total = 0
        while handled := self.saga.run_until_idle() + self.fulfilment.run_until_idle():
            total += handled
        return total

    def place_to(self, address: dict[str, str] | None, *lines: tuple[str, int], **kw: Any) -> str:
        wanted = [{"sku": sku, "quantity": qty} for sku, qty in lines]
        command = PlaceOrder(
            kw.get("customer", "cust-1"),
            str(uuid4()),
            wanted,
            kw.get("coupon"),
            kw.get("token", "tok_ok"),
            address,
        )
        return ids.check_order_uuid(self.bus.handle(command).stream_id.split("-", 1)[1])

    # The admin and the carrier

    def dispatch(self, shipment_id: str) -> None:
        self.bus.handle(DispatchShipment(shipment_id, "admin:ops"))

    def fix_address(self, shipment_id: str, address: dict[str, str]) -> None:
        self.bus.handle(CorrectAddress(shipment_id, address))

    def report(
        self, shipment_id: str, status: str, event_id: str | None = None, at: str | None = None
    ) -> None:
        tracking = self.shipment(shipment_id).tracking_number
        occurred = at or self.clock().isoformat()
        self.bus.handle(RecordCarrierEvent(event_id or str(uuid4()), tracking, status, occurred))

    def deliver(self, shipment_id: str) -> None:
        """Dispatch, then the carrier's in-transit and delivered reports."""
        self.dispatch(shipment_id)
        self.report(shipment_id, "IN_TRANSIT")
        self.report(shipment_id, "DELIVERED")
        self.settle()

    def ask_return(
        self, order_id: str, kind: str, *lines: tuple[str, int], key: str | None = None
    ) -> str:
        command = RequestReturn(order_id, key or str(uuid4()), kind, lines, "did not fit")
        return self.bus.handle(command).stream_id.split("-", 1)[1]

    def approve(self, return_id: str) -> None:
        self.bus.handle(ApproveReturn(return_id))

    def reject(self, return_id: str) -> None:
        self.bus.handle(RejectReturn(return_id, "worn"))

    def receive(self, return_id: str) -> None:
        self.bus.handle(ReceiveReturn(return_id))

    # What the streams and the outside world say

    def shipment(self, shipment_id: str) -> Any:
        return self.store.find(ids.shipment_stream(shipment_id))

    def returned(self, return_id: str) -> Any:
        return self.store.get(ids.return_stream(return_id))

    def refunds(self, order_id: str) -> list[tuple[str, int, int]]:
        return self.gateway.refunds(ids.payment_stream(order_id))
