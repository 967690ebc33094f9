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


def test_the_optimiser_may_import_nothing_of_the_app(tmp_path: Path) -> None:
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    # Even the lowest infrastructure, a new module listed nowhere, or a web framework.
    engine = tree / "app" / "optimiser" / "engine.py"
    engine.write_text(engine.read_text() + "\nfrom app.kit import orm  # noqa\n")
    (tree / "app" / "newdomain").mkdir()
    (tree / "app" / "newdomain" / "__init__.py").write_text("")
    (tree / "app" / "optimiser" / "reach.py").write_text("import app.newdomain\nimport fastapi\n")

    result = _lint(tree)

    assert result.returncode != 0, result.stdout
    out = result.stdout
    assert "app.optimiser is not allowed to import app.kit" in out
    assert "app.optimiser is not allowed to import app.newdomain" in out
    assert "app.optimiser is not allowed to import fastapi" in out


def test_the_pair_matcher_may_import_nothing_of_the_app_nor_the_other_engine(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    engine = tree / "app" / "pairing" / "engine.py"
    engine.write_text(engine.read_text() + "\nfrom app.kit import orm  # noqa\n")
    (tree / "app" / "pairing" / "reach.py").write_text("import app.optimiser\nimport sqlalchemy\n")

    result = _lint(tree)

    assert result.returncode != 0, result.stdout
    out = result.stdout
    assert "app.pairing is not allowed to import app.kit" in out
    assert "app.pairing is not allowed to import sqlalchemy" in out
    assert "app.pairing.reach -> app.optimiser" in out


def test_the_anonymous_path_may_reach_no_identity(tmp_path: Path) -> None:
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    # A forbidden import in a redemption module, and one through another domain in a new module
    # of the package that no contract names.
    safety = tree / "app" / "redemption" / "safety.py"
    safety.write_text(safety.read_text() + "\nfrom app.auth import deps  # noqa\n")
    (tree / "app" / "redemption" / "reach.py").write_text("from app.challenges import deps\n")

    result = _lint(tree)

    assert result.returncode != 0, result.stdout
    out = result.stdout
    assert "app.redemption is not allowed to import app.auth" in out
    assert "app.redemption is not allowed to import app.vault" in out
    assert "app.redemption.safety -> app.auth.deps" in out
    assert "app.redemption.reach -> app.challenges.deps" in out


def test_the_real_tree_keeps_every_contract(tmp_path: Path) -> None:
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    result = _lint(tree)
    assert result.returncode == 0, result.stdout


def test_domain_rules_and_the_vault_cannot_reach_the_response_cache(tmp_path: Path) -> None:
    """The cache is one seam: routers mark routes, answers say how long they hold; a service,
    a schema, the phase machine or the vault that imports it fails, a new domain's too."""
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    # A service reaching for the cache (the layers allow it: domains sit above the cache).
    service = tree / "app" / "teams" / "service.py"
    service.write_text(service.read_text() + "\nimport app.cache  # noqa\n")
    # A new domain's schemas, listed nowhere.
    (tree / "app" / "newdomain").mkdir()
    (tree / "app" / "newdomain" / "__init__.py").write_text("")
    (tree / "app" / "newdomain" / "schemas.py").write_text("from app.cache import expiry_of\n")
    # The vault, as it did before the cache had its own seam.
    sessions = tree / "app" / "vault" / "sessions.py"
    sessions.write_text(sessions.read_text() + "\nfrom app.cache import cached_read  # noqa\n")

    result = _lint(tree)

    assert result.returncode != 0, result.stdout
    out = result.stdout
    assert "app.teams.service -> app.cache" in out
    assert "app.newdomain.schemas -> app.cache" in out
    assert "app.vault.sessions -> app.cache" in out


def test_routers_may_not_reach_repositories_models_or_sql(tmp_path: Path) -> None:
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    # The teams router going round its service; a new domain's router and deps listed nowhere.
    router = tree / "app" / "teams" / "router.py"
    router.write_text(router.read_text() + "\nfrom app.teams import repository  # noqa\n")
    (tree / "app" / "newdomain").mkdir()
    (tree / "app" / "newdomain" / "__init__.py").write_text("")
    (tree / "app" / "newdomain" / "router.py").write_text(
        "from app.challenges.models import Challenge  # noqa\n"
    )
    (tree / "app" / "newdomain" / "deps.py").write_text("import sqlalchemy  # noqa\n")

    result = _lint(tree)

    assert result.returncode != 0, result.stdout
    out = result.stdout
    assert "app.teams.router is not allowed to import app.teams.repository" in out
    assert "app.newdomain.router is not allowed to import app.challenges.models" in out
    assert "app.newdomain.deps is not allowed to import sqlalchemy" in out
