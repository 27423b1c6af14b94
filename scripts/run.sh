#!/usr/bin/env bash
# Sets up a fresh machine, builds tokenfab in release mode and runs it on its
# SQLite default (./data/tokenfab.db). Extra arguments go to `tokenfab serve`,
# e.g. `scripts/run.sh --addr 0.0.0.0:8080`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-site.sh
cargo build --release -p server
exec target/release/tokenfab serve "$@"
