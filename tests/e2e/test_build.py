"""The UI build itself: initial JavaScript size, the generated API client, the translations."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import DIST, ROOT

FRONTEND = ROOT / "frontend"
BUDGET_GZIP_BYTES = 250 * 1024
PLURAL_SUFFIXES = ("_zero", "_one", "_two", "_few", "_many", "_other")


def test_initial_javascript_fits_the_budget() -> None:
    """What the first page load fetches: the entry script and the chunks it preloads."""
    index = (DIST / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'(?:src|href)="/(assets/[^"]+\.js)"', index)
    assert scripts, "index.html references no script"
    sizes = {name: len(gzip.compress((DIST / name).read_bytes(), 9)) for name in scripts}
    total = sum(sizes.values())
    print(f"\ninitial JavaScript: {total / 1024:.1f} KiB gzipped ({len(sizes)} files)")
    assert total <= BUDGET_GZIP_BYTES


def test_generated_api_client_is_current(tmp_path: Path) -> None:
    """src/api/schema.d.ts must be what the server's OpenAPI document generates today."""
    schema = tmp_path / "openapi.json"
    subprocess.run(
        [sys.executable, "-m", "app", "openapi", "--output", str(schema)], cwd=ROOT, check=True
    )
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        [
            str(FRONTEND / "node_modules" / ".bin" / "openapi-typescript"),
            str(schema),
            "--output",
            str(generated),
        ],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
    )
    checked_in = (FRONTEND / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    assert generated.read_text(encoding="utf-8") == checked_in, (
        "the API changed: regenerate the client (python -m app openapi --output var/openapi.json "
        "&& npm run --prefix frontend gen:api)"
    )


def _flatten(tree: dict[str, object], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        keys |= _flatten(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


def _base(key: str) -> str:
    for suffix in PLURAL_SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def _locale(language: str) -> set[str]:
    path = FRONTEND / "src" / "locales" / f"{language}.json"
    return _flatten(json.loads(path.read_text(encoding="utf-8")))


def test_every_language_has_every_text() -> None:
    english = {_base(k) for k in _locale("en")}
    for language in ("fr", "es"):
        keys = {_base(k) for k in _locale(language)}
        assert sorted(english - keys) == [], f"missing in {language}"
        assert sorted(keys - english) == [], f"unknown in {language}"


def test_every_text_used_in_the_code_exists() -> None:
    """Static keys in t('...') calls; dynamic ones are checked in the browser (a missing key
    is logged as an error there and fails the page tests)."""
    english = {_base(k) for k in _locale("en")}
    used: set[str] = set()
    for source in (FRONTEND / "src").rglob("*.tsx"):
        used |= set(re.findall(r"\bt\(\s*'([a-z0-9_.]+)'", source.read_text(encoding="utf-8")))
    assert used, "no t('...') call found: the pattern is out of date"
    assert sorted(used - english) == []


def test_no_hard_coded_text_in_the_markup() -> None:
    """Text between JSX tags must come from t(): a literal word there is a missing translation."""
    offenders = []
    for source in (FRONTEND / "src").rglob("*.tsx"):
        if source.name.endswith(".test.tsx"):
            continue  # a unit test's own markup is not shown to anyone
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            for text in re.findall(r">\s*([A-Za-z][A-Za-z ,.'!?]{2,})\s*</", line):
                offenders.append(f"{source.name}:{number}: {text}")
    assert offenders == []
