#!/usr/bin/env bash
# make nightly: scripts/nightly.py says what a night runs and writes.
#   NIGHTLY_SCALE=N   seeds and budgets N times a default night's (about 30 min)
#   NIGHTLY_OUT=DIR   where nights are kept (default nightly-out)
#   NIGHTLY_BOUND_SECONDS=S  each fixed variant's bounded:2 search (default 90,
#                     times the scale)
cd "$(dirname "$0")/.." && exec python3 scripts/nightly.py "$@"
