"""Refusals of returns."""

from __future__ import annotations

from domain.shared.base import DomainError, NotFound


class UnknownReturn(NotFound):
    code = "unknown_return"


class ReturnNotAllowed(DomainError):
    """The order is not delivered, the window has closed, or the units do not fit."""

    code = "return_not_allowed"


class ReturnAlreadyDecided(DomainError):
    code = "return_already_decided"


class ReturnNotApproved(DomainError):
    code = "return_not_approved"
