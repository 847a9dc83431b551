"""Building the fulfilment process manager: in-process (tests, the memory store) or leased in
`shop worker saga`, beside the checkout managers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from app.backends import state_engine
from app.carriers import carrier as configured_carrier
from app.payments import payment_gateway
from app.run.saga_runner import SagaRunner
from commands.bus import build_command_bus
from commands.carrier import Carrier
from commands.fulfilment.driver import FulfilmentDriver
from commands.fulfilment.effects import Effects
from commands.fulfilment.manager import NAME, FulfilmentProcessManager
from commands.fulfilment.parking import FulfilmentParking
from commands.fulfilment.steps import StepRunner
from commands.payment_gateway import PaymentGateway
from commands.process_managers.messages import no_crash
from commands.process_managers.state import SagaState
from commands.process_managers.unit import UnitOfWork
from domain.fulfilment import Fulfilment
from eventstore.application import ShopStore
from eventstore.dead_letters import DeadLetters
from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LeaseTable


def build_fulfilment(
    container: Any,
    carrier: Carrier | None = None,
    gateway: PaymentGateway | None = None,
    crash: Callable[[str], None] = no_crash,
    leased: bool = False,
    engine: Engine | None = None,
    store: ShopStore | None = None,
) -> SagaRunner:
    """The fulfilment manager over `container`'s store and log; not started.

    `carrier` and `gateway` default to the configured ones (`SHOP_CARRIER_URL`,
    `SHOP_PSP_URL`, else the in-process simulators in the data dir). `leased`: run only
    while this process holds the one `fulfilment` lease among every saga worker.
    `store`: the one its steps load and save through (default the container's).
    """
    settings = container.settings
    owned = engine is None  # else the caller's (the saga worker's), and the caller closes it
    engine = state_engine(settings) if engine is None else engine
    state, letters = SagaState(engine), DeadLetters(engine)
    if settings.create_tables:
        state.create_tables()
        letters.create_tables()
    runner = SagaRunner([], container.store)
    if owned:
        runner._closers.append(engine.dispose)
    if carrier is None:
        carrier, close_carrier = configured_carrier(settings)
        runner._closers.append(close_carrier)
    if gateway is None:
        gateway, close_gateway = payment_gateway(settings)
        runner._closers.append(close_gateway)
    # A batch's steps are appended together (one transaction before each effect leaves,
    # one at the end), except on EventStoreDB, whose appends hold one stream each.
    group_commit = settings.event_store != "esdb"
    unit = UnitOfWork(container.store if store is None else store, write_through=not group_commit)
    bus = build_command_bus(unit, container.clock, settings.return_window_days)

    chosen: tuple[Carrier, PaymentGateway] = (carrier, gateway)

    def runner_for(save: Callable[[Fulfilment], None]) -> StepRunner:
        return StepRunner(unit, bus, Effects(unit, *chosen, save, crash, unit.commit), save)

    driver = FulfilmentDriver(unit, runner_for, crash)
    parking = FulfilmentParking(letters, settings.max_attempts, container.clock)
    runner.managers.append(FulfilmentProcessManager(container.log, state, driver, parking))
    if leased:
        runner.partitions = {NAME: 0}
        runner.leases = LeaseKeeper(LeaseTable(engine), NAME, [NAME], settings.lease_ttl_s)
    return runner
