#!/usr/bin/env bash
# Verified requests per second and p50/p99 latency on loopback, with a cached certificate chain, of
# - `skill serve`: the sample skill's real binary (verification + the toolkit's routing; the
#   request is an unlinked LaunchRequest, which the skill answers without calling Google),
# - alexa-https's reference binary with a fixed answer (verification alone),
# side by side with Amazon's Python verifier (ask-sdk-webservice-support under gunicorn + flask)
# answering the same signed request. A bench script, never a test: it asserts nothing.
#
# Usage: scripts/bench-serve.sh [SECONDS] [CONNECTIONS]   (defaults 10 and 64)
# Needs: cargo, wrk (installed with apt-get if missing), the Python venv of `cargo xtask setup`
# with ask-sdk-webservice-support, flask and gunicorn (the script runs the setup if it is missing).
set -euo pipefail

seconds="${1:-10}"
connections="${2:-64}"
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
artifacts="$(cargo build --release --quiet -p alexa-https --bin alexa-fixed-answer-endpoint \
  --message-format=json)
$(cargo build --release --quiet -p skill --bin skill --message-format=json)
$(cargo build --quiet -p alexa-https --example bench_signer --message-format=json)"
executable() {
  python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == sys.argv[1] and message.get("executable"):
        print(message["executable"])' "$1" <<<"$artifacts"
}
server_binary="$(executable alexa-fixed-answer-endpoint)"
skill_binary="$(executable skill)"
signer_binary="$(executable bench_signer)"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

SKILL_ID="$skill_id" "$signer_binary" "$work" >"$work/signer.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/signer.log" 2>/dev/null && break; sleep 0.1; done

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
start_rust rust "$server_binary"

python_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$root/scripts" && ALEXA_CHAIN_FILE="$work/chain.pem" ALEXA_ROOT_FILE="$work/root.pem" \
  ALEXA_CERT_URL="$(cat "$work/certificate_url")" \
  exec "$venv/bin/gunicorn" --workers 2 --bind "127.0.0.1:$python_port" --log-level warning \
  alexa_python_verifier:app) >"$work/python.log" 2>&1 &
pids+=($!)
python_url="http://127.0.0.1:$python_port/"
for _ in $(seq 100); do
  curl -s -o /dev/null "$python_url" 2>/dev/null && break; sleep 0.1
done

cat >"$work/post.lua" <<LUA
wrk.method = "POST"
local file = io.open("$work/body.json", "rb")
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["SignatureCertChainUrl"] = "$(cat "$work/certificate_url")"
wrk.headers["Signature-256"] = "$(cat "$work/signature")"
LUA

# One request each first: both must accept it, or the figures mean nothing.
for url in "$skill_url" "$rust_url" "$python_url"; do
  status="$(curl -s -o "$work/answer" -w '%{http_code}' -X POST "$url" \
    -H 'Content-Type: application/json' \
    -H "SignatureCertChainUrl: $(cat "$work/certificate_url")" \
    -H "Signature-256: $(cat "$work/signature")" --data-binary "@$work/body.json")"
  if [ "$status" != 200 ]; then
    echo "bench-serve: $url answered $status to a correctly signed request: $(cat "$work/answer")" >&2
    cat "$work/skill.err" "$work/rust.err" "$work/python.log" >&2
    exit 1
  fi
done

run() {
  local name="$1" url="$2"
  wrk --threads 2 --connections "$connections" --duration "${seconds}s" --latency \
    --script "$work/post.lua" "$url" >"$work/$name.wrk"
  python3 - "$name" "$work/$name.wrk" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
def latency(percent):
    match = re.search(rf"^\s*{percent}%\s+(\S+)", text, re.M)
    return match.group(1) if match else "?"
rate = re.search(r"Requests/sec:\s+(\S+)", text).group(1)
errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print(f"{name:<28} {float(rate):>12,.0f} req/s   p50 {latency(50):>9}   p99 {latency(99):>9}   non-2xx {errors.group(1) if errors else 0}")
PY
}

echo "bench-serve: ${seconds}s each, $connections connections, wrk with 2 threads, $(nproc) cores, on loopback"
run "skill serve (Rust)" "$skill_url" | tee "$work/skill.line"
run "alexa-https fixed answer" "$rust_url" | tee "$work/rust.line"
run "ask-sdk-webservice (Python)" "$python_url" | tee "$work/python.line"
python3 - "$work/skill.line" "$work/rust.line" "$work/python.line" <<'PY'
import re, sys
skill, fixed, python = [float(re.search(r"([\d,]+) req/s", open(p).read()).group(1).replace(",", "")) for p in sys.argv[1:]]
print(f"ratio skill serve / Python: {skill / python:.1f}x   fixed answer / Python: {fixed / python:.1f}x")
PY
