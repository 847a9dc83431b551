"""The carrier the fulfilment labels through, and the webhook secret the two sides share."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.carrier_http import HttpCarrier
from app.carriers import carrier, webhook_secret
from commands.carrier import SimulatedCarrier
from config.settings import ConfigurationError, Settings


def test_a_carrier_url_is_reached_over_http(tmp_path: Path) -> None:
    chosen, close = carrier(Settings(data_dir=tmp_path, carrier_url="http://carrier:8091"))
    assert isinstance(chosen, HttpCarrier)
    close()
    assert not (tmp_path / "carrier").exists()


def test_without_one_the_simulator_runs_in_process(tmp_path: Path) -> None:
    chosen, close = carrier(Settings(data_dir=tmp_path, carrier_url=None))
    assert isinstance(chosen, SimulatedCarrier)
    assert chosen.name == "simulated"
    close()
    assert (tmp_path / "carrier" / "labels.sqlite3").exists()


def test_a_given_secret_is_used_as_is(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, carrier_webhook_secret="given")
    assert webhook_secret(settings) == "given"
    assert not (tmp_path / "carrier_webhook_secret").exists()


def test_the_embedded_default_generates_one_secret_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, carrier_webhook_secret=None)

    first = webhook_secret(settings)

    assert len(first) >= 32
    assert webhook_secret(Settings(data_dir=tmp_path, carrier_webhook_secret=None)) == first
    assert (tmp_path / "carrier_webhook_secret").read_text().strip() == first


def test_an_outside_carrier_on_a_server_store_needs_the_setting(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        event_store="postgres",
        carrier_url="http://carrier:8091",
        carrier_webhook_secret=None,
    )

    with pytest.raises(ConfigurationError, match="SHOP_CARRIER_WEBHOOK_SECRET"):
        webhook_secret(settings)
