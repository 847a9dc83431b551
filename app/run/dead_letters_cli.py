"""Backends of `shop dead-letters list | retry ID|--all | skip ID`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.table import Table

from app.bootstrap import bootstrap
from app.dead_letters import DeadLetterDesk, Retried, UnknownDeadLetter
from config.settings import Settings
from eventstore.dead_letters import DeadLetter

T = TypeVar("T")
COLUMNS = "id consumer position stream version topic attempts first_failed last_failed error"


@contextmanager
def desk() -> Iterator[DeadLetterDesk]:
    container = bootstrap(Settings())
    try:
        yield DeadLetterDesk(container.read_models, container.log, container.clock)
    finally:
        container.close()


def letters_table(letters: list[DeadLetter]) -> Table:
    table = Table(title=f"Dead letters ({len(letters)} parked)")
    for column in COLUMNS.split():
        table.add_column(column.replace("_", " "), overflow="fold")
    for letter in letters:
        table.add_row(
            *map(str, (letter.id, letter.consumer, letter.position, letter.stream)),
            *map(str, (letter.version, letter.topic, letter.attempts)),
            letter.first_failed_at,
            letter.last_failed_at,
            letter.error,
        )
    return table


def print_list() -> None:
    with desk() as letters:
        Console().print(letters_table(letters.listed()))


def retry(letter_id: int | None) -> None:
    """Retry one (or every one with None); exit 1 when any retry failed, 2 on a bad id."""
    console = Console()
    with desk() as letters:
        results = _acting(console, lambda: _retried(letters, letter_id))
    for result in results:
        line = f"{result.letter.id} ({result.letter.consumer} @ {result.letter.position}): "
        console.print(line + ("retried, " if result.ok else "failed again: ") + result.detail)
    if not results:
        console.print("no parked events")
    if not all(result.ok for result in results):
        sys.exit(1)


def skip(letter_id: int) -> None:
    console = Console()
    with desk() as letters:
        letter = _acting(console, lambda: letters.skip(letter_id))
    console.print(f"{letter.id} ({letter.consumer} @ {letter.position}): skipped for good")


def _retried(letters: DeadLetterDesk, letter_id: int | None) -> list[Retried]:
    return letters.retry_all() if letter_id is None else [letters.retry(letter_id)]


def _acting(console: Console, action: Callable[[], T]) -> T:
    try:
        return action()
    except UnknownDeadLetter as unknown:
        console.print(f"[red]{unknown}[/red]")
        sys.exit(2)
