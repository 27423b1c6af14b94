#!/usr/bin/env bash
# Installs what building (and, with --browser, testing) tokenfab needs on a
# fresh Debian 12 machine with Rust from rustup. Skips whatever is present;
# everything comes from crates.io, Debian's package archive or (for the
# accessibility audit's axe-core) the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 2 minutes)"
  # Not --locked: its lockfile pins a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$want"
fi

# PNG charts draw their text with the system's fonts.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  say "installing Debian's fonts-dejavu-core (text in PNG charts)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-dejavu-core >/dev/null
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # The store's tests also run on throwaway PostgreSQL clusters.
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing Debian's postgresql (the store's tests start clusters of their own)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # Only the programs: no system cluster created, none started.
    $sudo mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" |
      $sudo tee /etc/postgresql-common/createcluster.d/tokenfab-tests.conf >/dev/null
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # Later installs on this machine are the machine's own business.
    $sudo rm -f /etc/postgresql-common/createcluster.d/tokenfab-tests.conf
  fi
  # The proxy test runs deploy/nginx.conf in an nginx of its own.
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    say "installing Debian's nginx (the proxy test runs one of its own)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # Only the program: the package starts a system nginx on port 80 (and
    # enables it at boot under systemd). A policy-rc.d refusing every start,
    # there only during the install, stops that; one already present is the
    # machine's own and is left to decide.
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      trap '$sudo rm -f "$policy"' EXIT
      printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
      $sudo chmod 755 "$policy"
    fi
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    if [ -n "$policy" ]; then
      $sudo rm -f "$policy"
      trap - EXIT
    fi
    if [ -d /run/systemd/system ]; then
      $sudo systemctl disable --quiet nginx || true
    fi
  fi
  # axe-core audits the page's accessibility from inside Chromium.
  if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then
    if ! command -v npm >/dev/null; then
      say "installing Debian's nodejs and npm"
      sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
    fi
    say "installing axe-core from the npm registry"
    npm ci --prefix tests/a11y --no-audit --no-fund
  fi
fi
