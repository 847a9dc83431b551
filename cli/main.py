"""`shop`: serve the APIs, run the workers, inspect and rebuild projections, mint tokens.

Each command is a thin shell: it builds a container with `bootstrap()` and hands it to
the module that does the work, imported inside the command so `shop --help` stays fast.
"""

from __future__ import annotations

import signal
from enum import StrEnum
from typing import Annotated

import typer

from cli.datadir import resolve_data_dir

app = typer.Typer(help="Event-sourced shop backend.", no_args_is_help=True, add_completion=False)
worker_app = typer.Typer(help="Run a background worker (split deployment).", no_args_is_help=True)
projections_app = typer.Typer(help="Inspect and rebuild read models.", no_args_is_help=True)
app.add_typer(worker_app, name="worker")
app.add_typer(projections_app, name="projections")
dead_letters_app = typer.Typer(
    help="Events a projection parked after failing on them.", no_args_is_help=True
)
app.add_typer(dead_letters_app, name="dead-letters")
simulate_app = typer.Typer(help="Stand-ins for outside services.", no_args_is_help=True)
app.add_typer(simulate_app, name="simulate")


class Role(StrEnum):
    admin = "admin"
    customer = "customer"


class ApiPart(StrEnum):
    all = "all"
    command = "command"
    query = "query"


