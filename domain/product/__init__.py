"""Catalog: one Product aggregate per sku."""

from domain.product.aggregate import Product
from domain.product.errors import ProductAlreadyRegistered, ProductDiscontinued, UnknownProduct

__all__ = ["Product", "ProductAlreadyRegistered", "ProductDiscontinued", "UnknownProduct"]
