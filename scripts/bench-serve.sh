#!/usr/bin/env bash
# Verified requests per second and p50/p99 latency on loopback, with a cached certificate chain, of
# - `skill serve`: the sample skill's real binary (verification + the toolkit's routing; the
#   request is an unlinked LaunchRequest, which the skill answers without calling Google),
# - alexa-https's reference binary with a fixed answer (verification alone),
# side by side with Amazon's Python verifier (ask-sdk-webservice-support under gunicorn + flask)
# answering the same kind of signed requests. Each request has its own request ID and signature
# (the endpoint refuses a replayed one), signed just before its run (32,000 per second of a Rust
# run, 500 per second of the Python run, which is five times as long; a run that gets through them all starts over, and the replays show as
# "other"). For each: requests/s, p50,
# p99, and the server's CPU time per request (user + system seconds of the server's processes,
# read from /proc before and after, divided by the requests), with the load average.
#
# Then the attack run (scripts/bench_attack.py): `skill serve` answers genuine signed requests
# while a certificate-cache poisoning loop and SLOW slow connections run; it reports the share of
# genuine requests answered 200 (within 2 s), their p99, and how long slow connections stayed open.
# A bench script, never a test: it asserts nothing.
#
# Usage: scripts/bench-serve.sh [SECONDS] [CONNECTIONS] [ATTACK_SECONDS] [SLOW]
#   (defaults 1 per run, 64, 45, 250; signing is the slow part of a run)
# BENCH_SKILL_BINARY and BENCH_ENDPOINT_BINARY run other builds (e.g. an older commit's) instead.
# Needs: cargo, wrk (installed with apt-get if missing), the Python venv of `cargo xtask setup`
# with ask-sdk-webservice-support, flask and gunicorn (the script runs the setup if it is missing).
set -euo pipefail

seconds="${1:-1}"
connections="${2:-64}"
attack_seconds="${3:-45}"
slow_connections="${4:-250}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
skill_id="amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
venv="${CARGO_TARGET_DIR:-$root/target}/venv"

if ! command -v wrk >/dev/null; then
  echo "bench-serve: installing wrk (Debian package)" >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if ! "$venv/bin/python" -c "import ask_sdk_webservice_support, flask, gunicorn" 2>/dev/null; then
  echo "bench-serve: installing Amazon's verifier with \`cargo xtask setup\` (the test venv)" >&2
  cargo xtask setup
fi

# Ask cargo where the binaries are instead of assuming a target directory.
# The server is measured, so it is built with --release; the signer only signs one request and
# serves the chain once, so the dev build (shared with the tests) is enough.
artifacts="$(cargo build --quiet -p alexa-https --example bench_signer --message-format=json)"
if [ -z "${BENCH_SKILL_BINARY:-}" ] || [ -z "${BENCH_ENDPOINT_BINARY:-}" ]; then
  artifacts="$artifacts
$(cargo build --release --quiet -p alexa-https --bin alexa-fixed-answer-endpoint \
  --message-format=json)
$(cargo build --release --quiet -p skill --bin skill --message-format=json)"
fi
executable() {
  python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == sys.argv[1] and message.get("executable"):
        print(message["executable"])' "$1" <<<"$artifacts"
}
server_binary="${BENCH_ENDPOINT_BINARY:-$(executable alexa-fixed-answer-endpoint)}"
skill_binary="${BENCH_SKILL_BINARY:-$(executable skill)}"
signer_binary="$(executable bench_signer)"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/signer.in"
SKILL_ID="$skill_id" "$signer_binary" "$work" <"$work/signer.in" >"$work/signer.log" 2>&1 &
pids+=($!)
exec 3>"$work/signer.in"
for _ in $(seq 100); do grep -q ready "$work/signer.log" 2>/dev/null && break; sleep 0.1; done

# sign COUNT NAME: COUNT fresh requests into $work/NAME.tsv (stamped now: the timestamp window
# is 150 s, so each run gets its own).
sign() {
  echo "$1 $2" >&3
  until grep -q "^signed $2\$" "$work/signer.log"; do sleep 0.1; done
}

# cpu_ticks PID: user + system clock ticks of PID and its child processes (gunicorn's workers).
cpu_ticks() {
  python3 - "$1" <<'PY'
import os, sys
def ticks(pid):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])
def children(pid):
    try:
        return [int(child) for child in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        return []
pending, total = [int(sys.argv[1])], 0
while pending:
    pid = pending.pop()
    total += ticks(pid)
    pending.extend(children(pid))
print(total)
PY
}

