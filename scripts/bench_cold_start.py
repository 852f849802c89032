"""The measuring half of scripts/bench-cold-start.sh (which builds, installs and starts the
twins): fresh processes, one request each, Rust and the Python reference taking turns so both
see the same load, and per case the median wall time and CPU time (user + system, from the
kernel's accounting of the child: wait4) and the median peak RSS. Peak RSS comes from separate
runs under /usr/bin/time: a child forked from this Python process inherits its high-water mark
in wait4's figure, one forked from `time` does not. Asserts only that every run answered.

Arguments: SKILL PYTHON REFERENCE GOOGLE_OUT MOTO_URL RUNS REQUESTS_DIR
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

import boto3

skill, python, reference, google_out, moto, runs, requests_dir = sys.argv[1:8]
runs = int(runs)

for _ in range(300):
    lines = open(google_out).read().split()
    if lines:
        break
    time.sleep(0.1)
google = lines[0].rstrip("/")


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))


token = post(f"{google}/__twin/tokens", {
    "email": "ada@example.com", "client_id": "test-client-id.apps.googleusercontent.com",
    "scopes": ["openid", "email", "profile",
               "https://www.googleapis.com/auth/drive.metadata.readonly",
               "https://www.googleapis.com/auth/drive.file"]})["access_token"]

dynamodb = boto3.client("dynamodb", endpoint_url=moto, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")
for table in ("bench", "bench_python"):
    for _ in range(300):
        try:
            dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "id",
                                                         "AttributeType": "S"}])
            break
        except dynamodb.exceptions.ResourceInUseException:
            break
        except Exception:
            time.sleep(0.1)


def envelope(name, user):
    text = open(os.path.join(requests_dir, name + ".json")).read()
    text = text.replace("ya29.test-linked-access-token", token)
    text = text.replace("amzn1.ask.account.TESTUSER", user)
    return text.encode()


# The region and credentials as Lambda always sets them: the Python adapter's module builds a
# boto3 resource at import time, and boto3 resolves DynamoDB's account-based endpoint, so
# without them it would wait for the EC2 metadata service that is not there.
base = dict(os.environ, GOOGLE_API_ROOT=google, SKILL_ID_CHECK="off", RUST_LOG="warn",
            AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="test",
            AWS_SECRET_ACCESS_KEY="test", AWS_EC2_METADATA_DISABLED="true")
for name in ("SKILL_ID", "SKILL_STATE_TABLE", "AWS_ENDPOINT_URL", "AWS_PROFILE"):
    base.pop(name, None)
store = dict(base, SKILL_STATE_TABLE="bench", AWS_ENDPOINT_URL_DYNAMODB=moto)
python_store = dict(base, SKILL_STATE_TABLE="bench_python", AWS_ENDPOINT_URL_DYNAMODB=moto)

RUST = [skill, "invoke", "-"]
PYTHON = [python, reference]


def run(command, env, body, expect):
    """One fresh process: (wall s, CPU s)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    # The answers are a few kilobytes: well inside a pipe's buffer, so reading one stream after
    # the other cannot block the child.
    process.stdin.write(body)
    process.stdin.close()
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == 0 and expect in stdout, (command, stdout, stderr)
    return wall, usage.ru_utime + usage.ru_stime


def peak_rss(command, env, body, expect):
    """One fresh process under /usr/bin/time: its peak RSS in KiB."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], input=body, env=env,
                          capture_output=True)
    assert done.returncode == 0 and expect in done.stdout, (command, done.stdout, done.stderr)
    return int(done.stderr.decode().strip().splitlines()[-1])


def load():
    return open("/proc/loadavg").read().split()[0]


user_counter = iter(range(10**9))


def fresh_user():
    return f"amzn1.ask.account.BENCH{next(user_counter)}"


# (name, request, Rust environment, Python environment, what the answer must contain, a new
# user per run)
cases = [
    ("help (no Google, no store)", "help", base, base, b"outputSpeech", False),
    ("list files, no store", "list-files", base, base, b"outputSpeech", False),
    ("list files, store configured", "list-files", store, python_store, b"outputSpeech", False),
    ("add note, store read + write", "add-note", store, python_store, b"oat milk", True),
]

print(f"{runs} runs per case and side, taking turns; medians (min wall)")
print(f"{'case':31} {'side':6} {'wall ms':>8} {'min':>6} {'CPU ms':>7} {'peak RSS MiB':>12} "
      f"{'load':>5}")
medians = {}
for name, request, rust_env, python_env, expect, new_user in cases:
    results = {"rust": [], "python": []}
    user = "amzn1.ask.account.BENCH"
    # One untimed run each: the page cache, the twins' first connections.
    run(RUST, rust_env, envelope(request, fresh_user() if new_user else user), expect)
    run(PYTHON, python_env, envelope(request, fresh_user() if new_user else user), expect)
    loads = []
    for _ in range(runs):
        loads.append(float(load()))
        results["rust"].append(
            run(RUST, rust_env, envelope(request, fresh_user() if new_user else user), expect))
        results["python"].append(
            run(PYTHON, python_env, envelope(request, fresh_user() if new_user else user), expect))
    rss = {"rust": [], "python": []}
    for _ in range(5):
        rss["rust"].append(
            peak_rss(RUST, rust_env, envelope(request, fresh_user() if new_user else user), expect))
        rss["python"].append(peak_rss(PYTHON, python_env,
                                      envelope(request, fresh_user() if new_user else user),
                                      expect))
    for side in ("rust", "python"):
        walls = [wall for wall, _ in results[side]]
        cpu = statistics.median(cpu for _, cpu in results[side])
        rss_median = statistics.median(rss[side])
        medians[(name, side)] = statistics.median(walls)
        print(f"{name:31} {side:6} {statistics.median(walls) * 1e3:8.2f} {min(walls) * 1e3:6.2f} "
              f"{cpu * 1e3:7.2f} {rss_median / 1024:12.1f} {statistics.median(loads):5.2f}")
    ratio = medians[(name, "python")] / medians[(name, "rust")]
    print(f"{'':31} Python / Rust wall median: {ratio:.0f}")

written = dynamodb.scan(TableName="bench", Select="COUNT")["Count"]
written_python = dynamodb.scan(TableName="bench_python", Select="COUNT")["Count"]
print(f"state items written by the add-note runs: Rust {written}, Python {written_python}")
