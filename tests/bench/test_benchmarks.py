"""Smoke tests of the benchmarks: a tiny world, one short round, every row, no errors.

They run scripts/bench/api.py, tokens.py and inprocess.py as an operator would (a subprocess;
for the HTTP ones real uvicorn servers and a load generator in its own process), only smaller,
so that the benchmarks cannot silently rot while the API changes under them. The HTTP ones use
wrk when it is installed and their own Python load generator otherwise, on the backend of the
test run (./scripts/test covers SQLite and PostgreSQL); the in-process one runs on SQLite.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.teams.service import EDIT_WINDOW
from tests.conftest import BACKEND, POSTGRES_SERVER

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = (
    "list challenges",
    "my team page",
    "team messages",
    "submissions to review",
    "review redemption",
)


def run_script(script: str, *arguments: str) -> str:
    """The bench script's standard output; fails the test with its log when it exits non-zero.
    It gets the test run's PostgreSQL server (as the benches and as the tests' helpers read
    it), and none of the test run's settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")}
    environment["BENCH_POSTGRES_URL"] = POSTGRES_SERVER
    environment["CHALLENGE_TEST_POSTGRES_URL"] = POSTGRES_SERVER
    completed = subprocess.run(
        [sys.executable, f"scripts/bench/{script}", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def run_benchmark(script: str, *arguments: str) -> str:
    """A world-building bench on the tiny world: its output, which names the machine."""
    output = run_script(script, "--size", "tiny", *arguments)
    assert re.search(r"CPU: .*load average", output)
    return output


def table_rows(output: str) -> dict[str, list[str]]:
    """The Markdown table's rows by their first cell (the header and rule left out)."""
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    return {
        cells[0]: cells
        for cells in ([cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:])
        if not cells[0].startswith("---")
    }


def number(cell: str) -> float:
    return float(cell.replace(",", ""))


def tables(output: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every Markdown table by its first header cell: (header, rows); of two with the same
    first cell, the first."""
    found: dict[str, tuple[list[str], list[list[str]]]] = {}
    block: list[list[str]] = []
    for line in [*output.splitlines(), ""]:
        if line.startswith("|"):
            block.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif block:
            header, _rule, *rows = block
            found.setdefault(header[0], (header, rows))
            block = []
    return found


def test_api_benchmark_produces_every_row_without_errors(tmp_path: Path) -> None:
    output = run_benchmark(
        "api.py",
        *("--backends", BACKEND, "--workers", "1", "--rounds", "1", "--duration", "1"),
        *("--warmup", "0", "--connections", "4", "--paced-rate", "20", "--drop-templates"),
        *("--cache-dir", str(tmp_path / "cache")),
    )
    rows = table_rows(output)
    assert set(rows) == set(ENDPOINTS), output
    for endpoint, cells in rows.items():
        app_rps, bare_rps, errors, from_cache = cells[4], cells[7], cells[14], cells[15]
        assert number(app_rps) > 0, endpoint
        assert number(bare_rps) > 0, endpoint
        app_paced_p99, bare_paced_p99 = cells[12], cells[13]  # the open-loop latency run
        assert number(app_paced_p99) > 0, endpoint
        assert number(bare_paced_p99) > 0, endpoint
        assert errors == "0", f"{endpoint}: {cells}"
        if endpoint == "review redemption":
            assert from_cache == "—"
        else:  # every reader met once before the runs: the service answers from memory
            assert number(from_cache.removesuffix(" %")) > 50, f"{endpoint}: {cells}"
    # No edit window may end during a run (each author's messages answer would be rebuilt):
    # the world's messages were posted, as far as the service can tell, before its window.
    (template,) = (tmp_path / "cache").glob("*/app.db")
    with sqlite3.connect(template) as world:
        (newest,) = world.execute("SELECT max(created_at) FROM messages").fetchone()
    world.close()
    posted = datetime.fromisoformat(newest).replace(tzinfo=UTC)
    assert posted < datetime.now(UTC) - EDIT_WINDOW, newest


def test_mix_reports_where_the_shared_cores_went_per_request(tmp_path: Path) -> None:
    output = run_benchmark(
        "api.py",
        *("--mix", "--backends", BACKEND, "--workers", "1", "--duration", "2"),
        *("--connections", "4", "--mix-rate", "30", "--drop-templates"),
        *("--cache-dir", str(tmp_path / "cache")),
    )
    header, rows = tables(output)["backend"]
    assert header[4:7] == ["CPU ms/req", "PostgreSQL CPU ms/req", "generator CPU ms/req"], header
    assert [row[2] for row in rows] == ["closed", "paced 30/s"], output
    for row in rows:
        assert number(row[3]) > 0, row  # requests a second
        assert number(row[4]) > 0, row  # the service's workers
        assert number(row[6]) > 0, row  # the load generator's own
        if BACKEND == "postgres":  # the server's processes, whichever database they served
            assert number(row[5]) > 0, row
        else:
            assert row[5] == "-", row
        assert row[8] == "0", row  # errors


def test_mix_soak_reports_each_kind_per_minute_and_each_workers_memory(tmp_path: Path) -> None:
    output = run_benchmark(
        "api.py",
        *("--mix", "--soak", "8", "--soak-config", f"{BACKEND}:2", "--mix-rate", "30"),
        *("--connections", "4", "--sample-every", "1", "--drop-templates"),
        *("--soak-warmup-max", "2", "--cache-dir", str(tmp_path / "cache")),
    )
    found = tables(output)
    (summary,) = found["requests"][1]
    assert number(summary[0]) > 0, output
    assert summary[4:7] == ["0", "0", "0"], output  # answers >= 400, connections lost, log errors
    header, kinds = found["kind"]
    by_kind = {row[0]: row for row in kinds}
    assert {"read", "message post", "review redemption", "join"} <= set(by_kind), output
    for kind, (_, requests, p50, p99, failed) in by_kind.items():
        assert number(requests) > 0, kind
        assert 0 < number(p50) <= number(p99), kind
        assert failed == "0", kind
    header, minutes = found["minute"]
    assert [row[0] for row in minutes] == ["0"], output  # eight seconds: the first minute only
    assert "read p50 / p99 ms" in header, header
    assert number(minutes[0][1]) == number(summary[0].removesuffix(" (wrapped)")), output
    # The memory series: a sample a second, each of the two workers' RSS (the supervisor's
    # other child, multiprocessing's resource tracker, is no worker), the whole server's, and
    # each worker's response cache as /metrics reports it.
    header, series = found["s"]
    assert header[2:4] == ["worker 1 RSS MiB", "worker 2 RSS MiB"], header
    assert header[4] == "all processes MiB", header
    assert len(series) >= 5, output
    for row in series:
        assert number(row[2]) > 20, row
        assert number(row[3]) > 20, row
        assert number(row[4]) > number(row[2]) + number(row[3]), row
    assert any(cell != "-" for row in series for cell in row[5:7]), output
    assert re.search(r"slope [+-]\d+\.\d+ MiB/min over .* \*\*(flat|NOT flat)\*\*", output)


def test_token_benchmark_issues_batches_and_redeems_through_http(tmp_path: Path) -> None:
    output = run_benchmark(
        "tokens.py",
        *("--http-only", "--http-backends", BACKEND, "--http-workers", "1"),
        *("--participants", "2", "--http-rounds", "1", "--http-rounds-redeem", "1"),
        *("--http-duration", "1", "--redeem-connections", "4", "--drop-templates"),
        *("--cache-dir", str(tmp_path / "cache")),
    )
    rows = table_rows(output)
    where = f"HTTP, {BACKEND}, 1 worker"
    batch = rows[
        f"{where}: one participant's batch of 10 tokens, 2 at once, wall time per "
        "participant (median)"
    ]
    assert number(batch[1]) > 0
    assert "0 failed" in batch[3], batch
    redemptions = rows[f"{where}: redemptions per second, 4 clients"]
    assert number(redemptions[1]) > 0
    assert "0 errors" in redemptions[3], redemptions
    assert not any(name.endswith(": errors") for name in rows), output


def test_inprocess_benchmark_reports_every_read_with_its_statements(tmp_path: Path) -> None:
    output = run_benchmark(
        "inprocess.py", "--requests", "20", "--cache-dir", str(tmp_path / "cache"), "--writes"
    )
    rows = table_rows(output)
    floor = "my team page, database calls replayed"
    cached = [f"{endpoint}, from the response cache" for endpoint in ENDPOINTS[:-1]]
    writes = ["message post", "profile edit", "join", "review redemption"]
    assert set(rows) == {"health", *ENDPOINTS[:-1], floor, *cached, *writes}, output
    statements_column = 4  # endpoint, median, the loop's CPU, the process's CPU, statements
    for write in writes:  # each answered 2xx (the script stops otherwise) and measured
        assert number(rows[write][2]) > 0, rows[write]
        assert number(rows[write][statements_column]) >= 2, rows[write]
    assert number(rows["health"][statements_column]) == 0  # liveness touches no database
    # The framework's floor for a page: every database call replayed, none left over.
    assert number(rows[floor][statements_column]) == 0, rows[floor]
    assert number(rows[floor][2]) > 0, rows[floor]
    for endpoint in ENDPOINTS[:-1]:
        median_ms, cpu_ms, process_cpu_ms, statements = (
            number(cell) for cell in rows[endpoint][1:5]
        )
        assert median_ms > 0, endpoint
        assert cpu_ms > 0, endpoint
        assert process_cpu_ms > 0, endpoint
        # The session, then the page's own rows: a signed-in read is never one statement.
        assert statements >= 2, f"{endpoint}: {rows[endpoint]}"
    for row in cached:
        # Answered from memory: none of the page's statements runs (the change counts are read
        # on the cache's own connections, which this column does not count).
        assert number(rows[row][statements_column]) == 0, rows[row]


def test_search_benchmark_indexes_times_and_scores_the_labelled_queries() -> None:
    output = run_benchmark("search.py", "--backends", BACKEND)
    rows = table_rows(output)
    (row,) = rows.values()
    assert row[0] == ("postgresql" if BACKEND == "postgres" else "sqlite"), output
    documents, passages, build_s = number(row[1]), number(row[2]), number(row[3])
    assert documents == 400, row  # the tiny corpus, labelled items included
    assert passages > documents, row
    assert build_s > 0, row
    for timed in row[5:9]:  # search, very common words, ask, related: "p50 / p95"
        p50, p95 = (number(part) for part in timed.split(" / "))
        assert 0 < p50 <= p95, row
    full_text, like = number(row[10]), number(row[11])
    # The planted items are found and ranked: graded ones first, distractors last.
    assert full_text > like, row
    assert full_text > 0.9, row


def test_pairs_benchmark_reports_every_size_with_no_disallowed_pair() -> None:
    """The pair matcher's benchmark: the exhaustive size and one above the threshold, where the
    candidate lists are cut and the hub relaxation proves the bound."""
    rows = table_rows(run_benchmark("pairs.py"))
    assert set(rows) == {"100", "3,000"}, rows
    for applicants, row in rows.items():
        objective, bound, exact, disallowed = (number(row[k]) for k in (5, 6, 9, 11))
        assert disallowed == 0, row
        assert objective <= exact <= bound, row
        assert number(row[7]) >= number(row[8]), row  # the engine beats the greedy baseline
        if applicants == "100":
            assert objective == exact == bound, row
        else:
            assert number(row[3]) < number(row[2]), row  # fewer candidates than allowed pairs
            assert objective >= 0.99 * bound, row


def test_statement_layers_reports_every_layer_against_the_driver() -> None:
    output = run_script(
        "statement_layers.py", *("--calls", "5", "--rounds", "1", "--backends", BACKEND)
    )
    header, rows = tables(output)["backend"]
    assert header[2:] == ["CPU µs per call", "× the driver's"], header
    by_layer = {row[1]: row for row in rows}
    assert set(by_layer) == {
        "session, 1 statement",
        "session, 3 statements",
        "connection, 1 statement",
        "direct select, 1 statement",
        "direct select, 3 statements",
        "driver",
    }, output
    assert all(row[0] == BACKEND and number(row[2]) > 0 for row in rows), output
    assert by_layer["driver"][3] == "1.0", output
