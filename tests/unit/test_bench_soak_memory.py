"""The soak's verdict on memory (scripts/bench/api.py --soak): "flat" must mean that nothing
grows once the caches have filled, whatever happened during the warm-up."""

from __future__ import annotations

import pytest

from tests.unit.test_bench_mix_readers import _bench_api


def _verdict(growth_kib_per_minute: float, capsys: pytest.CaptureFixture[str]) -> str:
    api = _bench_api()
    load = api.load
    samples = [
        load.MemorySample(
            seconds=t,
            # The first two minutes fill the caches (steep), then `growth_kib_per_minute`.
            total_kib=int(
                400_000 + 300 * min(t, 120) + growth_kib_per_minute * max(0, t - 120) / 60
            ),
            workers_kib={1: 190_000, 2: 190_000},
            load=1.0,
            cache_bytes={},
        )
        for t in range(0, 601, 10)
    ]
    api.print_memory(samples, api.soak_warmup(600))
    return capsys.readouterr().out


def test_memory_that_levels_off_after_the_warm_up_is_flat(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "**flat**" in _verdict(0, capsys)


def test_memory_that_keeps_growing_after_the_warm_up_is_not_flat(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _verdict(1024, capsys)  # a MiB a minute: 60 MiB an hour
    assert "**NOT flat**" in out
    assert "slope +1.00 MiB/min over 8.0 min" in out


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
    api.print_memory(samples, api.soak_warmup(600))
    out = capsys.readouterr().out
    assert "- worker 1: slope +0.00 MiB/min, max - min 0.0 MiB; CPU over the run 228.0 s" in out
    assert "228.0 s (95% of the workers')" in out
    assert "- worker 2: slope +0.00 MiB/min, max - min 0.0 MiB; CPU over the run 12.0 s" in out
    assert "12.0 s (5% of the workers')" in out
