"""Catalog: one Product aggregate per sku."""

from domain.product.aggregate import Product
from domain.product.commands import (
    ChangePrice,
    ChangeProductDetails,
    DiscontinueProduct,
    RegisterProduct,
)
from domain.product.errors import ProductAlreadyRegistered, ProductDiscontinued, UnknownProduct

__all__ = [
    "ChangePrice",
    "ChangeProductDetails",
    "DiscontinueProduct",
    "Product",
    "ProductAlreadyRegistered",
    "ProductDiscontinued",
    "RegisterProduct",
    "UnknownProduct",
]
