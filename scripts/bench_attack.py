"""The attack half of ``bench-serve.sh``: genuine signed requests while an attacker runs.

While it runs, three things happen at once against one plain-HTTP endpoint on loopback:

* genuine traffic: correctly signed requests (each with its own request ID, from a file of
  ``SIGNATURE<TAB>BODY`` lines) at a steady rate, each on a new connection, as Alexa might send
  them; each one's status and latency are recorded;
* a certificate-cache poisoning loop (the attack of issue 21), a round starting every second:
  an unsigned request naming the real URL sends its headers, and 4.5 s later, right after eight
  unsigned requests naming other well-formed certificate URLs have been answered (so the real
  chain was just pushed out of a cache that holds eight), its 2-byte body;
* slow connections: half send their headers one line every two seconds, half send complete
  headers and then their body one byte every two seconds; each one the server closes is
  replaced, so the count stays the same, and the time each one stayed open is recorded.

It prints one line per measure and asserts nothing: a bench, not a test.

Usage: bench_attack.py URL CERTIFICATE_URL GENUINE_FILE SECONDS RATE SLOW_CONNECTIONS
"""

import asyncio
import base64
import os
import sys
import time

SLOW_CLOSE_LIMIT_SECONDS = 30.0
GENUINE_DEADLINE_SECONDS = 2.0


def parse_url(url):
    host_port = url.split("://", 1)[1].strip("/")
    host, port = host_port.rsplit(":", 1)
    return host, int(port)


def request_bytes(host, signature, certificate_url, body, extra=""):
    body = body.encode()
    return (
        f"POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"SignatureCertChainUrl: {certificate_url}\r\nSignature-256: {signature}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
    ).encode() + body


async def read_status(reader):
    """The status code of the answer, or 0 if the connection closed without one."""
    line = await reader.readline()
    parts = line.split()
    status = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0
    await reader.read()  # the rest, until the server closes (Connection: close)
    return status


async def genuine(address, certificate_url, lines, seconds, rate, results):
    host, port = address
    started = time.monotonic()

    async def one(line):
        signature, body = line.rstrip("\n").split("\t", 1)
        begin = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request_bytes(host, signature, certificate_url, body))
            await writer.drain()
            status = await asyncio.wait_for(read_status(reader), 10)
            writer.close()
        except (OSError, asyncio.TimeoutError):
            status = 0
        results.append((status, time.monotonic() - begin))

    tasks = []
    for index, line in enumerate(lines):
        due = started + index / rate
        if due - started >= seconds:
            break
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        tasks.append(asyncio.create_task(one(line)))
    await asyncio.gather(*tasks)


def random_signature():
    return base64.b64encode(os.urandom(256)).decode()


async def unsigned(address, certificate_url, body, before_body=None):
    host, port = address
    try:
        reader, writer = await asyncio.open_connection(host, port)
        request = request_bytes(host, random_signature(), certificate_url, body)
        head, payload = request.split(b"\r\n\r\n", 1)
        writer.write(head + b"\r\n\r\n")
        await writer.drain()
        if before_body:
            await before_body()
        writer.write(payload)
        await writer.drain()
        await asyncio.wait_for(read_status(reader), 15)
        writer.close()
    except (OSError, asyncio.TimeoutError):
        pass


async def poisoning_loop(address, certificate_url, seconds, counts):
    stop = time.monotonic() + seconds
    body = '{"version": "1.0", "request": {"type": "LaunchRequest"}}'
    tasks = []
    round_number = 0
    while time.monotonic() < stop:
        round_number += 1

        async def push_out_then_wait(round_number=round_number):
            await asyncio.sleep(4.3)
            await asyncio.gather(*(
                unsigned(address, f"https://s3.amazonaws.com/echo.api/poison-{round_number}-{index}.pem", body)
                for index in range(8)
            ))

        tasks.append(asyncio.create_task(unsigned(address, certificate_url, "{}", push_out_then_wait)))
        counts["rounds"] = round_number
        await asyncio.sleep(1.0)
    await asyncio.gather(*tasks)


async def slow_connection(address, certificate_url, slow_body, stop, durations, still_open):
    host, port = address
    while time.monotonic() < stop:
        opened = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        if slow_body:
            head = request_bytes(host, random_signature(), certificate_url, "x" * 1000)
            writer.write(head[: head.index(b"\r\n\r\n") + 4])
        else:
            writer.write(f"POST / HTTP/1.1\r\nHost: {host}\r\n".encode())
        closed = False
        while not closed:
            try:
                data = await asyncio.wait_for(reader.read(4096), 2.0)
                closed = not data
                if closed:
                    break
            except asyncio.TimeoutError:
                pass
            except OSError:
                closed = True
                break
            if time.monotonic() - opened > SLOW_CLOSE_LIMIT_SECONDS + 5:
                break
            try:
                writer.write(b"x" if slow_body else b"X-Slow: 1\r\n")
                await writer.drain()
            except OSError:
                closed = True
        lasted = time.monotonic() - opened
        if closed:
            durations.append(lasted)
        else:
            still_open.append(lasted)
        writer.close()


async def main():
    url, certificate_url, genuine_file, seconds, rate, slow_count = sys.argv[1:7]
    seconds, rate, slow_count = float(seconds), float(rate), int(slow_count)
    address = parse_url(url)
    lines = open(genuine_file).readlines()
    results, durations, still_open, counts = [], [], [], {"rounds": 0}
    stop = time.monotonic() + seconds
    slow = [
        asyncio.create_task(
            slow_connection(address, certificate_url, index % 2 == 1, stop, durations, still_open)
        )
        for index in range(slow_count)
    ]
    poison = asyncio.create_task(poisoning_loop(address, certificate_url, seconds, counts))
    # Let the attack get going before the genuine traffic starts.
    await asyncio.sleep(2)
    await genuine(address, certificate_url, lines, seconds - 2, rate, results)
    await poison
    await asyncio.gather(*slow)

    latencies = sorted(latency for _, latency in results)
    answered_ok = sum(1 for status, latency in results if status == 200)
    in_time = sum(
        1 for status, latency in results if status == 200 and latency <= GENUINE_DEADLINE_SECONDS
    )
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1

    def percentile(share):
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    total = len(results)
    print(f"genuine requests          {total} at {rate:g}/s, statuses {dict(sorted(statuses.items()))}")
    print(
        f"genuine answered 200      {answered_ok}/{total} = {100 * answered_ok / max(total, 1):.1f} %"
        f"   200 within {GENUINE_DEADLINE_SECONDS:g} s: {100 * in_time / max(total, 1):.1f} %"
    )
    print(
        f"genuine latency           p50 {1000 * percentile(0.5):.1f} ms   p99 {1000 * percentile(0.99):.1f} ms"
        f"   max {1000 * (latencies[-1] if latencies else float('nan')):.1f} ms"
    )
    print(f"poisoning rounds          {counts['rounds']} (8 other URLs + 1 slow body each)")
    longest = max(durations) if durations else float("nan")
    late = sum(1 for lasted in durations if lasted > SLOW_CLOSE_LIMIT_SECONDS)
    print(
        f"slow connections          {slow_count} at once; closed by the server: {len(durations)},"
        f" longest open {longest:.1f} s, closed after more than {SLOW_CLOSE_LIMIT_SECONDS:g} s: {late},"
        f" never closed (given up after {SLOW_CLOSE_LIMIT_SECONDS + 5:g} s or at the end): {len(still_open)}"
    )


if __name__ == "__main__":
    asyncio.run(main())
