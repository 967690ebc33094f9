"""A mixed load (reads and writes) with latency per kind: closed loop or paced (open loop).

Run as its own process by scripts/bench/api.py --mix. Reads
``KIND<TAB>METHOD<TAB>PATH<TAB>COOKIE<TAB>CSRF<TAB>BODY`` lines (already shuffled into the mix),
each connection taking every CONNECTIONS-th line from its own start, and prints one
``MIXJSON`` line: per kind, requests, p50/p99 (µs) and answers >= 400; in all, requests and
duration. Paced (RATE > 0): the connections send RATE requests per second between them on a
fixed schedule, latency counted from the scheduled send time (as _pyload.py).

    python scripts/bench/_mixload.py URL FILE SECONDS CONNECTIONS [RATE]
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit


def _request(host: str, line: str) -> tuple[str, bytes]:
    kind, method, target, cookie, csrf, body = line.rstrip("\n").split("\t", 5)
    headers = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    if csrf:
        headers.append(f"X-CSRF-Token: {csrf}")
    payload = body.encode()
    if payload:
        headers.append("Content-Type: application/json")
    headers.append(f"Content-Length: {len(payload)}")
    return kind, ("\r\n".join(headers) + "\r\n\r\n").encode() + payload


def _requests(host: str, path: str) -> list[tuple[str, bytes]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()  # before the clock starts
    return [_request(host, line) for line in lines if line.strip()]


async def main(url: str, path: str, seconds: float, connections: int, rate: float) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = _requests(f"{host}:{port}", path)
    latencies: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    transport_errors = 0
    begin = time.perf_counter()
    deadline = begin + seconds
    interval = connections / rate if rate > 0 else 0.0

    async def client(number: int) -> None:
        nonlocal transport_errors
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            transport_errors += 1
            return
        scheduled = begin + interval * number / connections
        index = number
        try:
            while True:
                if interval:
                    if scheduled >= deadline:
                        break
                    await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
                elif time.perf_counter() >= deadline:
                    break
                kind, request = requests[index % len(requests)]
                index += connections
                start = scheduled if interval else time.perf_counter()
                writer.write(request)
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                    length = 0
                    for header in head.split(b"\r\n")[1:]:
                        name, _, value = header.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    await asyncio.wait_for(reader.readexactly(length), 10)
                except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    transport_errors += 1
                    return
                latencies.setdefault(kind, []).append(time.perf_counter() - start)
                scheduled += interval
                if int(head.split(b" ", 2)[1]) >= 400:
                    failed[kind] = failed.get(kind, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(connections)))
    duration = time.perf_counter() - started

    def percentile(values: list[float], p: float) -> int:
        return int(values[min(len(values) - 1, int(len(values) * p / 100))] * 1e6)

    kinds = {}
    for kind, values in latencies.items():
        values.sort()
        kinds[kind] = {
            "requests": len(values),
            "p50": percentile(values, 50),
            "p99": percentile(values, 99),
            "failed": failed.get(kind, 0),
        }
    summary = {
        "requests": sum(len(v) for v in latencies.values()),
        "duration_us": int(duration * 1e6),
        "transport_errors": transport_errors,
        "wrapped": sum(len(v) for v in latencies.values()) > len(requests),
        "kinds": kinds,
    }
    print("MIXJSON " + json.dumps(summary))


if __name__ == "__main__":
    url, path, seconds, connections = sys.argv[1:5]
    rate = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    asyncio.run(main(url, path, float(seconds), int(connections), rate))
