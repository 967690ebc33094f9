"""The bare baseline: FastAPI endpoints that return the same JSON documents as the real API.

No database, no session, no middleware: only FastAPI's routing and JSON serialisation, served
by uvicorn with the same settings as the real service. ``BENCH_BARE_DOCS`` names a JSON file
``{"endpoint name": document}`` captured from the real service in the same run (read at the
first request); each GET ``/bare/{name}`` returns its document, and ``POST /bare/reviews``
parses a JSON body and answers 202 like the anonymous review route.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI, status


def _read(source: Path) -> dict[str, Any]:
    documents: dict[str, Any] = json.loads(source.read_text())
    return documents


def create_bare_app() -> FastAPI:
    source = Path(os.environ["BENCH_BARE_DOCS"])
    docs: dict[str, Any] = {}
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/bare/{name}")
    async def document(name: str) -> Any:
        # Read on first use: the server starts while the documents are still being captured.
        if not docs:
            docs.update(_read(source))
        return docs[name]

    @app.post("/bare/reviews", status_code=status.HTTP_202_ACCEPTED)
    async def reviews(body: dict[str, Any] = Body(...)) -> dict[str, bool]:  # noqa: B008
        return {"accepted": bool(body)}

    return app