# start_rust NAME BINARY [ARGS…]: starts a Rust endpoint and sets ${NAME}_url.
start_rust() {
  local name="$1"; shift
  # GOOGLE_API_ROOT points at a closed port: a request that called Google would fail fast and show.
  SKILL_ID="$skill_id" GOOGLE_API_ROOT=http://127.0.0.1:9 RUST_LOG=warn "$@" \
    --listen 127.0.0.1:0 \
    --extra-trust-anchor "$work/root.pem" --cert-fetch-base "$(cat "$work/cert_fetch_base")" \
    >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  printf -v "${name}_url" '%s' "$(sed -n 's/^listening on //p' "$work/$name.out")"
}
start_rust skill "$skill_binary" serve
skill_pid="${pids[-1]}"
start_rust rust "$server_binary"
rust_pid="${pids[-1]}"

python_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$root/scripts" && ALEXA_CHAIN_FILE="$work/chain.pem" ALEXA_ROOT_FILE="$work/root.pem" \
  ALEXA_CERT_URL="$(cat "$work/certificate_url")" \
  exec "$venv/bin/gunicorn" --workers 2 --bind "127.0.0.1:$python_port" --log-level warning \
  alexa_python_verifier:app) >"$work/python.log" 2>&1 &
pids+=($!)
python_pid="$!"
python_url="http://127.0.0.1:$python_port/"
for _ in $(seq 100); do
  curl -s -o /dev/null "$python_url" 2>/dev/null && break; sleep 0.1
done

# Each wrk thread sends its share of the signed requests in turn, and counts the answers.
cat >"$work/post.lua" <<LUA
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
local requests, next_request, ok, other = {}, 1, 0, 0
function init(args)
  local index = 0
  for line in io.lines(args[1]) do
    if index % 2 == id then
      local tab = line:find("\t", 1, true)
      table.insert(requests, wrk.format("POST", "/", {
        ["Content-Type"] = "application/json",
        ["SignatureCertChainUrl"] = "$(cat "$work/certificate_url")",
        ["Signature-256"] = line:sub(1, tab - 1),
      }, line:sub(tab + 1)))
    end
    index = index + 1
  end
end
function request()
  local next = requests[next_request]
  next_request = next_request % #requests + 1
  return next
end
function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    wrk.thread:set("ok", ok)
  else
    other = other + 1
    wrk.thread:set("other", other)
  end
end
function done(summary, latency, requests)
  local ok, other = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("ok") or 0)
    other = other + (thread:get("other") or 0)
  end
  io.write(string.format("signed requests: %d answered 200, %d other\n", ok, other))
end
LUA

# One request each first: all must accept it, or the figures mean nothing.
sign 3 check
for url in "$skill_url" "$rust_url" "$python_url"; do
  line="$(head -n 1 "$work/check.tsv")"
  sed -i 1d "$work/check.tsv"
  printf '%s' "${line#*$'\t'}" >"$work/check.json"
  status="$(curl -s -o "$work/answer" -w '%{http_code}' -X POST "$url" \
    -H 'Content-Type: application/json' \
    -H "SignatureCertChainUrl: $(cat "$work/certificate_url")" \
    -H "Signature-256: ${line%%$'\t'*}" --data-binary "@$work/check.json")"
  if [ "$status" != 200 ]; then
    echo "bench-serve: $url answered $status to a correctly signed request: $(cat "$work/answer")" >&2
    cat "$work/skill.err" "$work/rust.err" "$work/python.log" >&2
    exit 1
  fi
done

