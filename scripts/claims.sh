#!/usr/bin/env bash
# Measure every buggy variant's claims (scripts/claims.py says how).
#   scripts/claims.sh [SCENARIO [VARIANT]]    SEEDS=20 DURATION=30s EXECUTIONS=500000 JOBS=2
cd "$(dirname "$0")/.." && exec python3 scripts/claims.py "$@"
