"""The static gates fail on a deliberate counter-example, and their known-violation lists only shrink.

Each test copies the code (kzlearn/, quizzes/, manage.py, pyproject.toml, .ci/) to a temporary folder,
adds one bad file and runs the gate through .ci/lint, the script `make lint`, .ci/run and pre-commit
run. The test asserts the gate failed *because of that file* (its name and the rule in the output),
so a gate that fails for another reason (tool missing, config broken) does not pass here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("kzlearn", "quizzes", ".ci"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)
    for name in ("manage.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def _lint(repo: Path, *gates: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KZL_BIN": str(BIN), "MYPY_CACHE_DIR": str(repo / ".mypy_cache")}
    return subprocess.run(["bash", str(repo / ".ci" / "lint"), *gates], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def _failed(result: subprocess.CompletedProcess[str], gate: str) -> str:
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert f"!! gate {gate} FAILED" in out, out
    return out


def test_ruff_check_fails_on_an_unused_import(tmp_path):
    repo = _copy(tmp_path)
    (repo / "quizzes" / "gate_probe.py").write_text('"""Probe."""\n\nimport os\n')
    out = _failed(_lint(repo, "ruff-check"), "ruff-check")
    assert "gate_probe.py" in out and "F401" in out


def test_ruff_format_fails_on_an_unformatted_file(tmp_path):
    repo = _copy(tmp_path)
    (repo / "quizzes" / "gate_probe.py").write_text("X = {  'a':1 }\n")
    out = _failed(_lint(repo, "ruff-format"), "ruff-format")
    assert "--> quizzes/gate_probe.py" in out, out


def test_migrations_gate_fails_on_a_model_without_migration(tmp_path):
    repo = _copy(tmp_path)
    models = repo / "quizzes" / "models"
    (models / "gate_probe.py").write_text(
        "from django.db import models\n\n\nclass GateProbe(models.Model):\n    name = models.CharField(max_length=10)\n"
    )
    with (models / "__init__.py").open("a") as fh:
        fh.write("\nfrom quizzes.models.gate_probe import GateProbe  # noqa: E402, F401\n")
    out = _failed(_lint(repo, "migrations"), "migrations")
    assert "Create model GateProbe" in out, out


def test_mypy_fails_on_a_type_error_and_on_an_untyped_def_in_a_strict_package(tmp_path):
    repo = _copy(tmp_path)
    (repo / "quizzes" / "gate_probe.py").write_text('def answer() -> int:\n    return "forty-two"\n')
    (repo / "quizzes" / "generation" / "gate_probe.py").write_text("def double(x):\n    return x * 2\n")
    out = _failed(_lint(repo, "mypy"), "mypy")
    assert "quizzes/gate_probe.py:2: error" in out and "[return-value]" in out, out
    assert "quizzes/generation/gate_probe.py:1: error" in out and "[no-untyped-def]" in out, out


def test_layers_fail_on_a_lower_layer_importing_a_higher_one_and_on_django_in_pure_code(tmp_path):
    repo = _copy(tmp_path)
    (repo / "quizzes" / "sources" / "gate_probe.py").write_text("from quizzes.progress import selectors  # noqa: F401\n")
    (repo / "quizzes" / "generation" / "gate_probe.py").write_text("from django.db import models  # noqa: F401\n")
    out = _failed(_lint(repo, "layers"), "layers")
    assert "quizzes.sources is not allowed to import quizzes.progress" in out, out
    assert "quizzes.generation.gate_probe -> django" in out, out


# The known violations from before the gates, as they were when the gates landed. These lists may
# only shrink: fix a module, then remove it from pyproject.toml and from here.
MYPY_NOT_STRICT_YET = {
    "quizzes.generation.questions",
    "quizzes.generation.scenarios",
    "quizzes.progress.results",
    "quizzes.progress.review",
    "quizzes.progress.runs",
    "quizzes.progress.selectors",
    "quizzes.progress.services",
    "quizzes.progress.statistics",
}
# The RATCHET 2 list as it stands (it may only shrink: delete a module here with it), and how many
# errors it still hides (MYPY_IGNORED_ERRORS may only go down; tests below hold both to the code).
MYPY_ERRORS_IGNORED = {
    "quizzes.admin.bank",
    "quizzes.admin.classes",
    "quizzes.admin.events",
    "quizzes.admin.scenarios",
    "quizzes.api.filters",
    "quizzes.api.throttling",
    "quizzes.api.views",
    "quizzes.api.views.auth",
    "quizzes.bank.selectors",
    "quizzes.bank.services",
    "quizzes.classes.services",
    "quizzes.dataset.services",
    "quizzes.demo.classroom",
    "quizzes.generation.questions",
    "quizzes.generation.scenarios",
    "quizzes.management.commands.seed_demo",
    "quizzes.progress.results",
    "quizzes.progress.selectors",
    "quizzes.progress.services",
    "quizzes.progress.statistics",
    "quizzes.scenarios.services",
    "quizzes.sources.highlight",
    "quizzes.sources.selectors",
}
MYPY_IGNORED_ERRORS = 150
LAYER_VIOLATIONS: set[str] = set()  # all removed by the layering work of issue 23


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_mypy_ratchets_only_shrink():
    overrides = _pyproject()["tool"]["mypy"]["overrides"]
    not_strict = {m for o in overrides if o.get("disallow_untyped_defs") is False for m in o["module"]}
    ignored = {m for o in overrides if o.get("ignore_errors") for m in o["module"]}
    assert not_strict <= MYPY_NOT_STRICT_YET, f"modules added to the mypy RATCHET 1 list: {sorted(not_strict - MYPY_NOT_STRICT_YET)}"
    assert ignored <= MYPY_ERRORS_IGNORED, f"modules added to the mypy RATCHET 2 list: {sorted(ignored - MYPY_ERRORS_IGNORED)}"


def test_mypy_ratchet_hides_no_more_errors_than_its_baseline_and_no_clean_module(tmp_path):
    """Type-check with RATCHET 2 switched off: at most MYPY_IGNORED_ERRORS errors, and each listed
    module still has one (a module that type-checks leaves the list, so it stays clean)."""
    repo = _copy(tmp_path)
    config = repo / "pyproject.toml"
    config.write_text(config.read_text().replace("ignore_errors = true", "ignore_errors = false"))
    env = {**os.environ, "MYPY_CACHE_DIR": str(repo / ".mypy_cache")}
    result = subprocess.run([str(BIN / "mypy")], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    found = re.search(r"Found (\d+) errors? in", result.stdout)
    errors = int(found.group(1)) if found else 0
    assert errors <= MYPY_IGNORED_ERRORS, f"{errors} errors behind the mypy RATCHET 2 list, more than its baseline {MYPY_IGNORED_ERRORS}"
    files = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    with_errors = {f.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for f in files}
    clean = {m for m in MYPY_ERRORS_IGNORED if not any(f == m or (m.endswith(".*") and f.startswith(m[:-1])) for f in with_errors)}
    assert not clean, f"these modules type-check now: delete them from the RATCHET 2 list and MYPY_ERRORS_IGNORED: {sorted(clean)}"
    if errors < MYPY_IGNORED_ERRORS:  # a fix elsewhere is no failure here; the next change lowers the number
        warnings.warn(f"only {errors} errors are left behind RATCHET 2: lower MYPY_IGNORED_ERRORS to {errors}", stacklevel=1)


def test_layer_violations_only_shrink():
    contracts = _pyproject()["tool"]["importlinter"]["contracts"]
    ignored = {line for c in contracts for line in c.get("ignore_imports", [])}
    assert ignored <= LAYER_VIOLATIONS, f"imports added to ignore_imports: {sorted(ignored - LAYER_VIOLATIONS)}"


@pytest.mark.parametrize("gate", ["ruff-check", "ruff-format", "migrations", "mypy", "layers"])
def test_pre_commit_runs_each_gate_of_ci(gate):
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert f".ci/lint {gate}" in entries
