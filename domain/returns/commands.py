"""What can be asked of a return: request it, approve or reject it, record the goods'
arrival; the fulfilment manager records how it was settled.

Frozen dataclasses in the domain's words; `commands/returns.py` carries them out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestReturn:
    """`owner`: the customer asking, who must own the order (None: an admin)."""

    order_id: str
    idempotency_key: str
    kind: str
    lines: tuple[tuple[str, int], ...]
    reason: str
    owner: str | None = None


@dataclass(frozen=True)
class ApproveReturn:
    return_id: str


@dataclass(frozen=True)
class RejectReturn:
    return_id: str
    reason: str


@dataclass(frozen=True)
class ReceiveReturn:
    return_id: str


@dataclass(frozen=True)
class MarkReturnRefunded:
    return_id: str
    amount: int


@dataclass(frozen=True)
class MarkReturnExchanged:
    return_id: str
