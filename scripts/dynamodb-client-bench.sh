#!/usr/bin/env bash
# Compares the two ways the skill could reach DynamoDB, each as a tiny release binary doing one
# GetItem against moto's DynamoDB and exiting:
# - `sdk`: aws-sdk-dynamodb + aws-config with trimmed features, rustls with ring;
# - `sigv4`: the toolkit's own client, `user_state::DynamoDb` (aws-sigv4 + reqwest).
# Prints each stripped binary's size and the median wall time and peak RSS of a fresh process.
# A bench script, never a test: it asserts nothing. The crate lives outside the workspace
# (scripts/dynamodb-client-bench) so the SDK never enters the workspace's lock file.
#
# Usage: scripts/dynamodb-client-bench.sh [RUNS]   (default 30)
# Needs: cargo, /usr/bin/time, the Python venv of `cargo xtask setup` (moto_server and boto3).
set -euo pipefail

runs="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/venv"
target="$root/target/dynamodb-client-bench"
cd "$root/scripts/dynamodb-client-bench"
CARGO_TARGET_DIR="$target" cargo build --release --bins --quiet

port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT

echo "load before: $(uptime)"
"$venv/bin/python" - "$port" "$runs" "$target/release" <<'PY'
import os, resource, statistics, subprocess, sys, time
import boto3

port, runs, bin_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
endpoint = f"http://127.0.0.1:{port}"
for _ in range(300):
    try:
        dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                                aws_access_key_id="test", aws_secret_access_key="test")
        dynamodb.list_tables()
        break
    except Exception:
        time.sleep(0.1)
dynamodb.create_table(TableName="bench", BillingMode="PAY_PER_REQUEST",
                      KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
dynamodb.put_item(TableName="bench", Item={"id": {"S": "amzn1.ask.account.BENCH"},
                  "attributes": {"S": "{}"}, "version": {"N": "1"}})
env = dict(os.environ, TABLE="bench", SKILL_STATE_TABLE="bench", AWS_REGION="us-east-1",
           AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
           AWS_ENDPOINT_URL_DYNAMODB=endpoint, AWS_EC2_METADATA_DISABLED="true")
env.pop("AWS_PROFILE", None)
for name in ["sdk", "sigv4"]:
    binary = os.path.join(bin_dir, name)
    walls, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE)
        _, status, _ = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        out = process.stdout.read().strip()
        assert status == 0 and out == b"true", (name, status, out)
        # Peak RSS through /usr/bin/time: a child forked from Python would count Python's pages.
        timed = subprocess.run(["/usr/bin/time", "-f", "%M", binary], env=env,
                               capture_output=True, check=True)
        rss.append(int(timed.stderr.decode().strip().splitlines()[-1]))
    print(f"{name:6} binary {os.path.getsize(binary) / 1e6:.2f} MB  "
          f"wall median {statistics.median(walls) * 1e3:.1f} ms "
          f"(min {min(walls) * 1e3:.1f})  peak RSS median {statistics.median(rss) / 1024:.1f} MiB")
PY
echo "load after: $(uptime)"
