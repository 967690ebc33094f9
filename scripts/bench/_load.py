"""Servers under test (uvicorn subprocesses), their memory, and the load generator (wrk).

Without wrk, scripts/bench/_pyload.py stands in (``GENERATOR``).

wrk (Debian package ``wrk``) runs as its own process on loopback. A small Lua script feeds it
requests from a file, one request a line: ``METHOD<TAB>PATH<TAB>COOKIE<TAB>CSRF<TAB>BODY``
(empty fields are left out). Each wrk
thread takes every n-th line, starting at an offset, and cycles through its share; for review
redemptions the caller moves the offset past the lines already used so that every request
carries a fresh token (a reused one would answer 409 and count as an error).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(__file__).resolve().parent

LUA = r"""
local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  table.insert(threads, thread)
  count = count + 1
end

function init(args)
  local file, n, offset = args[1], tonumber(args[2]), tonumber(args[3])
  reqs = {}
  local i = 0
  for line in io.lines(file) do
    if i >= offset and (i - offset) % n == id then
      local method, path, cookie, csrf, body =
        line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      if cookie ~= "" then headers["Cookie"] = cookie end
      if csrf ~= "" then headers["X-CSRF-Token"] = csrf end
      if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
      reqs[#reqs + 1] = wrk.format(method, path, headers, body)
    end
    i = i + 1
  end
  used = 0
  wrapped = 0
  position = 0
end

function request()
  position = position + 1
  if position > #reqs then
    position = 1
    wrapped = wrapped + 1
  end
  used = used + 1
  return reqs[position]
end

function done(summary, latency, requests)
  local used, wrapped, available = 0, 0, 0
  for _, thread in ipairs(threads) do
    used = math.max(used, thread:get("used"))
    wrapped = wrapped + thread:get("wrapped")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,' ..
    '"used_per_thread":%d,"wrapped":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, used, wrapped))
end
"""


def clean_environ(**extra: str) -> dict[str, str]:
    """This process's environment without any CHALLENGE_* setting, plus ``extra``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")}
    return base | extra


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(child) for child in text]
    except OSError:
        pass
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def _own_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of one process so far; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants so far."""
    return sum(_own_cpu_seconds(member) or 0.0 for member in process_tree(pid))


def postgres_cpu_seconds() -> float:
    """User + system CPU time so far of every PostgreSQL server process on this machine (its
    backends, writer, WAL writer and checkpointer: the server's whole share of the machine,
    whichever database they serve)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if name == "postgres" or name.startswith("postgres:"):
            total += _own_cpu_seconds(int(entry.name)) or 0.0
    return total


def _own_rss_kib(pid: int) -> int | None:
    """Resident memory of one process, in KiB; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its descendants (uvicorn workers), in KiB."""
    return sum(_own_rss_kib(member) or 0 for member in process_tree(pid))


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    workers: int = 1
    health: str = "/"
    timeout: float = 90.0
    base: str = ""

    def __post_init__(self) -> None:
        self.base = f"http://127.0.0.1:{self.port}"

    def rss_kib(self) -> int:
        return rss_kib(self.process.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(
    target: str,
    *,
    workers: int,
    env: dict[str, str],
    log: Path,
    health: str,
    app_dir: Path | None = None,
    cwd: Path = ROOT,
    timeout: float = 90.0,
) -> Server:
    """uvicorn with the settings of ./scripts/start (uvloop, httptools, no uvicorn access log).

    Returns at once; ``wait_ready`` waits for it."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if app_dir is not None:
        command += ["--app-dir", str(app_dir)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=sink)
    return Server(process, port, log, workers=workers, health=health, timeout=timeout)


def wait_ready(*servers: Server) -> None:
    """Until every server answers its health check (each uvicorn worker has its own start-up)."""
    for server in servers:
        deadline = time.monotonic() + server.timeout
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(f"server exited with {server.process.returncode}; {server.log}")
            try:
                if httpx.get(server.base + server.health, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer on {server.health} in time; see {server.log}")
            time.sleep(0.1)
    time.sleep(0.5 * (max(s.workers for s in servers) - 1))


@dataclass(frozen=True)
class Load:
    """What a load generator measured: wrk or _pyload.py, closed loop or paced, on loopback."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # connect, read, write, timeout, and HTTP status >= 400
    used_per_thread: int
    wrapped: int
    raw: dict[str, int] = field(default_factory=dict)
    server_cpu_s: float = 0.0  # CPU the server processes used during the run, when measured

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_s * 1000 / self.requests if self.requests else 0.0


def wrk_path() -> str | None:
    return shutil.which("wrk")


# "wrk", or "python" (scripts/bench/_pyload.py: same request files, same summary, slower and
# less precise; for machines without wrk). Chosen once by the scripts' --loadgen option.
GENERATOR = "wrk" if wrk_path() else "python"


def write_lines(path: Path, lines: Sequence[tuple[str, str, str, str, str]]) -> None:
    path.write_text("".join("\t".join(parts) + "\n" for parts in lines))


def run_wrk(
    base: str,
    lines: Path,
    *,
    seconds: float,
    connections: int,
    threads: int,
    offset: int = 0,
    workdir: Path,
) -> Load:
    threads = max(1, min(threads, connections))
    if GENERATOR == "python":
        return _run_pyload(base, lines, seconds, connections, groups=threads, offset=offset)
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install -y wrk)")
    script = workdir / "bench.lua"
    if not script.is_file():
        script.write_text(LUA)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",  # wrk counts whole seconds
        "--timeout",
        "10s",
        "-s",
        str(script),
        base,
        "--",
        str(lines),
        str(threads),
        str(offset),
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds + 120
    )
    return _summary(completed)


