"""Refusals of the Product aggregate and of the catalog commands."""

from __future__ import annotations

from domain.shared.base import DomainError, NotFound


class ProductAlreadyRegistered(DomainError):
    code = "product_already_registered"


class ProductDiscontinued(DomainError):
    code = "product_discontinued"


class UnknownProduct(NotFound):
    code = "unknown_product"
