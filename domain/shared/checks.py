"""Small value checks shared by the aggregates: each raises `InvalidInput` naming the field."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.shared.base import InvalidInput

_LINE_BREAKS = frozenset("\n\r\t")
# Unicode categories no shop text may hold: control characters (Cc) and lone surrogates
# (Cs: JSON's "\ud800" escape makes one, and no store can encode it).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})


def check_text(
    value: Any, name: str, *, min_len: int = 1, max_len: int = 200, multiline: bool = False
) -> str:
    """A string of `min_len..max_len` characters, not blank, with no control characters
    (tab and line breaks allowed when `multiline`)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string")
    if not min_len <= len(value) <= max_len:
        raise InvalidInput(f"{name} must be {min_len}..{max_len} characters, got {len(value)}")
    if min_len > 0 and not value.strip():
        raise InvalidInput(f"{name} must not be blank")
    allowed = _LINE_BREAKS if multiline else frozenset()
    for char in value:
        if unicodedata.category(char) in _REFUSED_CATEGORIES and char not in allowed:
            raise InvalidInput(f"{name} must not contain control characters, got {char!r}")
    return value


def check_int(value: Any, name: str, *, low: int, high: int) -> int:
    # bool is an int subclass: True must not pass for 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be an integer")
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}, got {value}")
    return value


def check_optional_int(value: Any, name: str, *, low: int, high: int) -> int | None:
    return None if value is None else check_int(value, name, low=low, high=high)


def check_str_map(
    value: Any, name: str, *, max_entries: int = 50, max_key: int = 100, max_value: int = 200
) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{name} must be an object of strings")
    if len(value) > max_entries:
        raise InvalidInput(f"{name} may have at most {max_entries} entries, got {len(value)}")
    for key, item in value.items():
        check_text(key, f"{name} key", max_len=max_key)
        check_text(item, f"{name}[{key}]", min_len=0, max_len=max_value)
    return dict(value)


def check_aware(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput(f"{name} must be a timezone-aware datetime")
    return value


def check_uuid(value: Any, name: str) -> str:
    try:
        return str(UUID(value))
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput(f"{name} must be a UUID, got {value!r}") from None
