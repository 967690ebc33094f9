"""The mix's load generator (scripts/bench/_mixload.py) reconnects as browsers do: behind
several uvicorn workers sharing a socket, connections kept for a whole run stay with the worker
that accepted them, and a soak opened all at once was served by one worker only."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.unit.mixload_stub import StubServer, mixload, read_lines, summary


async def _serve_and_load(lines: Path, reconnect: int) -> tuple[int, int]:
    """Runs the generator for a second against a server answering every request; returns
    (connections the server accepted, requests it answered). The summary is printed."""
    async with StubServer() as server:
        await mixload().main(server.url, str(lines), 1.0, 3, 60.0, 0.0, reconnect)
    return server.accepted, server.answered


def _run(
    lines: Path, reconnect: int, capsys: pytest.CaptureFixture[str]
) -> tuple[int, int, dict[str, Any]]:
    accepted, answered = asyncio.run(_serve_and_load(lines, reconnect))
    return accepted, answered, summary(capsys)


@pytest.fixture
def lines(tmp_path: Path) -> Path:
    return read_lines(tmp_path / "mix.tsv")


def test_each_client_reconnects_after_its_share_of_answers(
    lines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accepted, answered, summary = _run(lines, 5, capsys)
    assert answered >= 50  # 60 a second for a second
    assert summary["requests"] == answered
    assert summary["transport_errors"] == 0
    # A new connection for every 5 answers of each of the 3 clients (each opens a last one
    # only if a request is still due).
    assert accepted >= answered // 5
    assert summary["connections_opened"] == accepted


def test_without_reconnecting_each_client_keeps_one_connection(
    lines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accepted, answered, summary = _run(lines, 0, capsys)
    assert answered >= 50
    assert accepted == 3
    assert summary["connections_opened"] == 3


def test_a_run_longer_than_its_lines_says_it_came_round_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sent again, a spent token or a join is refused: the bench must say so (api.py prints
    it), not leave the refusals to be read as the service's. 60 a second for a second, each
    client taking every third line: 30 lines come round again, 500 do not."""
    _, answered, summary = _run(read_lines(tmp_path / "short.tsv", 30), 0, capsys)
    assert answered > 30
    assert summary["wrapped"] is True
    _, answered, summary = _run(read_lines(tmp_path / "long.tsv", 500), 0, capsys)
    assert answered < 500
    assert summary["wrapped"] is False
