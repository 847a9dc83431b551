"""Which carrier the fulfilment labels through, and the webhook's secret: chosen here, in
the composition root.

`SHOP_CARRIER_URL` set: the carrier over HTTP (`adapters.carrier_http.HttpCarrier`), the
simulated one `shop serve` starts as its child or `shop simulate carrier` elsewhere, or a
real one. Unset (a lone `shop worker saga`, the tests): the in-process simulated carrier,
its labels in `<data dir>/carrier/labels.sqlite3`.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.carrier_http import HttpCarrier
from api.auth import _secret_file
from commands.carrier import Carrier, SimulatedCarrier
from config.settings import ConfigurationError, Settings

SECRET_FILE = "carrier_webhook_secret"


def carrier(settings: Settings) -> tuple[Carrier, Callable[[], None]]:
    """The carrier and what closes it."""
    if settings.carrier_url:
        remote = HttpCarrier(settings.carrier_url)
        return remote, remote.close
    simulated = SimulatedCarrier(settings.data_dir / "carrier" / "labels.sqlite3")
    return simulated, simulated.close


def webhook_secret(settings: Settings) -> str:
    """SHOP_CARRIER_WEBHOOK_SECRET, or one generated once and kept in the data dir.

    The generated one serves the embedded default and any server that runs its own
    simulated carrier (SHOP_CARRIER_URL unset): the signer and the checker share the data
    dir. A carrier elsewhere cannot read it, so then the setting is required.
    """
    if settings.carrier_webhook_secret:
        return settings.carrier_webhook_secret
    if settings.carrier_url and settings.event_store not in ("sqlite", "memory"):
        raise ConfigurationError(
            "SHOP_CARRIER_WEBHOOK_SECRET must be set when SHOP_CARRIER_URL names a carrier"
            " outside the embedded default"
        )
    return _secret_file(settings.data_dir / SECRET_FILE)
