#!/usr/bin/env bash
# Cold start of the sample's Lambda binary next to a Python reference, the way Lambda starts a
# function: a fresh process per request (`skill invoke -` for Rust; for Python a fresh
# interpreter running scripts/bench_reference_skill.py, the same skill on Amazon's ASK SDK for
# Python and google-api-python-client), one request through the Google twin, and for the state
# moto's DynamoDB server. Cases (scripts/bench_cold_start.py measures):
# - help: no Google call, no state;
# - list files: one Drive call, no state;
# - list files with the state table configured: lazy loading means a request that does not use
#   the state does not pay for it;
# - add note with the store: a new user each run, so one state read (nothing there), the Drive
#   search, the append, (Rust only) one userinfo call for the account, and one write.
# Per case and side: median wall time, CPU time and peak RSS of the process (wait4), and the load
# average; then the Lambda zip's size from `cargo xtask build`.
#
# A bench script, never a test: it asserts nothing but that every run answered. The machine is
# shared, so read the load column; the two sides take turns, so both see the same load.
#
# Usage: [SKILL_BINARY=PATH] scripts/bench-cold-start.sh [RUNS]   (default 20)
#   SKILL_BINARY measures another build (e.g. one from before a change) and skips the zip.
# Needs: cargo, the Python venv of `cargo xtask setup` (moto_server, boto3). The Python
# reference's packages go into a venv of the bench's own, target/bench-venv, made on first use
# with pinned versions.
set -euo pipefail

runs="${1:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/target/venv"
if [ ! -x "$venv/bin/moto_server" ]; then
  echo "bench-cold-start: $venv has no moto_server: run \`cargo xtask setup\` first" >&2
  exit 1
fi

# The reference's own venv: what an ASK SDK skill that calls Google ships.
bench_venv="$root/target/bench-venv"
reference_packages=(
  "ask-sdk-core==1.19.0"
  "ask-sdk-dynamodb-persistence-adapter==1.19.0"
  "google-api-python-client==2.202.0"
  "google-auth==2.63.0"
  "boto3==1.44.18"
)
if [ "$(cat "$bench_venv/installed" 2>/dev/null)" != "${reference_packages[*]}" ]; then
  echo "bench-cold-start: installing the Python reference's packages into $bench_venv"
  rm -rf "$bench_venv"
  "$venv/bin/python" -m venv "$bench_venv"
  "$bench_venv/bin/pip" install --quiet --disable-pip-version-check "${reference_packages[@]}"
  echo "${reference_packages[*]}" >"$bench_venv/installed"
fi

cargo build --locked -p devstack --bin devstack --quiet
target_dir="$(cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
zip=""
if [ -n "${SKILL_BINARY:-}" ]; then
  skill="$SKILL_BINARY"
else
  # The release build Lambda runs, and its zip (also what `cargo xtask deploy` uploads).
  cargo xtask build --skill skill
  skill="$target_dir/release/skill"
  zip="$target_dir/lambda/skill/bootstrap.zip"
fi
devstack="$target_dir/debug/devstack"

google_out="$(mktemp)"
"$devstack" google >"$google_out" 2>/dev/null &
google_pid=$!
port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill "$google_pid" "$moto_pid" 2>/dev/null || true; rm -f "$google_out"' EXIT

echo "load before: $(uptime)"
echo "CPUs: $(nproc)"
"$venv/bin/python" "$root/scripts/bench_cold_start.py" "$skill" "$bench_venv/bin/python" \
  "$root/scripts/bench_reference_skill.py" "$google_out" "http://127.0.0.1:$port" "$runs" \
  "$root/crates/skill/tests/data/requests"
echo "load after: $(uptime)"
echo "skill binary: $(stat -c %s "$skill") bytes"
if [ -n "$zip" ]; then
  echo "Lambda zip: $(stat -c %s "$zip") bytes ($zip)"
fi
