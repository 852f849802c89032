#!/usr/bin/env bash
# Cold start of the sample's Lambda binary: a fresh `skill invoke -` process per request, as
# Lambda starts one per cold invocation, against the Google twin (and moto's DynamoDB for the
# state), reporting the median wall time and peak RSS of each case:
# - help: no Google call, no state;
# - list files: one Google call, no state (with the state table configured: lazy loading means
#   a request that does not use the state does not pay for it);
# - add note, no store: Drive search, Sheets append;
# - add note, with the store: a new user each run, so one state read (nothing there), the Drive
#   search, the append, one userinfo call for the account and one conditional write.
# A bench script, never a test: it asserts nothing but that every run answered. The machine is
# shared, so the load average is printed before and after.
#
# Usage: [SKILL_BINARY=PATH] scripts/bench-cold-start.sh [RUNS]   (default 20)
# Needs: cargo, /usr/bin/time, the Python venv of `cargo xtask setup` (moto_server, boto3).
set -euo pipefail

runs="${1:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/target/venv"

cargo build --locked -p devstack --bin devstack --quiet
target_dir="$(cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
# SKILL_BINARY=PATH measures another build (e.g. one from before a change) with the same requests.
if [ -n "${SKILL_BINARY:-}" ]; then
  skill="$SKILL_BINARY"
else
  cargo build --release --locked -p skill --bin skill --quiet
  skill="$target_dir/release/skill"
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
"$venv/bin/python" - "$skill" "$google_out" "$port" "$runs" "$root/crates/skill/tests/data/requests" <<'PY'
import json, os, statistics, subprocess, sys, time, urllib.request
import boto3

skill, google_out, port, runs, requests_dir = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
for _ in range(300):
    lines = open(google_out).read().split()
    if lines:
        break
    time.sleep(0.1)
google = lines[0].rstrip("/")
moto = f"http://127.0.0.1:{port}"

def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))

token = post(f"{google}/__twin/tokens", {
    "email": "ada@example.com", "client_id": "test-client-id.apps.googleusercontent.com",
    "scopes": ["openid", "email", "profile",
               "https://www.googleapis.com/auth/drive.metadata.readonly",
               "https://www.googleapis.com/auth/drive.file"]})["access_token"]

for _ in range(300):
    try:
        dynamodb = boto3.client("dynamodb", endpoint_url=moto, region_name="us-east-1",
                                aws_access_key_id="test", aws_secret_access_key="test")
        dynamodb.create_table(TableName="bench", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
        break
    except Exception:
        time.sleep(0.1)

def envelope(name, user):
    text = open(os.path.join(requests_dir, name + ".json")).read()
    text = text.replace("ya29.test-linked-access-token", token)
    text = text.replace("amzn1.ask.account.TESTUSER", user)
    return text.encode()

base = dict(os.environ, GOOGLE_API_ROOT=google, SKILL_ID_CHECK="off", RUST_LOG="warn")
base.pop("SKILL_ID", None)
store = dict(base, SKILL_STATE_TABLE="bench", AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="test",
             AWS_SECRET_ACCESS_KEY="test", AWS_ENDPOINT_URL_DYNAMODB=moto)

def run(env, body, expect):
    start = time.perf_counter()
    done = subprocess.run([skill, "invoke", "-"], input=body, env=env, capture_output=True)
    wall = time.perf_counter() - start
    assert done.returncode == 0 and expect in done.stdout, (done.stdout, done.stderr)
    return wall

def rss(env, body):
    done = subprocess.run(["/usr/bin/time", "-f", "%M", skill, "invoke", "-"], input=body,
                          env=env, capture_output=True, check=True)
    return int(done.stderr.decode().strip().splitlines()[-1])

cases = [
    ("help", base, lambda i: envelope("help", "amzn1.ask.account.BENCH"), b"outputSpeech"),
    ("list files", base, lambda i: envelope("list-files", "amzn1.ask.account.BENCH"), b"outputSpeech"),
    ("list files, store configured", store, lambda i: envelope("list-files", "amzn1.ask.account.BENCH"), b"outputSpeech"),
    ("add note, no store", base, lambda i: envelope("add-note", "amzn1.ask.account.BENCH"), b"oat milk"),
    ("add note, store read + write", store, lambda i: envelope("add-note", f"amzn1.ask.account.BENCH{i}"), b"oat milk"),
]
for name, env, body, expect in cases:
    run(env, body(-1), expect)  # warm the page cache and the twins
    walls = [run(env, body(i), expect) for i in range(runs)]
    peak = statistics.median(rss(env, body(runs + i)) for i in range(5))
    print(f"{name:30} wall median {statistics.median(walls) * 1e3:6.1f} ms "
          f"(min {min(walls) * 1e3:5.1f})  peak RSS median {peak / 1024:5.1f} MiB")
written = dynamodb.scan(TableName="bench", Select="COUNT")["Count"]
print(f"state items written by the add-note-with-store runs: {written}")
PY
echo "load after: $(uptime)"
ls -l "$skill" | awk '{print "skill binary: " $5 " bytes"}'
