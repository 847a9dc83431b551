"""Errors a query raises for bad input, so the API can answer 4xx instead of guessing."""

from __future__ import annotations

from typing import Any


class InvalidQuery(ValueError):
    """A query parameter is out of range or unknown; `field` names it."""

    code = "invalid_query"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = f"{field}: {message}"


def check_int(value: Any, field: str, low: int, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidQuery(field, "must be an integer")
    if value < low or (high is not None and value > high):
        upper = "" if high is None else f" and at most {high}"
        raise InvalidQuery(field, f"must be at least {low}{upper}, got {value}")
    return value


def check_choice(value: Any, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidQuery(field, f"must be one of {', '.join(choices)}, got {value!r}")
    return str(value)


def check_text(value: Any, field: str, max_len: int = 200) -> str:
    if not isinstance(value, str) or len(value) > max_len:
        raise InvalidQuery(field, f"must be a string of at most {max_len} characters")
    return value


def check_paging(page: Any, size: Any, max_size: int = 100, max_offset: int = 10_000) -> int:
    """The offset of `page` (1-based) of `size` items, refusing pages past `max_offset`."""
    check_int(page, "page", 1)
    check_int(size, "size", 1, max_size)
    offset: int = (page - 1) * size
    if offset + size > max_offset:
        raise InvalidQuery("page", f"page * size may be at most {max_offset}")
    return offset
