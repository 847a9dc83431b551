"""Wiring a `ShopStore` to the KurrentDB model: the factory, fresh URIs, foreign events."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from uuid import uuid4

from kurrentdbclient import NewEvent, StreamState

from app.backends import event_store_env
from config.settings import Settings
from eventstore.application import ShopStore
from eventstore.kurrentdb import ShopKurrentDBFactory
from tests.support.kurrentdb_model import KurrentDBModel

_ids = itertools.count()


class ModelFactory(ShopKurrentDBFactory):
    """`PERSISTENCE_MODULE` for a store on a model: the shop's own factory (deadlines,
    recorder) with the model serving `KURRENTDB_URI` in place of a gRPC connection."""

    def connect(self, uri: str, root_certificates: str | None) -> Any:
        return KurrentDBModel.serving(uri)


def model_uri() -> str:
    """A fresh URI for `serve()`: every model gets its own."""
    return f"kurrentdb://model-{next(_ids)}-{uuid4().hex[:8]}:2113?tls=false"


def store_on(
    model: KurrentDBModel, data_dir: Path, snapshot_intervals: Mapping[type, int] | None = None
) -> ShopStore:
    """A `ShopStore` configured as production configures KurrentDB, served by `model`."""
    settings = Settings(data_dir=data_dir, event_store="esdb", esdb_uri=model.serve(model_uri()))
    env = event_store_env(settings) | {"PERSISTENCE_MODULE": f"{__name__}:ModelFactory"}
    return ShopStore(env, snapshot_intervals)  # type: ignore[arg-type]


def write_foreign_events(model: KurrentDBModel, *types: str) -> None:
    """Events another application sharing the database appends (types the shop never wrote)."""
    for event_type in types:
        new = NewEvent(type=event_type, data=b"{}", content_type="application/json")
        model.append_events(f"other-{uuid4().hex}", events=[new], current_version=StreamState.ANY)
