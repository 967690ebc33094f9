"""A small HTTP/1.1 load generator: closed loop where wrk is missing, and paced (open loop).

Run as its own process by _load.run_wrk (closed loop, without wrk; less precise) and
_load.run_paced; reads the same request files as the wrk script
(``METHOD<TAB>PATH<TAB>COOKIE<TAB>CSRF<TAB>BODY``, every ``groups``-th line per group from
``offset``) and prints the same ``WRKJSON`` summary line. One asyncio task per connection,
keep-alive.

Closed loop (RATE 0): each connection sends its next request as soon as the answer is in;
latency runs from the first byte sent to the last byte received. Paced (RATE > 0): together
the connections send RATE requests per second on a fixed schedule, each connection every
CONNECTIONS / RATE seconds, staggered; latency runs from the *scheduled* send time, so a
server that falls behind is charged for the wait (no coordinated omission).

    python scripts/bench/_pyload.py URL FILE SECONDS CONNECTIONS GROUPS OFFSET [RATE]
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


def build_requests(host: str, path: str, groups: int, offset: int) -> list[list[bytes]]:
    shares: list[list[bytes]] = [[] for _ in range(groups)]
    with open(path, encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            if index < offset:
                continue
            method, target, cookie, csrf, body = line.rstrip("\n").split("\t", 4)
            headers = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
            if cookie:
                headers.append(f"Cookie: {cookie}")
            if csrf:
                headers.append(f"X-CSRF-Token: {csrf}")
            payload = body.encode()
            if payload:
                headers.append("Content-Type: application/json")
            headers.append(f"Content-Length: {len(payload)}")
            request = ("\r\n".join(headers) + "\r\n\r\n").encode() + payload
            shares[(index - offset) % groups].append(request)
    return shares


async def main(
    url: str, path: str, seconds: float, connections: int, groups: int, offset: int, rate: float
) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    shares = build_requests(f"{host}:{port}", path, groups, offset)
    used = [0] * groups
    latencies: list[float] = []
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
    received = 0
    begin = time.perf_counter()
    deadline = begin + seconds
    interval = connections / rate if rate > 0 else 0.0

    async def client(number: int) -> None:
        nonlocal received
        group = number % groups
        share = shares[group]
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            errors["connect"] += 1
            return
        scheduled = begin + interval * number / connections
        try:
            while share:
                if interval:
                    if scheduled >= deadline:
                        break
                    await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
                elif time.perf_counter() >= deadline:
                    break
                request = share[used[group] % len(share)]
                used[group] += 1
                start = scheduled if interval else time.perf_counter()
                writer.write(request)
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                    length = 0
                    for line in head.split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    body = await asyncio.wait_for(reader.readexactly(length), 10)
                except TimeoutError:
                    errors["timeout"] += 1
                    return
                except (asyncio.IncompleteReadError, ConnectionError):
                    errors["read"] += 1
                    return
                latencies.append(time.perf_counter() - start)
                scheduled += interval
                received += len(head) + len(body)
                if int(head.split(b" ", 2)[1]) >= 400:
                    errors["status"] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(connections)))
    duration = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> int:
        if not latencies:
            return 0
        return int(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1e6)

    per_group = [len(share) for share in shares]
    summary = {
        "requests": len(latencies),
        "duration_us": int(duration * 1e6),
        "bytes": received,
        **errors,
        "p50": percentile(50),
        "p90": percentile(90),
        "p99": percentile(99),
        "max": int(latencies[-1] * 1e6) if latencies else 0,
        "used_per_thread": max(used),
        "wrapped": sum(max(0, u - 1) // n for u, n in zip(used, per_group, strict=True) if n),
    }
    print("WRKJSON " + json.dumps(summary))


if __name__ == "__main__":
    url, path, seconds, connections, groups, offset = sys.argv[1:7]
    rate = float(sys.argv[7]) if len(sys.argv) > 7 else 0.0
    asyncio.run(main(url, path, float(seconds), int(connections), int(groups), int(offset), rate))
