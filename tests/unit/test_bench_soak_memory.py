"""The soak's verdict on memory (scripts/bench/api.py --soak): "flat" must mean that nothing
grows once the caches have filled, whatever happened during the warm-up. The warm-up lasts
until every worker's response cache has reached its cap or stopped growing for a minute: two
64 MB caches fill for about five minutes at the soak's rate, and a fixed warm-up of two minutes
read their bounded growth as a leak."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from tests.unit.mixload_stub import StubServer, mixload, read_lines, summary
from tests.unit.test_bench_mix_readers import _bench_api

MIB = 2**20
CAP = 64 * MIB


def _filling_caches(
    full_at: float, growth_kib_per_minute: float = 0.0, plateau: int = CAP
) -> list[Any]:
    """Ten-second samples of two workers over 10 minutes whose response caches grow from 26 MiB
    to `plateau` by `full_at` seconds and then stay; each worker's RSS is 150 MiB plus its
    cache, plus `growth_kib_per_minute` (in all) after `full_at`."""
    samples = []
    for t in range(0, 601, 10):
        cache = int(26 * MIB + (plateau - 26 * MIB) * min(t, full_at) / full_at)
        leak = growth_kib_per_minute * max(0.0, t - full_at) / 60 / 2
        samples.append(_two_workers(t, int(150 * 1024 + cache / 1024 + leak), cache))
    return samples


def _two_workers(seconds: float, worker_kib: int, cache: int) -> Any:
    """A sample of two workers alike, the supervisor's 20,000 KiB besides."""
    return _bench_api().load.MemorySample(
        seconds=seconds,
        total_kib=2 * worker_kib + 20_000,
        workers_kib={1: worker_kib, 2: worker_kib},
        load=1.0,
        cache_bytes={1: cache, 2: cache},
    )


def test_the_warm_up_lasts_until_both_caches_reach_their_cap(
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _bench_api()
    samples = _filling_caches(full_at=290)
    warmup = api.caches_settled_at(samples, CAP)
    assert warmup == 290  # not the two minutes of the old rule, while both still filled
    api.print_memory(samples, warmup)
    out = capsys.readouterr().out
    assert "Warm-up: 290 s, until every worker's response cache had reached its cap" in out
    assert "**flat**" in out


def test_a_cache_that_stops_below_its_cap_ends_the_warm_up_a_minute_later() -> None:
    api = _bench_api()
    # Every answer of the mix held in 40 MiB: the cache never reaches its cap.
    samples = _filling_caches(full_at=200, plateau=40 * MIB)
    assert api.caches_settled_at(samples, CAP) == 260
    assert api.caches_settled_at(samples[:26], CAP) is None  # at 250 s: not yet a minute


def test_a_worker_no_scrape_reached_keeps_the_warm_up_going() -> None:
    api = _bench_api()
    samples = [
        api.load.MemorySample(
            seconds=s.seconds,
            total_kib=s.total_kib,
            workers_kib=s.workers_kib,
            load=s.load,
            cache_bytes={1: s.cache_bytes[1]},
        )
        for s in _filling_caches(full_at=100)
    ]
    assert api.caches_settled_at(samples, CAP) is None


def test_memory_that_keeps_growing_after_the_caches_fill_is_not_flat(
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _bench_api()
    samples = _filling_caches(full_at=290, growth_kib_per_minute=1024)  # 60 MiB an hour
    api.print_memory(samples, api.caches_settled_at(samples, CAP))
    out = capsys.readouterr().out
    assert "**NOT flat**" in out
    assert "slope +1.00 MiB/min over 5.2 min" in out


def _settling(minutes: int, early_mib: float, late_kib_per_minute: float) -> list[Any]:
    """Ten-second samples of two workers whose caches are full from the start: memory grows
    `early_mib` (in all) over the first five minutes, then `late_kib_per_minute`."""
    samples = []
    for t in range(0, minutes * 60 + 1, 10):
        grown_kib = (
            early_mib * 1024 * min(t, 300) / 300 + late_kib_per_minute * max(0, t - 300) / 60
        )
        samples.append(_two_workers(t, int(150 * 1024 + CAP / 1024 + grown_kib / 2), CAP))
    return samples


def test_a_long_soak_also_judges_its_last_ten_minutes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """25 minutes: 40 MiB kept by the allocator over the first five, then 0.2 MiB a minute:
    not flat over the whole run, flat over its last ten minutes."""
    api = _bench_api()
    api.print_memory(_settling(25, early_mib=40, late_kib_per_minute=205), 60)
    out = capsys.readouterr().out
    assert "over 24.0 min: **NOT flat**" in out
    assert "Memory over the last 600 s (900-1500 s)" in out
    assert "slope +0.20 MiB/min: **flat**" in out


def test_memory_that_keeps_growing_is_not_flat_over_the_last_ten_minutes_either(
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _bench_api()
    api.print_memory(_settling(25, early_mib=5, late_kib_per_minute=1024), 60)
    out = capsys.readouterr().out
    assert "Memory over the last 600 s" in out
    assert "slope +1.00 MiB/min: **NOT flat**." in out


def test_a_ten_minute_soak_has_one_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    api = _bench_api()
    api.print_memory(_filling_caches(full_at=290), 0)
    assert "Memory over the last" not in capsys.readouterr().out


def test_a_warm_up_that_ran_out_says_the_caches_were_still_filling(
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _bench_api()
    samples = _filling_caches(full_at=500)
    assert api.caches_settled_at(samples[:37], CAP) is None  # 360 s, the default limit
    api.print_memory(samples, 360, settled=False)
    out = capsys.readouterr().out
    assert "Warm-up: 360 s, its limit, with a response cache still filling" in out
    assert "**NOT flat**" in out


def test_the_mix_runs_its_seconds_after_the_warm_up_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """_mixload.py measures SECONDS after the signal that the caches settled, not from its
    start, and not the whole warm-up allowance when the signal comes early."""
    lines = read_lines(tmp_path / "mix.tsv")

    async def run() -> float:
        async with StubServer() as server:
            loop = asyncio.get_running_loop()
            loop.call_later(0.6, os.kill, os.getpid(), signal.SIGUSR1)
            began = time.monotonic()
            # Up to 30 s of warm-up, then 0.5 s measured.
            await mixload().main(server.url, str(lines), 0.5, 2, 40.0, 0, 0, 30)
            return time.monotonic() - began

    took = asyncio.run(run())
    found = summary(capsys)
    assert 0.5 <= found["warmup_s"] < 1.5
    assert took < 5
    assert found["requests"] >= 40  # 40 a second for the 1.1 s it ran


def test_each_workers_share_of_the_cpu_says_whether_both_served(
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _bench_api()
    load = api.load
    samples = [
        load.MemorySample(
            seconds=t,
            total_kib=400_000,
            workers_kib={11: 190_000, 12: 190_000},
            load=1.0,
            cache_bytes={},
            # Worker 11 serves nearly everything; worker 12 only runs its timers.
            workers_cpu_s={11: 5.0 + 0.38 * t, 12: 5.0 + 0.02 * t},
        )
        for t in range(0, 601, 10)
    ]
    api.print_memory(samples, 120)
    out = capsys.readouterr().out
    assert "- worker 1: slope +0.00 MiB/min, max - min 0.0 MiB; CPU over the run 228.0 s" in out
    assert "228.0 s (95% of the workers')" in out
    assert "- worker 2: slope +0.00 MiB/min, max - min 0.0 MiB; CPU over the run 12.0 s" in out
    assert "12.0 s (5% of the workers')" in out
