#!/usr/bin/env bash
# Load benchmark: requests per second and p50/p99 latency of evaluating a
# deployment (POST /api/v1/evaluate) and of drawing a chart (GET
# /api/v1/charts/months.svg) at 64 and 256 connections, with wrk (from
# Debian) against a release build on this machine. Prints a Markdown table.
#
#   scripts/bench-load.sh            # 10 s per run
#   SECONDS_PER_RUN=30 scripts/bench-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -p server >&2

duration=${SECONDS_PER_RUN:-10}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
# Reads and evaluations only: the per-address write limit does not apply.
target/release/tokenfab serve --addr "127.0.0.1:$port" --data-dir "$data" --log warn >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done

body=tests/scenarios/llama-70b-support-chat.json
encoded=$(base64 -w0 "$body" | tr '+/' '-_' | tr -d '=')
export TOKENFAB_LOAD_DIR="$PWD/scripts/load" TOKENFAB_LOAD_BODY="$PWD/$body"

echo "| request | connections | requests/s | p50 ms | p99 ms | errors | requests |"
echo "|---|---|---|---|---|---|---|"
for connections in 64 256; do
  for run in evaluate chart; do
    case $run in
      evaluate) script=evaluate.lua; url="http://127.0.0.1:$port/api/v1/evaluate" ;;
      chart) script=get.lua; url="http://127.0.0.1:$port/api/v1/charts/months.svg?scenario=$encoded" ;;
    esac
    line=$(wrk -t2 -c"$connections" -d"${duration}s" --timeout 5s -s "scripts/load/$script" "$url" | grep '^RESULT')
    read -r _ rps p50 p99 errors requests <<<"$line"
    echo "| $run | $connections | $rps | $p50 | $p99 | $errors | $requests |"
  done
done
