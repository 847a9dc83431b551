"""Redis dropping its clients, and Redis restarting empty, while the hot lookups project.

Redis here keeps nothing on disk, so a restart loses the view and its position with it.
The runner must live through both: reconnect after the connections are killed, and
project the whole log again when it finds its position gone. Either way the view ends
equal to one built from scratch.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from app.backends import event_store_env
from config.settings import Settings
from eventstore.application import ShopStore
from eventstore.log import EventLog
from projections.runner import ProjectionRunner, catch_up
from tests.projections.poison import wait_until
from tests.projections.shopdata import Shop
from tests.projections.stores import ViewMaker
from tests.support.services import require_redis

pytestmark = pytest.mark.redis


def orders(shop: Shop, count: int, start: int) -> None:
    for index in range(start, start + count):
        shop.order(f"cust-{index}", {"SKU-MS1": 1, "SKU-KB1": 1})


def test_the_hot_lookups_live_through_dropped_connections_and_an_empty_restart(
    tmp_path: Path,
) -> None:
    store = ShopStore(event_store_env(Settings(data_dir=tmp_path / "events")))
    log, maker = EventLog(store), ViewMaker("hot_lookups", "redis", tmp_path)
    view = maker()
    runner = ProjectionRunner(log, {"hot_lookups": view}, idle_wait_s=0.01)
    admin = redis.Redis.from_url(require_redis())
    shop = Shop(store)
    shop.catalog()
    runner.start()
    try:
        orders(shop, 20, 0)
        killed = [admin.client_kill_filter(_type="normal", skipme=True)]  # all cut off
        orders(shop, 20, 20)
        wait_until(lambda: view.position() > 0)
        lost = [admin.delete(key) for key in admin.scan_iter(match=f"{view.ns}:*")]
        killed.append(admin.client_kill_filter(_type="normal", skipme=True))  # restarted
        orders(shop, 20, 40)
        wait_until(lambda: view.position() >= store.head(), timeout_s=20)
    finally:
        runner.stop()
    fresh = maker()
    catch_up(log, fresh)

    assert view.position() == fresh.position() == store.head()
    assert view.snapshot()[1] == fresh.snapshot()[1]
    assert all(count >= 1 for count in killed)  # the runner's connection among them
    assert sum(lost) > 0  # the view and its position were gone
    maker.cleanup.close()
    store.close()
