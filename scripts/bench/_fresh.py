"""Fresh, migrated databases for a bench that measures one piece of the service in-process:
SQLite files in a temporary folder, or PostgreSQL databases on the test server (as the tests
make them, tests/conftest.py), dropped afterwards."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tests.conftest as test_setup
from app.vault.keys import new_key_document


@contextmanager
def fresh_settings(backend: str) -> Iterator[Any]:
    """The service's settings on fresh databases of `backend` ("sqlite" or "postgres")."""
    test_setup.BACKEND = backend
    with tempfile.TemporaryDirectory() as tmp:
        dbs = test_setup.create_test_databases(Path(tmp))
        try:
            yield test_setup.make_settings(dbs, new_key_document())
        finally:
            test_setup.drop_test_databases(dbs)