# run NAME URL PID COUNT DURATION: DURATION seconds of wrk through COUNT signed requests; prints
# one line of figures.
run() {
  local name="$1" url="$2" pid="$3" count="$4" duration="$5"
  sign "$count" "$name"
  local load before after
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  local log="$work/$name.err" log_start
  [ "$name" = fixed ] && log="$work/rust.err"
  log_start="$( (wc -l <"$log") 2>/dev/null || echo 0)"
  before="$(cpu_ticks "$pid")"
  wrk --threads 2 --connections "$connections" --duration "${duration}s" --latency \
    --script "$work/post.lua" "$url" -- "$work/$name.tsv" >"$work/$name.wrk"
  after="$(cpu_ticks "$pid")"
  # Why the server refused what it refused (its log's reason codes), for the "other" count.
  reasons="$(tail -n "+$((log_start + 1))" "$log" 2>/dev/null | grep -aoE 'reason"?[=:]"?[a-z_]+' \
    | sed -E 's/reason"?[=:]"?//' | sort | uniq -c | awk '{printf "%s%s %s", sep, $2, $1; sep=", "}' || true)"
  python3 - "$1" "$work/$name.wrk" "$before" "$after" "$load" "$(getconf CLK_TCK)" "${reasons:-none}" <<'PY'
import re, sys
name, path, before, after, load, clock_ticks, reasons = sys.argv[1:8]
text = open(path).read()
def latency(percent):
    match = re.search(rf"^\s*{percent}%\s+(\S+)", text, re.M)
    return match.group(1) if match else "?"
rate = float(re.search(r"Requests/sec:\s+(\S+)", text).group(1))
answered = re.search(r"signed requests: (\d+) answered 200, (\d+) other", text)
cpu_seconds = (int(after) - int(before)) / int(clock_ticks)
count = int(re.search(r"(\d+) requests in", text).group(1))
print(f"{name:<9} {rate:>9,.0f} req/s  p50 {latency(50):>8}  p99 {latency(99):>8}  "
      f"server CPU {1e6 * cpu_seconds / count:>6.1f} µs/request ({cpu_seconds:.2f} s for {count})  "
      f"200: {answered.group(1)}, other: {answered.group(2)} (refused: {reasons})  load {load}")
PY
}

echo "bench-serve: ${seconds}s per Rust run, $((seconds * 5))s for Python, $connections connections, wrk with 2 threads, $(nproc) cores, on loopback"
echo "  skill = skill serve (Rust), fixed = alexa-https fixed answer (Rust), python = ask-sdk-webservice-support under gunicorn"
run skill "$skill_url" "$skill_pid" "$((seconds * 32000))" "$seconds" | tee "$work/skill.line"
run fixed "$rust_url" "$rust_pid" "$((seconds * 32000))" "$seconds" | tee "$work/rust.line"
# Python answers a few hundred a second: five times as long, for enough requests to count.
run python "$python_url" "$python_pid" "$((seconds * 2500))" "$((seconds * 5))" | tee "$work/python.line"
python3 - "$work/skill.line" "$work/rust.line" "$work/python.line" <<'PY'
import re, sys
rates, cpu = [], []
for path in sys.argv[1:]:
    text = open(path).read()
    rates.append(float(re.search(r"([\d,]+) req/s", text).group(1).replace(",", "")))
    cpu.append(float(re.search(r"server CPU\s+([\d.]+)", text).group(1)))
print(f"ratio to Python: requests/s skill {rates[0] / rates[2]:.1f}x, fixed {rates[1] / rates[2]:.1f}x;"
      f" CPU per request skill {cpu[2] / cpu[0]:.1f}x less, fixed {cpu[2] / cpu[1]:.1f}x less")
PY

# The attack: a fresh `skill serve` (its cache warmed by one genuine request, as a running server's
# would be), genuine requests at 50/s, the poisoning loop and the slow connections.
echo "bench-serve: attack run on a fresh skill serve: ${attack_seconds}s, genuine requests at 50/s, poisoning loop, $slow_connections slow connections"
start_rust attack "$skill_binary" serve
attack_pid="${pids[-1]}"
sign "$((attack_seconds * 50 + 10))" attack
line="$(head -n 1 "$work/attack.tsv")"
sed -i 1d "$work/attack.tsv"
printf '%s' "${line#*$'\t'}" >"$work/check.json"
curl -s -o /dev/null -X POST "$attack_url" -H 'Content-Type: application/json' \
  -H "SignatureCertChainUrl: $(cat "$work/certificate_url")" \
  -H "Signature-256: ${line%%$'\t'*}" --data-binary "@$work/check.json"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
before="$(cpu_ticks "$attack_pid")"
python3 "$root/scripts/bench_attack.py" "$attack_url" "$(cat "$work/certificate_url")" \
  "$work/attack.tsv" "$attack_seconds" 50 "$slow_connections"
after="$(cpu_ticks "$attack_pid")"
echo "server CPU during the attack run: $(python3 -c "print(f'{($after - $before) / $(getconf CLK_TCK):.2f}')") s; load before $load, after $(cut -d' ' -f1-3 /proc/loadavg)"
