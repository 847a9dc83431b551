"""Customers contract: account rows on SQLite and PostgreSQL, and never a personal field."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.passwords import Argon2Passwords
from commands.bus import CommandBus, build_command_bus
from commands.customer import customer_handlers
from domain.customer import ChangeProfile, EraseCustomer, SignUp
from eventstore.application import ShopStore
from eventstore.log import EventLog
from projections.customers.view import Customers
from projections.runner import catch_up
from tests.projections.contract import (  # noqa: F401 - collected here, run on these views
    test_a_bulk_replay_equals_a_view_followed_event_by_event,
    test_a_projector_killed_mid_batch_ends_like_an_uninterrupted_one,
    test_a_rebuild_under_writes_equals_the_live_view,
    test_duplicate_deliveries_change_nothing,
    test_replaying_the_whole_log_changes_nothing,
)
from tests.projections.fixtures import log, shop, store, view_maker  # noqa: F401
from tests.projections.shopdata import Shop
from tests.projections.stores import SQL_STORES, ViewMaker
from tests.unit.commands.setup import NOW

HOME = {"name": "Ann", "line1": "1 Main St", "city": "Seoul", "postal_code": "1", "country": "KR"}


@pytest.fixture
def accounts(store: ShopStore) -> CommandBus:
    passwords = Argon2Passwords(time_cost=1, memory_kib=1024, parallelism=1)
    return build_command_bus(store, lambda: NOW, extra=customer_handlers(store, passwords, True))


@pytest.fixture
def history(accounts: CommandBus, shop: Shop) -> list[str]:
    """Six accounts, newest last; the second changed its profile, the third was erased.
    (The catalogue is for the shared rebuild test's traffic.)"""
    shop.catalog()
    made = []
    for number in range(6):
        signed = accounts.handle(SignUp(f"c{number}@example.com", "correct horse", f"C {number}"))
        made.append(signed.stream_id.removeprefix("customer-"))
    accounts.handle(ChangeProfile(made[1], name="Renamed", addresses=(HOME,)))
    accounts.handle(EraseCustomer(made[2]))
    return made


@pytest.fixture(params=SQL_STORES)
def make(request: pytest.FixtureRequest, tmp_path: Path, history: list) -> Iterator[ViewMaker]:
    yield from view_maker("customers", request.param, tmp_path)


@pytest.fixture
def view(make: ViewMaker, log: EventLog) -> Customers:
    view = make()
    catch_up(log, view)
    return view  # type: ignore[return-value]


@pytest.fixture
def query():  # noqa: ANN201
    return lambda view: view.page(0, 10)


def test_the_page_lists_accounts_newest_first_with_their_status(view, history) -> None:
    total, rows = view.page(0, 4)

    assert total == 6
    assert [row["customer_id"] for row in rows] == history[::-1][:4]
    assert {row["status"] for row in rows} == {"ACTIVE", "ERASED"}
    assert view.customer(history[2])["status"] == "ERASED"
    assert view.customer("nobody") is None


def test_no_row_holds_an_email_name_or_address(view, history) -> None:
    _, stored = view.snapshot()

    text = repr(stored)
    assert "@example.com" not in text
    assert "Renamed" not in text
    assert "Main St" not in text
    assert set(view.customer(history[1])) == {
        "customer_id",
        "status",
        "registered_at",
        "updated_at",
        "position",
    }
