"""Money as integer minor units plus an ISO 4217 code: no floats on the money path."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry

from domain.shared.base import InvalidInput


@cache
def iso_currencies() -> frozenset[str]:
    """ISO 4217 alphabetic codes, as the maintained `pycountry` data lists them."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def check_currency(currency: str) -> str:
    if not isinstance(currency, str) or currency not in iso_currencies():
        raise InvalidInput(f"currency must be an ISO 4217 code such as EUR, got {currency!r}")
    return currency


def check_amount(amount: int, name: str = "amount", *, positive: bool = True) -> int:
    # bool is an int subclass: True must not pass for 1 minor unit.
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise InvalidInput(f"{name} must be an integer number of minor units")
    if amount < (1 if positive else 0):
        raise InvalidInput(f"{name} must be {'> 0' if positive else '>= 0'}, got {amount}")
    return amount


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        check_amount(self.amount, positive=False)
        check_currency(self.currency)
