#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after the other, and prints the
# executions and crashes of each. Installs cargo-fuzz if it is missing; needs a nightly toolchain
# (`rustup toolchain install nightly`).
#
# Usage: [FUZZ_SANITIZER=address] [FUZZ_RUNS=N] fuzz/run.sh [SECONDS] [TARGET...]
# FUZZ_RUNS=N stops a target after N executions if that comes before SECONDS (for example
# FUZZ_RUNS=10000000 fuzz/run.sh 3600 for ten million executions each).
# The code under test forbids `unsafe`, so the default builds without AddressSanitizer, which
# runs several times faster; FUZZ_SANITIZER=address turns it back on.
# Seeds are in fuzz/seeds/TARGET (committed); what libFuzzer finds goes to fuzz/corpus/TARGET
# (ignored by git), crashes to fuzz/artifacts/TARGET; dictionaries are in fuzz/dicts.
set -euo pipefail

seconds="${1:-60}"
shift || true
cd "$(dirname "$0")"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

status=0
runs=()
if [ -n "${FUZZ_RUNS:-}" ]; then runs=("-runs=$FUZZ_RUNS"); fi
printf '%-28s %8s %14s %12s %8s\n' target seconds executions "exec/s" crashes
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="$(mktemp)"
  started="$(mktemp)"
  began="$SECONDS"
  # Targets whose input is an Alexa envelope mutate with its JSON tokens and keys.
  dict=()
  case "$target" in
    handle_json | request_envelope) dict=("-dict=dicts/alexa_envelope.dict") ;;
  esac
  # -fork=0 keeps one process, so the final stats are the whole run's.
  if ! cargo +nightly fuzz run --sanitizer "${FUZZ_SANITIZER:-none}" "$target" "corpus/$target" "seeds/$target" -- \
      -max_total_time="$seconds" "${runs[@]}" "${dict[@]}" -print_final_stats=1 >"$log" 2>&1; then
    status=1
  fi
  executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  # Only what this run found: older artifacts stay for inspection but are not counted again.
  crashes="$(find "artifacts/$target" -type f -newer "$started" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)"
  printf '%-28s %8s %14s %12s %8s\n' "$target" "$((SECONDS - began))" "${executions:-?}" "${rate:-?}" "$crashes"
  if [ "$crashes" -ne 0 ] || [ -z "$executions" ]; then
    status=1
    tail -40 "$log" >&2
  fi
  rm -f "$log" "$started"
done
exit "$status"
