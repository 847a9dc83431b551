"""The command bus routes every write command to its handler."""

from __future__ import annotations

import pytest

from commands.bus import CommandBus, UnknownCommand
from domain.coupon import commands as coupon
from domain.inventory import ReceiveStock, ReserveStock
from domain.inventory import commands as inventory
from domain.order import PlaceOrder, RequestedLine
from domain.order import commands as order
from domain.payment import commands as payment
from domain.product import RegisterProduct
from domain.product import commands as product
from domain.returns import commands as returns
from domain.shipment import commands as shipment
from eventstore.application import ShopStore
from tests.builders import new_order_id


def test_every_command_class_has_a_handler(bus: CommandBus) -> None:
    modules = (product, inventory, coupon, order, payment, shipment, returns)
    commands = [
        value
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, type)
        and value.__module__ == module.__name__
        and name[0].isupper()
        and name != "RequestedLine"
    ]

    assert len(commands) == 38
    assert all(bus.handles(command) for command in commands)


def test_the_bus_runs_handlers_bound_to_the_store_and_clock(
    bus: CommandBus, store: ShopStore
) -> None:
    bus.handle(RegisterProduct("SKU-1", "Widget", "", "tools", "Acme", 100, "KRW"))
    bus.handle(ReceiveStock("SKU-1", 3))

    placed = bus.handle(PlaceOrder("cust-1", "k", [RequestedLine("SKU-1", 1)], None, "tok_ok"))
    reserved = bus.handle(ReserveStock("SKU-1", new_order_id(), 2))

    assert placed.changed
    assert reserved.changed
    assert store.get("inventory-SKU-1").available == 1


def test_an_unregistered_command_is_a_wiring_error(bus: CommandBus) -> None:
    with pytest.raises(UnknownCommand):
        bus.handle(object())
