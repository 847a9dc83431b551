"""A rebuild's batches checkpoint SQLite's WAL every 20,000 pages, live batches every 1,000
(SQLite's default), on the very connection that writes the batch."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventstore.log import EventLog
from projections.replay import replay
from projections.runner import catch_up
from projections.sqlbase import BULK_CHECKPOINT_PAGES, CHECKPOINT_PAGES, SqlView
from tests.projections.fixtures import log, shop, store, view_maker  # noqa: F401
from tests.projections.shopdata import Shop, random_traffic
from tests.projections.stores import ViewMaker


@pytest.fixture
def make(tmp_path: Path, shop: Shop) -> Iterator[ViewMaker]:
    shop.catalog()
    random_traffic(shop, 30)
    yield from view_maker("order_views", "sqlite", tmp_path)


def watched(view: SqlView) -> list[int]:
    """The `wal_autocheckpoint` of the connection each batch of `view` is saved on."""
    seen: list[int] = []
    save = view.save

    def save_and_look(conn: Any, generation: int, docs: Any) -> None:
        seen.append(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())
        save(conn, generation, docs)

    view.save = save_and_look  # type: ignore[method-assign]
    return seen


def test_a_replay_checkpoints_less_often_and_live_batches_as_before(make, log: EventLog):
    view = make()
    seen = watched(view)
    target = view.create_generation()

    replay(log, view, target, log.head(), batch_size=20)
    during = list(seen)
    seen.clear()
    catch_up(log, view, batch_size=20)  # the live generation, as the runner writes it

    assert len(during) > 3
    assert set(during) == {BULK_CHECKPOINT_PAGES}
    assert seen
    assert set(seen) == {CHECKPOINT_PAGES}
