"""The benchmark writes the command's inputs (``--write-inputs``), so that the timed runs of
``python -m app pairs match`` read the instances the bench measures."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from app.pairing.command import run

ROOT = Path(__file__).resolve().parents[3]


def test_the_bench_writes_inputs_the_command_reads(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_pairs", ROOT / "scripts/bench/pairs.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    argv = ["--sizes", "120,2000", "--mode", "mutual", "--write-inputs", str(tmp_path)]
    assert bench.main(argv) == 0
    written = tmp_path / "pairs_p2k_mutual.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pairs_p120_mutual.json",
        "pairs_p2k_mutual.json",
    ]
    assert json.loads(written.read_text(encoding="utf-8")) == bench.generate(2000, 0, "mutual")
    out = tmp_path / "out.json"
    assert run(["--input", str(written), "--output", str(out), "--time-limit", "60"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["pairs"]
