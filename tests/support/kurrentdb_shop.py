"""A whole shop on the KurrentDB double: `settings_for("kurrentdb-model")` builds on it.

The settings are a KurrentDB deployment's (`SHOP_EVENT_STORE=esdb` and a URI), so the saga
state, leases and dead letters live in the data dir's SQLite file, as in production
(`app.backends.state_engine`). For the test's duration the shop's own factory reaches the
model serving that URI instead of opening a gRPC connection; everything above the client
(recorder, deadlines, log, bootstrap) runs unchanged.

The model lives in the test's process: a process of its own (`shop dead-letters`) gets
the same settings, and can do what needs no event store (list, skip, hand an order back
to the saga), but cannot read the log.
"""

from __future__ import annotations

import pytest

from eventstore.kurrentdb import ShopKurrentDBFactory
from tests.support.kurrentdb_model import KurrentDBModel
from tests.support.kurrentdb_wiring import ModelFactory, model_uri, write_foreign_events


def serve_shop_model(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh model, shared as a real server is (another application's events), and the
    URI of it that `bootstrap()` reaches until the test ends."""
    model = KurrentDBModel()
    write_foreign_events(model, "OtherApp.OrderShipped")
    monkeypatch.setattr(ShopKurrentDBFactory, "connect", ModelFactory.connect)
    return model.serve(model_uri())
