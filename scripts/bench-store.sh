#!/usr/bin/env bash
# Scenario store load benchmark, not a test: saves and reads per second
# (POST /api/v1/scenarios, then GET /api/v1/scenarios/{id} of saved ids)
# with p50/p95/p99 latency and every error, for one instance on SQLite (the
# default, for reference), one instance on PostgreSQL and two instances on
# one PostgreSQL database. It asserts nothing; it prints a Markdown table.
#
# The load generator, the throwaway PostgreSQL (fsync off: it measures the
# server, not the disk) and the instances share this machine's cores, so
# the figures are what one machine of this size gives, not a fleet.
#
#   scripts/bench-store.sh                                  # 10 s a step, 16 clients
#   scripts/bench-store.sh --seconds 20 --clients 32
#   scripts/bench-store.sh --setups postgres,postgres-2 --db-max-connections 16
#
# Arguments go to tests/examples/store_load.rs (see --help there); the
# environment's STORE_LOAD_SECONDS, STORE_LOAD_CLIENTS, STORE_LOAD_WARMUP
# and STORE_LOAD_SETUPS are defaults for them. PostgreSQL's server programs
# must be installed (scripts/setup.sh --browser).
set -euo pipefail
cd "$(dirname "$0")/.."

# The instances serve the site's files; the store's requests never load
# them, but the end-to-end support starts no instance without them.
if [ ! -f target/site/pkg/tokenfab.wasm ]; then
  scripts/build-site.sh >&2
fi
cargo build --release -p server >&2
export TOKENFAB_BIN="$PWD/target/release/tokenfab"
exec cargo run --release -p end-to-end --example store_load -- "$@"
