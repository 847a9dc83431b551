"""The saga's payment provider: SHOP_PSP_URL's over HTTP, else the in-process simulator."""

from __future__ import annotations

from pathlib import Path

from adapters.psp_http import HttpPaymentGateway
from app.payments import payment_gateway
from commands.payment_gateway import SimulatedGateway
from config.settings import Settings


def test_a_psp_url_is_reached_over_http(tmp_path: Path) -> None:
    gateway, close = payment_gateway(Settings(data_dir=tmp_path, psp_url="http://psp:8090"))
    assert isinstance(gateway, HttpPaymentGateway)
    close()
    assert not (tmp_path / "gateway.sqlite3").exists()


def test_without_one_the_simulator_runs_in_process(tmp_path: Path) -> None:
    gateway, close = payment_gateway(Settings(data_dir=tmp_path, psp_url=None))
    assert isinstance(gateway, SimulatedGateway)
    close()
    assert (tmp_path / "gateway.sqlite3").exists()
