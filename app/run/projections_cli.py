"""Backends of `shop projections status` and `shop projections rebuild NAME|--all`."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.bootstrap import bootstrap
from config.settings import Settings
from projections.readmodels import ReadModels
from projections.rebuild import RebuildReport, rebuild_view
from projections.registry import NAMES
from queries.projections import ListProjections


def status_table(read_models: ReadModels) -> Table:
    table = Table(title="Projections")
    for column in ("name", "position", "head", "lag events", "lag seconds"):
        table.add_column(column, justify="left" if column == "name" else "right")
    for row in ListProjections(read_models)():
        table.add_row(
            row.name,
            str(row.position),
            str(row.head),
            str(row.lag_events),
            f"{row.lag_seconds:.1f}",
        )
    return table


def print_status() -> None:
    container = bootstrap(Settings())
    try:
        Console().print(status_table(container.read_models))
    finally:
        container.close()


def rebuild_one(read_models: ReadModels, name: str, console: Console) -> RebuildReport:
    view = read_models.view(name)
    columns = (
        TextColumn(f"rebuilding {name}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(name, total=read_models.head())
        report = rebuild_view(
            read_models.log, view, lambda pos, head: bar.update(task, completed=pos, total=head)
        )
    note = (
        ""
        if not report.differences
        else (f" ({report.differences} rows differed from the old live view)")
    )
    console.print(
        f"rebuilt {name}: {report.events} events in {report.seconds:.2f} s "
        f"({report.rate:,.0f} events/s); verified in {report.verify_seconds:.2f} s{note}"
    )
    return report


def rebuild(name: str | None) -> None:
    """Rebuild one projection (or all with None); exit 1 on any error."""
    console = Console()
    if name is not None and name not in NAMES:
        console.print(f"[red]unknown projection {name!r}; known: {', '.join(NAMES)}[/red]")
        sys.exit(2)
    container = bootstrap(Settings())
    try:
        for each in [name] if name else NAMES:
            rebuild_one(container.read_models, each, console)
    except Exception as error:  # the CLI's one place that turns failures into an exit code
        console.print(f"[red]rebuild failed: {error}[/red]")
        sys.exit(1)
    finally:
        container.close()
