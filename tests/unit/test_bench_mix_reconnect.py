"""The mix's load generator (scripts/bench/_mixload.py) reconnects as browsers do: behind
several uvicorn workers sharing a socket, connections kept for a whole run stay with the worker
that accepted them, and a soak opened all at once was served by one worker only."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _mixload() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_mixload", ROOT / "scripts/bench/_mixload.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _serve_and_load(lines: Path, reconnect: int) -> tuple[int, int]:
    """Runs the generator for a second against a server answering every request; returns
    (connections the server accepted, requests it answered). The summary is printed."""
    accepted = answered = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted, answered
        accepted += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.partition(b":")[2])
                await reader.readexactly(length)
                answered += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        await _mixload().main(f"http://127.0.0.1:{port}", str(lines), 1.0, 3, 60.0, 0.0, reconnect)
    return accepted, answered


def _run(
    lines: Path, reconnect: int, capsys: pytest.CaptureFixture[str]
) -> tuple[int, int, dict[str, Any]]:
    accepted, answered = asyncio.run(_serve_and_load(lines, reconnect))
    (summary,) = [
        json.loads(line.removeprefix("MIXJSON "))
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("MIXJSON ")
    ]
    return accepted, answered, summary


@pytest.fixture
def lines(tmp_path: Path) -> Path:
    path = tmp_path / "mix.tsv"
    path.write_text("".join(f"read\tGET\t/page/{n}\t\t\t\n" for n in range(100)))
    return path


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
