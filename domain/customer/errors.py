"""Refusals of customer accounts."""

from __future__ import annotations

from domain.shared.base import DomainError, NotFound


class UnknownCustomer(NotFound):
    code = "unknown_customer"


class EmailTaken(DomainError):
    """Another account holds this email (also the loser of two racing sign-ups)."""

    code = "email_taken"


class CustomerErased(DomainError):
    """Nothing is recorded for an erased customer: their account is closed for good."""

    code = "customer_erased"
