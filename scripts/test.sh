#!/usr/bin/env bash
# Sets up a fresh machine and runs every check and test: formatting, lints
# (server and browser targets), docs, the core, server and database tests
# (the store's on SQLite and on PostgreSQL), and the end-to-end tests in
# headless Chromium against the real binary.
set -euo pipefail
cd "$(dirname "$0")/.."

# A fresh clone gains nothing from incremental caches; they only fill the disk.
[ "${CI:-}" = "true" ] && export CARGO_INCREMENTAL=0

step() { printf '\n==> %s (%d s elapsed)\n' "$*" "$SECONDS"; }

step "setting up"
scripts/setup.sh --browser

step "formatting"
cargo fmt --all -- --check

step "lints (server build)"
cargo clippy --workspace --all-targets -- -D warnings

step "lints (browser build)"
cargo clippy -p app -p search-page -p tokenfab-core --lib --target wasm32-unknown-unknown \
  --no-default-features --features app/hydrate --target-dir target/front -- -D warnings

step "core documentation"
RUSTDOCFLAGS="-D warnings" cargo doc -p tokenfab-core --no-deps

step "building the site and the server binary"
scripts/build-site.sh
cargo build -p server

step "tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace 2>&1 | tee "$log"

step "the store's and the API's tests again, on PostgreSQL"
# Each test on a new database of a throwaway cluster the tests start.
TOKENFAB_TEST_DATABASE=postgres cargo test -p server --lib db:: 2>&1 | tee -a "$log"
TOKENFAB_TEST_DATABASE=postgres cargo test -p server --test http 2>&1 | tee -a "$log"
# One closing line for the whole workspace, after cargo's per-binary ones.
awk '/^test result:/ { passed += $4; failed += $6 }
     END { printf "\nall checks done in %d s\ntests: %d passed, %d failed\n", '"$SECONDS"', passed, failed }' "$log"
