"""The one step of the checkout that is not a bus command.

Every other step the saga decides on is an aggregate's own command (`ReserveStock`,
`RequestPayment`, ...). Collecting the payment talks to the gateway, which no aggregate
may do, so the process manager carries it out through the payment gateway port.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CollectPayment:
    """Send the capture to the gateway (once per payment) and record its answer."""

    order_id: str
    amount: int
    currency: str
    token: str
