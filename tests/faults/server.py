"""The real service in a subprocess (uvicorn, as `./scripts/start` runs it) on test databases."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import DatabaseUrls

ROOT = Path(__file__).resolve().parents[2]
STARTUP_DEADLINE_S = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_key_file(directory: Path, document: dict[str, object]) -> Path:
    path = directory / "keys.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    path.chmod(0o600)
    return path


@dataclass
class Server:
    dbs: DatabaseUrls
    key_file: Path
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    settings: dict[str, str] = field(default_factory=dict)  # more CHALLENGE_ variables

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")}
        env.update(
            {
                "CHALLENGE_ENV": "development",
                "CHALLENGE_APP_DATABASE_URL": self.dbs.app_url,
                "CHALLENGE_VAULT_DATABASE_URL": self.dbs.vault_url,
                "CHALLENGE_KEY_FILE": str(self.key_file),
                "CHALLENGE_SERVE_UI": "false",
                "CHALLENGE_PHASE_TICK_SECONDS": "0",
                "CHALLENGE_LOG_LEVEL": "WARNING",
                **self.settings,
            }
        )
        return env

    def _spawn(self) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as log:
            return subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "app.main:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--no-access-log",
                ],
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def start(self) -> None:
        assert self.process is None
        self.process = self._spawn()
        # A start takes a second or two on an idle machine; while the other test worker starts
        # servers of its own, importing the app alone has taken over 20 s. Only a server that
        # never answers is a failure, and one that exits is reported at once (below).
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        async with httpx.AsyncClient(base_url=self.url) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
                try:
                    if (await client.get("/api/v1/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no goodbye."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
