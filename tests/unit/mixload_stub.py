"""A stand-in server for the mix's load generator (scripts/bench/_mixload.py), and the
generator itself loaded from its file: the bench's unit tests run it against a server that
answers every request with a short 200 and counts what it saw."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def mixload() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_mixload", ROOT / "scripts/bench/_mixload.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class StubServer:
    """``async with StubServer() as server``: listens on a free port of 127.0.0.1 (``url``)
    and counts the connections it ``accepted`` and the requests it ``answered``."""

    def __init__(self) -> None:
        self.accepted = 0
        self.answered = 0
        self._server: asyncio.Server | None = None
        self.url = ""

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.partition(b":")[2])
                await reader.readexactly(length)
                self.answered += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> StubServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        await self._server.__aenter__()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._server is not None
        await self._server.__aexit__(kind, error, trace)


def summary(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The generator's one ``MIXJSON`` summary line, from what it printed."""
    (found,) = [
        json.loads(line.removeprefix("MIXJSON "))
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("MIXJSON ")
    ]
    assert isinstance(found, dict)
    return found


def read_lines(path: Path, count: int = 100) -> Path:
    """A mix of `count` plain reads, one per line, as api.py writes the mix."""
    path.write_text("".join(f"read\tGET\t/page/{n}\t\t\t\n" for n in range(count)))
    return path
