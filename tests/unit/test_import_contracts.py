"""The import contracts cannot be sidestepped by a module they do not name (issue 18).

The finding: the vault's contract listed its source modules by hand, so adding
`from app.vault.models import Account` to `formations/service.py` still reported "kept". Here a
copy of the code gets the forbidden imports, in places no contract names, and must fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_forbidden_imports_in_places_no_contract_names_fail(tmp_path: Path) -> None:
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    # The finding's import, in a module the old contract did not list.
    service = tree / "app" / "formations" / "service.py"
    service.write_text(service.read_text() + "\nfrom app.vault.models import Account  # noqa\n")
    # A new domain, listed nowhere.
    (tree / "app" / "newdomain").mkdir()
    (tree / "app" / "newdomain" / "__init__.py").write_text("")
    # The vault reaching up into a domain.
    (tree / "app" / "vault" / "reach.py").write_text("from app.challenges import models\n")

    result = _lint(tree)

    assert result.returncode != 0, result.stdout
    out = result.stdout
    assert "app.formations.service -> app.vault.models" in out
    assert "app.newdomain" in out
    assert "app.vault is not allowed to import app.challenges" in out


def test_the_real_tree_keeps_every_contract(tmp_path: Path) -> None:
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    result = _lint(tree)
    assert result.returncode == 0, result.stdout
