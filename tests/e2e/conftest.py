"""A live `shop serve` per module, stopped with SIGTERM at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.server import ShopServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShopServer]:
    live = ShopServer(tmp_path_factory.mktemp("shop") / "var").start()
    yield live
    live.stop()
