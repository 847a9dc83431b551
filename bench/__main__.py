"""`python -m bench [--quick] [--event-store sqlite|postgres] [--rates 300,500] [--seconds 10]`:
the same as `shop bench`."""

from __future__ import annotations

import argparse

from bench.run import main

parser = argparse.ArgumentParser(prog="python -m bench")
parser.add_argument("--quick", action="store_true", help="a run under a minute")
parser.add_argument("--event-store", choices=["sqlite", "postgres"], default=None)
parser.add_argument("--rates", type=lambda text: [float(r) for r in text.split(",")])
parser.add_argument("--seconds", type=float, default=None)
arguments = parser.parse_args()
main(
    quick=arguments.quick,
    event_store=arguments.event_store,
    rates=arguments.rates,
    seconds=arguments.seconds,
)
