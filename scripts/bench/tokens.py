"""Throughput of review tokens: RFC 9474 blind signatures (app/reviews/blind_rsa.py).

Usage::

    .venv/bin/python scripts/bench/tokens.py [--rounds 5] [--seconds 2] [--openssl-seconds 3]
        [--threads 2] [--no-openssl]

Measures, in one run, on one core unless said otherwise:

- ``blind_sign``: blind signatures per second with our constant-time RSA-2048 private operation
  (gmpy2 ``powmod_sec`` + CRT + base blinding + the s^e check);
- OpenSSL's own RSA-2048 signatures per second, ``openssl speed -seconds 3 rsa2048`` as a
  subprocess, interleaved with our rounds so both see the same machine load, and the ratio
  ours / OpenSSL;
- ``verify``: token verifications per second (RSASSA-PSS-SHA384 through ``cryptography``);
- ``blind_sign`` with ``--threads`` worker threads sharing one ``BlindSigner`` (gmpy2 releases
  the GIL during the exponentiations), as the app calls it through ``anyio.to_thread``.

Every figure is the median over ``--rounds`` rounds. Prints a Markdown table.

Extending: a measurement is a function returning ``Result``s; ``main`` runs them in order. The
HTTP-level figures (batch issuance at 20 concurrent participants, redemptions per second through
the API) are meant to be added as further functions beside ``measure_blind_sign`` and friends.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.hazmat.primitives.asymmetric import rsa

from app.reviews import blind_rsa

SAMPLE_POOL = 256  # distinct inputs cycled through by every loop


@dataclass(frozen=True)
class Result:
    name: str
    value: float  # the median
    unit: str
    samples: tuple[float, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Fixture:
    """One key and a pool of realistic inputs (fresh blinded messages, finished tokens)."""

    private_key: rsa.RSAPrivateKey
    blinded: tuple[bytes, ...]
    tokens: tuple[tuple[bytes, bytes], ...]  # (prepared message, signature)

    @classmethod
    def build(cls, size: int = SAMPLE_POOL) -> Fixture:
        private_key = blind_rsa.generate_signing_key()
        public_key = private_key.public_key()
        signer = blind_rsa.BlindSigner(private_key)
        blinded: list[bytes] = []
        tokens: list[tuple[bytes, bytes]] = []
        for index in range(size):
            prepared = blind_rsa.prepare(index.to_bytes(32, "big"))
            blinded_message, inv = blind_rsa.blind(public_key, prepared)
            blinded.append(blinded_message)
            blind_sig = signer.blind_sign(blinded_message)
            tokens.append((prepared, blind_rsa.finalize(public_key, prepared, blind_sig, inv)))
        return cls(private_key, tuple(blinded), tuple(tokens))


def rate(operation: Callable[[int], object], seconds: float) -> float:
    """Calls of ``operation(i)`` per second over at least ``seconds`` of wall time."""
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(16):
            operation(calls)
            calls += 1
        now = time.perf_counter()
        if now >= deadline:
            return calls / (now - start)


def measure_blind_sign(fixture: Fixture, seconds: float) -> float:
    signer = blind_rsa.BlindSigner(fixture.private_key)
    pool = fixture.blinded
    return rate(lambda i: signer.blind_sign(pool[i % len(pool)]), seconds)


def measure_verify(fixture: Fixture, seconds: float) -> float:
    public_key = fixture.private_key.public_key()
    tokens = fixture.tokens

    def check(i: int) -> None:
        prepared, signature = tokens[i % len(tokens)]
        if not blind_rsa.verify(public_key, prepared, signature):
            raise AssertionError("a valid token did not verify")

    return rate(check, seconds)


def measure_blind_sign_threads(fixture: Fixture, seconds: float, threads: int) -> float:
    """Total blind signatures per second of ``threads`` threads sharing one signer."""
    signer = blind_rsa.BlindSigner(fixture.private_key)
    pool = fixture.blinded
    counts = [0] * threads
    barrier = threading.Barrier(threads + 1)
    stop = threading.Event()

    def worker(slot: int) -> None:
        barrier.wait()
        done = 0
        while not stop.is_set():
            signer.blind_sign(pool[(slot * 97 + done) % len(pool)])
            done += 1
        counts[slot] = done

    workers = [threading.Thread(target=worker, args=(slot,)) for slot in range(threads)]
    for thread in workers:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in workers:
        thread.join()
    return sum(counts) / (time.perf_counter() - start)


_OPENSSL_ROW = re.compile(r"^rsa\s+2048\s+bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)", re.MULTILINE)


def openssl_speed_rsa2048(seconds: int) -> tuple[float, float]:
    """(sign/s, verify/s) of ``openssl speed -seconds N rsa2048`` (single process, one core)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl is not on PATH")
    completed = subprocess.run(
        [openssl, "speed", "-seconds", str(seconds), "rsa2048"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds * 10 + 60,
    )
    match = _OPENSSL_ROW.search(completed.stdout)
    if match is None:
        raise RuntimeError(f"unexpected `openssl speed` output:\n{completed.stdout}")
    return float(match.group(1)), float(match.group(2))


def openssl_version() -> str:
    openssl = shutil.which("openssl")
    if openssl is None:
        return "openssl not found"
    return subprocess.run(
        [openssl, "version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _median(name: str, samples: Sequence[float], unit: str, note: str = "") -> Result:
    return Result(name, statistics.median(samples), unit, tuple(samples), note)


def run_token_benchmarks(args: argparse.Namespace) -> list[Result]:
    fixture = Fixture.build()
    measure_blind_sign(fixture, 0.5)  # warm-up: caches, CPU frequency
    ours: list[float] = []
    openssl_sign: list[float] = []
    openssl_verify: list[float] = []
    for _ in range(args.rounds):
        ours.append(measure_blind_sign(fixture, args.seconds))
        if not args.no_openssl:
            sign_rate, verify_rate = openssl_speed_rsa2048(args.openssl_seconds)
            openssl_sign.append(sign_rate)
            openssl_verify.append(verify_rate)
    results = [_median("blind_sign, 1 thread (constant time)", ours, "signatures/s")]
    if openssl_sign:
        ratio = [mine / theirs for mine, theirs in zip(ours, openssl_sign, strict=True)]
        results += [
            _median(
                f"openssl speed -seconds {args.openssl_seconds} rsa2048, sign",
                openssl_sign,
                "signatures/s",
            ),
            Result(
                "ratio blind_sign / OpenSSL sign",
                statistics.median(ours) / statistics.median(openssl_sign),
                "",
                tuple(ratio),
                "ratio of the medians; samples are per round",
            ),
        ]
    verified = [measure_verify(fixture, args.seconds) for _ in range(args.rounds)]
    results.append(_median("verify (RSASSA-PSS-SHA384, cryptography)", verified, "tokens/s"))
    if openssl_verify:
        results.append(
            _median("openssl speed rsa2048, verify (raw, no PSS)", openssl_verify, "ops/s")
        )
    if args.threads > 1:
        threaded = [
            measure_blind_sign_threads(fixture, args.seconds, args.threads)
            for _ in range(args.rounds)
        ]
        results.append(
            _median(f"blind_sign, {args.threads} threads, one signer", threaded, "signatures/s")
        )
    return results


def print_table(results: Sequence[Result]) -> None:
    print("| measurement | median | unit | samples |")
    print("|---|---:|---|---|")
    for result in results:
        value = f"{result.value:.3f}" if result.unit == "" else f"{result.value:,.0f}"
        samples = ", ".join(
            f"{sample:.3f}" if result.unit == "" else f"{sample:,.0f}" for sample in result.samples
        )
        note = f" ({result.note})" if result.note else ""
        print(f"| {result.name} | {value} | {result.unit} | {samples}{note} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="repetitions (median reported)")
    parser.add_argument("--seconds", type=float, default=2.0, help="duration of one of our loops")
    parser.add_argument("--openssl-seconds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="threads for the parallel figure")
    parser.add_argument("--no-openssl", action="store_true", help="skip `openssl speed`")
    args = parser.parse_args(argv)

    print(f"# Token benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(
        f"CPU: {cpu_model()}, {os.cpu_count()} logical cores; Python "
        f"{platform.python_version()}; {openssl_version()}; load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    python = os.path.relpath(sys.executable)
    if python.startswith(".."):
        python = sys.executable
    print(f"Command: {' '.join([python, *sys.argv])}")
    print()
    results = run_token_benchmarks(args)
    print_table(results)
    print()
    print(f"Load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
