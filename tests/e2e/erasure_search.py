"""Where a person's strings could hide around a live `shop serve`: each file under its
data dir, each row of its PostgreSQL schema, each value in its Redis database; and a Redis
database of the test's own."""

from __future__ import annotations

import base64
import fcntl
import os
import quopri
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg
import redis
from psycopg import sql

NAMESPACE = "rm:*"  # where `shop serve` keeps its Redis views, whatever else shares the server
Found = list[tuple[str, str]]  # (where, which string)
Needle = str | bytes  # a string of the person, or their data key


def everywhere(data_dir: Path, env: dict[str, str], needles: Sequence[Needle]) -> Found:
    """Every file around the server (its data dir, its log), and on PostgreSQL every row of
    its schema and every value in the Redis database."""
    found = in_files(data_dir.parent, needles)
    if env.get("SHOP_EVENT_STORE") == "postgres":
        found += in_schema(env["SHOP_POSTGRES_DSN"], env["SHOP_POSTGRES_SCHEMA"], needles)
        found += in_redis(env["SHOP_REDIS_URL"], needles)
    return found


@contextmanager
def redis_of_our_own(url: str) -> Iterator[str]:
    """A database of the Redis server at `url` with nothing under the namespace `shop serve`
    writes (views of another server there would mix with ours): the one `url` names, else
    the next free one down from 14; held with a lock file while in use, its keys of that
    namespace deleted after."""
    parsed = urlparse(url)
    named = int(parsed.path.strip("/") or 0)
    for db in dict.fromkeys([named, *range(14, 0, -1)]):
        lock_path = Path(tempfile.gettempdir()) / f"shop-e2e-redis-{parsed.port}-{db}.lock"
        with lock_path.open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            ours = urlunparse(parsed._replace(path=f"/{db}"))
            client = redis.Redis.from_url(ours)
            try:
                if next(client.scan_iter(match=NAMESPACE, count=1000), None) is not None:
                    continue
                try:
                    yield ours
                finally:
                    keys = list(client.scan_iter(match=NAMESPACE, count=1000))
                    if keys:
                        client.delete(*keys)
                return
            finally:
                client.close()
    raise RuntimeError(f"no Redis database at {url} without keys {NAMESPACE}")


def forms(needle: Needle) -> list[bytes]:
    """A string as bytes, case-folded, and as PostgreSQL prints bytea (hex); a key's bytes
    as they are, in hex and in base64."""
    if isinstance(needle, bytes):
        return [needle, needle.hex().encode(), base64.b64encode(needle).rstrip(b"=")]
    raw = needle.encode()
    folded = needle.lower().encode()
    return [raw, folded, raw.hex().encode(), folded.hex().encode()]


def found_in(blob: bytes, needles: Sequence[Needle]) -> list[str]:
    """The needles in `blob` as it is, case-folded (ASCII, as the strings are), and read as
    quoted-printable (a message body wraps its lines with soft breaks)."""
    haystacks = (blob, blob.lower(), quopri.decodestring(blob).lower())
    return [label(n) for n in needles if any(f in h for f in forms(n) for h in haystacks)]


def label(needle: Needle) -> str:
    return needle if isinstance(needle, str) else f"data key {needle.hex()[:8]}..."


def files_under(root: Path) -> Iterator[Path]:
    for folder, _, names in os.walk(root):
        for name in names:
            yield Path(folder) / name


def in_files(root: Path, needles: Sequence[Needle]) -> Found:
    """Every file under `root`, read as bytes (SQLite -wal, -shm and -journal files,
    the outbox, the simulators' files and the server's log included)."""
    found: Found = []
    for path in files_under(root):
        try:
            blob = path.read_bytes()
        except FileNotFoundError:  # a journal gone between the listing and the read
            continue
        found += [(str(path.relative_to(root)), n) for n in found_in(blob, needles)]
    return found


def in_schema(dsn: str, schema: str, needles: Sequence[Needle]) -> Found:
    """Every row of every table of the schema, as PostgreSQL prints it."""
    found: Found = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL("SELECT t::text FROM {}.{} t").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            for (row,) in conn.execute(query):
                found += [(f"{schema}.{table}", n) for n in found_in(row.encode(), needles)]
    return found


def in_redis(url: str, needles: Sequence[Needle]) -> Found:
    """Every key of the Redis database and every value under it, whatever its type."""
    client = redis.Redis.from_url(url)
    found: Found = []
    try:
        for key in client.scan_iter(count=1000):
            blob = key + b"\n" + b"\n".join(redis_values(client, key))
            found += [(f"redis {key.decode(errors='replace')}", n) for n in found_in(blob, needles)]
    finally:
        client.close()
    return found


def redis_values(client: redis.Redis, key: bytes) -> list[bytes]:
    """The value of `key`, whatever its type, as a list of byte strings."""
    kind = client.type(key)
    kind = kind.decode() if isinstance(kind, bytes) else str(kind)
    read: dict[str, Any] = {
        "string": lambda: [client.get(key)],
        "hash": lambda: [part for pair in client.hgetall(key).items() for part in pair],
        "list": lambda: client.lrange(key, 0, -1),
        "set": lambda: list(client.smembers(key)),
        "zset": lambda: client.zrange(key, 0, -1),
        "stream": lambda: [repr(client.xrange(key))],  # the entries' bytes, printed
    }
    values: list[Any] = read[kind]() if kind in read else []  # "none": gone since the scan
    return [v if isinstance(v, bytes) else str(v).encode() for v in values]


def data_key(data_dir: Path, env: dict[str, str], customer_id: str) -> bytes:
    """The customer's data key, read from the key store as it is."""
    row: Any
    if env.get("SHOP_EVENT_STORE") == "postgres":
        query = sql.SQL("SELECT data_key FROM {}.data_keys WHERE subject = %s").format(
            sql.Identifier(env["SHOP_POSTGRES_SCHEMA"])
        )
        with psycopg.connect(env["SHOP_POSTGRES_DSN"]) as conn:
            row = conn.execute(query, (customer_id,)).fetchone()
    else:
        path = data_dir / "keys.sqlite3"
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute(
                "SELECT data_key FROM data_keys WHERE subject = ?", (customer_id,)
            ).fetchone()
    assert row is not None, f"no data key for {customer_id}"
    return bytes(row[0])
