"""Checks for a product's descriptive details (the parts a catalog search shows)."""

from __future__ import annotations

from typing import Any

from domain.shared.checks import check_str_map, check_text

MAX_ATTRIBUTES = 50


def check_details(
    name: Any, description: Any, category: Any, brand: Any, attributes: Any
) -> dict[str, Any]:
    """The validated details as keyword arguments for `Product` events."""
    return {
        "name": check_text(name, "name", max_len=200),
        "description": check_text(
            description, "description", min_len=0, max_len=5000, multiline=True
        ),
        "category": check_text(category, "category", max_len=100),
        "brand": check_text(brand, "brand", max_len=100),
        "attributes": check_str_map(
            attributes, "attributes", max_entries=MAX_ATTRIBUTES, max_key=100, max_value=200
        ),
    }
