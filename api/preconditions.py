"""`If-Match` on writes and `ETag` on reads: a stream's version, quoted.

A write with `If-Match: "3"` (or the weak `W/"3"`) runs only while its stream is at
version 3, else 412 `version_mismatch`; the handler checks it on the freshly loaded
aggregate, and a writer slipping in before the save turns the save into a conflict that
is retried and then refused. `*` (any version) is the same as no header. Anything else,
including a list of versions, is a malformed header: 400 `invalid_header`, because a
header the server cannot read must not silently become "no precondition".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Response

IF_MATCH_PATTERN = r'^(\*|(W/)?"[0-9]{1,18}")$'

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=IF_MATCH_PATTERN,
        description='The stream version the write expects, as its `ETag` showed it: `"3"` '
        'or `W/"3"`. Another version: 412 `version_mismatch`. Malformed: 400.',
    ),
]


async def expected_version(if_match: IfMatchHeader = None) -> int | None:
    """The version `If-Match` names, or None when there is no precondition."""
    if if_match is None or if_match == "*":
        return None
    return int(if_match.removeprefix("W/").strip('"'))


ExpectedVersion = Annotated[int | None, Depends(expected_version)]


def set_etag(response: Response, version: int | None) -> None:
    """`ETag: "<version>"`; none for a read model built before it kept versions."""
    if version is not None:
        response.headers["ETag"] = f'"{version}"'
