"""Which payment provider the saga captures through: chosen here, in the composition root.

`SHOP_PSP_URL` set: the provider over HTTP (`adapters.psp_http.HttpPaymentGateway`), the
simulated one `shop serve` starts as its child or `shop simulate psp` elsewhere, or a real
one. Unset (a lone `shop worker saga`, the tests): the in-process simulated gateway, its
answers in `gateway.sqlite3` in the data dir.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.psp_http import HttpPaymentGateway
from commands.payment_gateway import PaymentGateway, SimulatedGateway
from config.settings import Settings


def payment_gateway(settings: Settings) -> tuple[PaymentGateway, Callable[[], None]]:
    """The gateway and what closes it."""
    if settings.psp_url:
        remote = HttpPaymentGateway(settings.psp_url)
        return remote, remote.close
    simulated = SimulatedGateway(settings.data_dir / "gateway.sqlite3")
    return simulated, simulated.close
