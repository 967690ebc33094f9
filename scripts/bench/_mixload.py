"""A mixed load (reads and writes) with latency per kind: closed loop or paced (open loop).

Run as its own process by scripts/bench/api.py --mix. Reads
``KIND<TAB>METHOD<TAB>PATH<TAB>COOKIE<TAB>CSRF<TAB>BODY`` lines (already shuffled into the mix),
each connection taking every CONNECTIONS-th line from its own start, and prints one
``MIXJSON`` line: per kind, requests, p50/p99 (µs) and answers >= 400; in all, requests and
duration. Paced (RATE > 0): the connections send RATE requests per second between them on a
fixed schedule, latency counted from the scheduled send time (as _pyload.py). WINDOW > 0 (a
soak): the same figures again per WINDOW seconds of the run, by when each request was due, so
that a slow drift shows.

Each connection is opened when its client's first request is due, and, RECONNECT > 0, closed
and opened again after every RECONNECT answers, as people's browsers reconnect between polls
(the server closes a connection idle for a few seconds). Behind several uvicorn workers
sharing one listening socket, whichever worker is free accepts a new connection: connections
opened all at once are all accepted by the first worker to wake, and kept alive they would stay
there for the whole run while the other worker idles. Reconnecting now and then keeps handing
connections to the worker with time to accept them, as a load balancer would.

The generator runs on uvloop when it is installed (it comes with the service's uvicorn), and its
summary gives its own CPU time (``cpu_us``): on one machine it shares the cores with the service.

WARMUP > 0 (a soak whose warm-up ends when the server's caches have filled, which only the
caller can see): the run goes on for SECONDS after the process receives SIGUSR1, or after
WARMUP seconds if no signal came by then; the summary says when the warm-up ended
(``warmup_s``), on the same clock as the windows.

    python scripts/bench/_mixload.py URL FILE SECONDS CONNECTIONS [RATE [WINDOW [RECONNECT
        [WARMUP]]]]
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any
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


def _percentile(values: list[float], p: float) -> int:
    """`values` sorted, in seconds; the result in µs."""
    return int(values[min(len(values) - 1, int(len(values) * p / 100))] * 1e6)


def _by_kind(latencies: dict[str, list[float]], failed: dict[str, int]) -> dict[str, Any]:
    kinds = {}
    for kind, values in latencies.items():
        values.sort()
        kinds[kind] = {
            "requests": len(values),
            "p50": _percentile(values, 50),
            "p99": _percentile(values, 99),
            "failed": failed.get(kind, 0),
        }
    return kinds


async def main(
    url: str,
    path: str,
    seconds: float,
    connections: int,
    rate: float,
    window: float,
    reconnect: int = 0,
    warmup: float = 0.0,
) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = _requests(f"{host}:{port}", path)
    latencies: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    transport_errors = 0
    opened = 0
    # Per window of the run (index: when the request was due): latencies, answers >= 400 and
    # connections lost, by kind.
    windowed: dict[int, dict[str, list[float]]] = {}
    windowed_failed: dict[int, dict[str, int]] = {}
    windowed_lost: dict[int, int] = {}
    wrapped = False  # a connection came round to its first line again: requests repeated
    begin = time.perf_counter()
    deadline = begin + warmup + seconds
    warmup_end = begin + warmup if warmup > 0 else begin

    def end_warmup() -> None:
        # The caller saw the caches settle: SECONDS more from now, once.
        nonlocal deadline, warmup_end
        if warmup_end > time.perf_counter():
            warmup_end = time.perf_counter()
            deadline = warmup_end + seconds

    if warmup > 0:
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, end_warmup)
    interval = connections / rate if rate > 0 else 0.0

    async def client(number: int) -> None:
        nonlocal transport_errors, opened, wrapped
        scheduled = begin + interval * number / connections
        index = number
        writer: asyncio.StreamWriter | None = None
        answered_here = 0  # on the current connection
        try:
            while True:
                if interval:
                    if scheduled >= deadline:
                        break
                    await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
                elif time.perf_counter() >= deadline:
                    break
                if writer is None:
                    try:
                        reader, writer = await asyncio.open_connection(host, port)
                    except OSError:
                        transport_errors += 1
                        return
                    opened += 1
                    answered_here = 0
                kind, request = requests[index % len(requests)]
                wrapped = wrapped or index >= len(requests)
                index += connections
                start = scheduled if interval else time.perf_counter()
                number_of_window = int((start - begin) // window) if window > 0 else 0
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
                    if window > 0:
                        lost = windowed_lost.get(number_of_window, 0)
                        windowed_lost[number_of_window] = lost + 1
                    return
                latency = time.perf_counter() - start
                latencies.setdefault(kind, []).append(latency)
                scheduled += interval
                if window > 0:
                    windowed.setdefault(number_of_window, {}).setdefault(kind, []).append(latency)
                if int(head.split(b" ", 2)[1]) >= 400:
                    failed[kind] = failed.get(kind, 0) + 1
                    if window > 0:
                        in_window = windowed_failed.setdefault(number_of_window, {})
                        in_window[kind] = in_window.get(kind, 0) + 1
                answered_here += 1
                if reconnect and answered_here >= reconnect:
                    # The next request opens another, its connect counted in its latency
                    # as a browser's would be.
                    writer.close()
                    writer = None
        finally:
            if writer is not None:
                writer.close()

    started = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(client(n) for n in range(connections)))
    duration = time.perf_counter() - started
    cpu = time.process_time() - cpu

    summary = {
        "requests": sum(len(v) for v in latencies.values()),
        "duration_us": int(duration * 1e6),
        "cpu_us": int(cpu * 1e6),  # this generator's own, on the cores it shares with the service
        "transport_errors": transport_errors,
        "connections_opened": opened,
        "warmup_s": warmup_end - begin,
        "wrapped": wrapped,
        "kinds": _by_kind(latencies, failed),
        "windows": [
            {
                "start_s": number * window,
                "requests": sum(len(v) for v in windowed.get(number, {}).values()),
                "transport_errors": windowed_lost.get(number, 0),
                "kinds": _by_kind(windowed.get(number, {}), windowed_failed.get(number, {})),
            }
            for number in sorted({*windowed, *windowed_lost})
        ],
    }
    print("MIXJSON " + json.dumps(summary))


if __name__ == "__main__":
    url, path, seconds, connections = sys.argv[1:5]
    rate = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    window = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    reconnect = int(sys.argv[7]) if len(sys.argv) > 7 else 0
    warmup = float(sys.argv[8]) if len(sys.argv) > 8 else 0.0
    try:
        import uvloop  # the service's own loop (uvicorn[standard]): less of the shared cores spent
    except ImportError:  # pragma: no cover - installed with the service
        loop_factory = None
    else:
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(
            main(url, path, float(seconds), int(connections), rate, window, reconnect, warmup)
        )
