"""The newest events of the log, read backwards on every backend.

"The last N events" cannot be `head - N`: KurrentDB positions are byte offsets and a
read must start at one that exists, and even PostgreSQL's sequence leaves gaps. Each
backend reads from its end instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.popo import POPOApplicationRecorder


def last_notifications(
    recorder: ApplicationRecorder, limit: int, topics: Sequence[str]
) -> list[Notification]:
    """Up to `limit` of the newest events whose topic is in `topics`, newest first."""
    if limit <= 0 or not topics:
        return []
    select_last = getattr(recorder, "select_last", None)
    if select_last is not None:  # KurrentDB and our SQLite recorder
        return list(select_last(limit, topics))
    if isinstance(recorder, POPOApplicationRecorder):
        return _popo_last(recorder, limit, topics)
    return _postgres_last(recorder, limit, topics)


def _postgres_last(recorder: Any, limit: int, topics: Sequence[str]) -> list[Notification]:
    # Imported here: a process on SQLite never loads the PostgreSQL driver.
    from eventsourcing.postgres import PostgresApplicationRecorder
    from psycopg.sql import SQL, Identifier

    if not isinstance(recorder, PostgresApplicationRecorder):
        raise NotImplementedError(f"{type(recorder).__name__} cannot read backwards")
    statement = SQL(
        "SELECT * FROM {schema}.{table} WHERE topic = ANY(%s) "
        "ORDER BY notification_id DESC LIMIT %s"
    ).format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
    )
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, [list(topics), limit])
        return [
            Notification(
                id=row["notification_id"],
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in curs.fetchall()
        ]


def _popo_last(
    recorder: POPOApplicationRecorder, limit: int, topics: Sequence[str]
) -> list[Notification]:
    """The in-memory store's positions are list indexes from 1: scan it from the end."""
    wanted, found = set(topics), []
    for index in range(len(recorder._stored_events), 0, -1):
        stored = recorder._stored_events[index - 1]
        if stored.topic in wanted:
            found.append(
                Notification(
                    id=index,
                    originator_id=stored.originator_id,
                    originator_version=stored.originator_version,
                    topic=stored.topic,
                    state=stored.state,
                )
            )
            if len(found) == limit:
                break
    return found
