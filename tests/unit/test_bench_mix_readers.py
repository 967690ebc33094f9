"""The mix benchmark's model of people polling their pages (scripts/bench/api.py --mix-readers):
the shares of memory it reports are only as honest as the order of reads it sends."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _bench_api() -> ModuleType:
    sys.path.insert(0, str(ROOT / "scripts" / "bench"))  # its own imports (_api_world, _load)
    spec = importlib.util.spec_from_file_location("bench_api", ROOT / "scripts/bench/api.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_api"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _pages(people: int, per_person: int = 3) -> list[list[tuple[str, ...]]]:
    return [[("read", "GET", f"/p{p}/page{n}") for n in range(per_person)] for p in range(people)]


def test_without_readers_every_page_is_read_once_before_any_is_read_again() -> None:
    reads = _bench_api().polling_reads(_pages(7), 0, 4)
    assert len(reads) == 21
    assert len(set(reads)) == 21


def test_each_working_set_reads_every_page_of_its_own_as_often_as_asked_then_leaves() -> None:
    pages = _pages(10)
    reads = _bench_api().polling_reads(pages, 4, 3)
    assert len(reads) == 10 * 3 * 3  # every page of everyone, three times
    # People 0-3 first, each of their 12 pages once per pass of 12 reads, then 4-7, then 8-9.
    sets = [range(0, 4), range(4, 8), range(8, 10)]
    at = 0
    for people in sets:
        own = {page for p in people for page in pages[p]}
        for _ in range(3):
            one_pass = reads[at : at + len(own)]
            assert len(one_pass) == len(own)
            assert set(one_pass) == own
            at += len(own)
    assert at == len(reads)