@app.command()
def serve(
    part: Annotated[ApiPart, typer.Argument(help="all (embedded), command or query")] = ApiPart.all,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the HTTP APIs: `all` runs both APIs, the saga and the projectors in one process."""
    from app.run.serve import run_server

    resolve_data_dir(as_log=True)
    run_server(part.value, host, port)


@app.command()
def migrate() -> None:
    """Create every schema, table and index the configured stores need; safe to run from
    several processes at once (they take turns), and a second run changes nothing."""
    from app.migrate import run_migrate

    resolve_data_dir()
    run_migrate()


@simulate_app.command("psp")
def simulate_psp(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8090,
) -> None:
    """The simulated payment provider over HTTP; `GET /ledger` lists every request it got."""
    import uvicorn

    from simulators.psp import create_psp_app

    data_dir = resolve_data_dir()
    # uvicorn re-raises the signal it stopped on once it has shut down; with this handler
    # that re-raise is a no-op, so SIGTERM ends the provider with status 0, as `serve`.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run(create_psp_app(data_dir / "psp"), host=host, port=port, log_level="warning")


@simulate_app.command("carrier")
def simulate_carrier(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8091,
    webhook_url: Annotated[
        str | None,
        typer.Option(help="Where to POST signed parcel events (the shop's /carrier/events)."),
    ] = None,
) -> None:
    """The simulated carrier over HTTP; `GET /ledger` lists every label request it got.

    Webhooks are signed with SHOP_CARRIER_WEBHOOK_SECRET (or the data dir's generated one);
    SHOP_CARRIER_AUTO_ADVANCE_S moves handed-over parcels on by themselves.
    """
    import uvicorn

    from app.carriers import webhook_secret
    from config.settings import Settings
    from simulators.carrier import create_carrier_app

    data_dir = resolve_data_dir()
    settings = Settings()
    carrier = create_carrier_app(
        data_dir / "carrier",
        webhook_url,
        webhook_secret(settings) if webhook_url else None,
        settings.carrier_auto_advance_s,
    )
    signal.signal(signal.SIGTERM, lambda *_: None)  # exit status 0 on SIGTERM, as `psp`
    uvicorn.run(carrier, host=host, port=port, log_level="warning")


@worker_app.command("saga")
def worker_saga() -> None:
    """Run the checkout process manager and its payment deadline scheduler."""
    from app.run.saga import run_saga_worker

    resolve_data_dir(as_log=True)
    run_saga_worker()


@worker_app.command("integration")
def worker_integration() -> None:
    """Relay integration events to the outbox and publish them (RabbitMQ, webhooks, mail)."""
    from app.run.integration import run_integration_worker

    resolve_data_dir(as_log=True)
    run_integration_worker()


@worker_app.command("projections")
def worker_projections(
    only: Annotated[str | None, typer.Option(help="Run just this projection.")] = None,
) -> None:
    """Run the projectors that keep the read models up to date."""
    from app.run.projections import run_projection_worker

    resolve_data_dir(as_log=True)
    run_projection_worker(only)


@projections_app.command("status")
def projections_status() -> None:
    """Position, head and lag of each projection."""
    from app.run.projections_cli import print_status

    resolve_data_dir()
    print_status()


@projections_app.command("rebuild")
def projections_rebuild(
    name: Annotated[str | None, typer.Argument(help="Projection to rebuild.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Rebuild every projection.")] = False,
) -> None:
    """Rebuild a read model from the log into a fresh target, then switch to it."""
    from app.run.projections_cli import rebuild

    if (name is None) == (not all_):
        raise typer.BadParameter("give a projection NAME or --all, not both")
    resolve_data_dir()
    rebuild(None if all_ else name)


@dead_letters_app.command("list")
def dead_letters_list() -> None:
    """The parked events: consumer, position, stream, topic, error, attempts, when."""
    from app.run.dead_letters_cli import print_list

    resolve_data_dir()
    print_list()


@dead_letters_app.command("retry")
def dead_letters_retry(
    letter_id: Annotated[int | None, typer.Argument(metavar="ID", help="Dead letter id.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Retry every parked event.")] = False,
) -> None:
    """Apply a parked event to its projection now (after a fix); success removes it."""
    from app.run.dead_letters_cli import retry

    if (letter_id is None) == (not all_):
        raise typer.BadParameter("give a dead letter ID or --all, not both")
    resolve_data_dir()
    retry(None if all_ else letter_id)


@dead_letters_app.command("skip")
def dead_letters_skip(
    letter_id: Annotated[int, typer.Argument(metavar="ID", help="Dead letter id.")],
) -> None:
    """Never apply a parked event; its row stays in the table, marked skipped."""
    from app.run.dead_letters_cli import skip

    resolve_data_dir()
    skip(letter_id)


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="admin or customer")],
    sub: Annotated[str | None, typer.Option(help="Subject (the customer id).")] = None,
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds.")] = 86400,
) -> None:
    """Print a bearer token signed with SHOP_JWT_SECRET (or the embedded default's secret).

    On the embedded default it refuses a data dir no server has used (exit 2): the token
    would carry a secret no server knows.
    """
    from api.auth import UnusedDataDir, mint_token_from_settings, require_used_data_dir
    from config.settings import Settings

    resolve_data_dir()
    try:
        require_used_data_dir(Settings())
    except UnusedDataDir as refusal:
        typer.echo(f"shop token: {refusal}", err=True)
        raise typer.Exit(2) from None
    typer.echo(mint_token_from_settings(role.value, sub, ttl))


@app.command()
def bench(
    quick: Annotated[bool, typer.Option(help="A run under a minute (what CI runs).")] = False,
    event_store: Annotated[
        str | None, typer.Option(help="sqlite or postgres (default: SHOP_EVENT_STORE or sqlite).")
    ] = None,
    rates: Annotated[
        str | None,
        typer.Option(help="Offered orders/s, comma-separated (e.g. 300,500,700,1000)."),
    ] = None,
    seconds: Annotated[
        float | None, typer.Option(help="Seconds of load at each offered rate.")
    ] = None,
) -> None:
    """Measure checkout throughput, latency, projection lag, CPU per order, rebuild and
    search speed."""
    from bench.run import main as run_bench

    if event_store not in (None, "sqlite", "postgres"):
        raise typer.BadParameter("--event-store must be sqlite or postgres")
    try:
        offered = [float(rate) for rate in rates.split(",")] if rates else None
    except ValueError:
        raise typer.BadParameter("--rates must be numbers separated by commas") from None
    if (offered is not None and min(offered) <= 0) or (seconds is not None and seconds <= 0):
        raise typer.BadParameter("--rates and --seconds must be positive")
    run_bench(quick=quick, event_store=event_store, rates=offered, seconds=seconds)


if __name__ == "__main__":
    app()
