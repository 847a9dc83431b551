"""Returns: one Return aggregate per request, for a refund or an exchange."""

from domain.returns.aggregate import Return
from domain.returns.commands import (
    ApproveReturn,
    MarkReturnExchanged,
    MarkReturnRefunded,
    ReceiveReturn,
    RejectReturn,
    RequestReturn,
)
from domain.returns.errors import (
    ReturnAlreadyDecided,
    ReturnNotAllowed,
    ReturnNotApproved,
    UnknownReturn,
)
from domain.returns.values import ReturnKind, ReturnStatus, refund_share

__all__ = [
    "ApproveReturn",
    "MarkReturnExchanged",
    "MarkReturnRefunded",
    "ReceiveReturn",
    "RejectReturn",
    "RequestReturn",
    "Return",
    "ReturnAlreadyDecided",
    "ReturnKind",
    "ReturnNotAllowed",
    "ReturnNotApproved",
    "ReturnStatus",
    "UnknownReturn",
    "refund_share",
]
