"""The subset of JSON Schema (draft 2020-12) our integration event schemas use, checked
by hand: `jsonschema` is not a dependency, and this much is enough to catch a field that
leaks, goes missing or changes type."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from uuid import UUID

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "integration-events"
TYPES = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "object": dict,
    "array": list,
    "null": type(None),
}


def schema_of(kind: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMAS / f"{kind}.schema.json").read_text()))


def errors(value: Any, schema: dict[str, Any], at: str = "$") -> list[str]:
    found: list[str] = []
    if "const" in schema and value != schema["const"]:
        found.append(f"{at}: {value!r} is not {schema['const']!r}")
    if "type" in schema and not _typed(value, schema["type"]):
        return [*found, f"{at}: {value!r} is not of type {schema['type']}"]
    if isinstance(value, dict):
        found += _object(value, schema, at)
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            found.append(f"{at}: fewer than {schema['minItems']} items")
        found += [e for i, v in enumerate(value) for e in errors(v, schema["items"], f"{at}[{i}]")]
    if isinstance(value, int) and value < schema.get("minimum", value):
        found.append(f"{at}: {value} is below {schema['minimum']}")
    if isinstance(value, str):
        found += _string(value, schema, at)
    return found


def _typed(value: Any, kinds: str | list[str]) -> bool:
    wanted = [kinds] if isinstance(kinds, str) else kinds
    if isinstance(value, bool):
        return "boolean" in wanted
    return any(isinstance(value, TYPES[kind]) for kind in wanted)


def _object(value: dict[str, Any], schema: dict[str, Any], at: str) -> list[str]:
    found = [f"{at}: {k} is missing" for k in schema.get("required", []) if k not in value]
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            found += errors(item, properties[key], f"{at}.{key}")
        elif extra is False:
            found.append(f"{at}: {key} is not allowed")
        elif isinstance(extra, dict):
            found += errors(item, extra, f"{at}.{key}")
    return found


def _string(value: str, schema: dict[str, Any], at: str) -> list[str]:
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return [f"{at}: {value!r} does not match {schema['pattern']}"]
    try:
        if schema.get("format") == "uuid":
            UUID(value)
        if schema.get("format") == "date-time":
            re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)", value).end()  # type: ignore[union-attr]
    except (ValueError, AttributeError):
        return [f"{at}: {value!r} is not a {schema['format']}"]
    return []