def run_paced(
    base: str, lines: Path, *, seconds: float, connections: int, rate: float, offset: int = 0
) -> Load:
    """``connections`` clients sending ``rate`` requests per second between them, on a fixed
    schedule (scripts/bench/_pyload.py, open loop): the latency people see at that load."""
    return _run_pyload(base, lines, seconds, connections, groups=1, offset=offset, rate=rate)


def _run_pyload(
    base: str,
    lines: Path,
    seconds: float,
    connections: int,
    *,
    groups: int,
    offset: int,
    rate: float = 0.0,
) -> Load:
    """scripts/bench/_pyload.py in its own process: closed loop, or paced at ``rate``."""
    command = [
        sys.executable,
        str(BENCH_DIR / "_pyload.py"),
        base,
        str(lines),
        str(seconds),
        str(connections),
        str(groups),
        str(offset),
        str(rate),
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds + 120
    )
    return _summary(completed)


def _summary(completed: subprocess.CompletedProcess[str]) -> Load:
    for line in completed.stdout.splitlines():
        if line.startswith("WRKJSON "):
            raw = json.loads(line.removeprefix("WRKJSON "))
            break
    else:
        raise RuntimeError(f"load generator failed ({completed.returncode}):\n{completed.stderr}")
    return Load(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50"] / 1000,
        p90_ms=raw["p90"] / 1000,
        p99_ms=raw["p99"] / 1000,
        max_ms=raw["max"] / 1000,
        errors=sum(raw[k] for k in ("connect", "read", "write", "status", "timeout")),
        used_per_thread=raw["used_per_thread"],
        wrapped=raw["wrapped"],
        raw=raw,
    )


def _is_worker(pid: int) -> bool:
    """A child of uvicorn's supervisor that serves requests (not multiprocessing's resource
    tracker, which the supervisor starts too)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"resource_tracker" not in command


def worker_rss_kib(pid: int) -> dict[int, int]:
    """Resident memory of each uvicorn worker (the server's children; the server itself when
    it runs alone), in KiB, by process id."""
    workers = [child for child in _children(pid) if _is_worker(child)] or [pid]
    found = {worker: _own_rss_kib(worker) for worker in workers}
    return {worker: kib for worker, kib in found.items() if kib is not None}


def worker_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time so far of each uvicorn worker (as `worker_rss_kib`), by process id."""
    workers = [child for child in _children(pid) if _is_worker(child)] or [pid]
    found = {worker: _own_cpu_seconds(worker) for worker in workers}
    return {worker: seconds for worker, seconds in found.items() if seconds is not None}


@dataclass(frozen=True)
class MemorySample:
    """One look at a server's memory, ``seconds`` after sampling began."""

    seconds: float
    total_kib: int  # the whole process tree (supervisor and workers)
    workers_kib: dict[int, int]  # each worker's, by process id
    load: float  # the machine's 1-minute load average
    cache_bytes: dict[int, int]  # each worker's response cache, by process id, when probed
    # Each worker's CPU time so far, by process id: which workers served the load.
    workers_cpu_s: dict[int, float] = field(default_factory=dict)


class MemorySampler:
    """Samples a server's RSS (in all and per worker) every ``every`` seconds in a background
    thread; ``probe``, given the workers' RSS, returns their response caches' sizes."""

    def __init__(
        self,
        server: Server,
        every: float,
        probe: Callable[[dict[int, int]], dict[int, int]] | None = None,
    ):
        self.server, self.every, self.probe = server, every, probe
        self.samples: list[MemorySample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = 0.0

    def _sample(self) -> None:
        seconds = time.monotonic() - self._start
        workers = worker_rss_kib(self.server.process.pid)
        total = self.server.rss_kib()
        cpu = worker_cpu_seconds(self.server.process.pid)
        cache = self.probe(workers) if self.probe is not None else {}
        self.samples.append(
            MemorySample(
                seconds=seconds,
                total_kib=total,
                workers_kib=workers,
                load=os.getloadavg()[0],
                cache_bytes=cache,
                workers_cpu_s=cpu,
            )
        )

    def elapsed(self) -> float:
        """Seconds since sampling began, on the samples' clock."""
        return time.monotonic() - self._start

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._start = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
