"""The public API type-checks: mypy over the modules listed in pyproject.toml ([tool.mypy]),
as a user of `from search import Searcher` would run it (every package ships py.typed)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_ships_py_typed():
    for package in ("indexer", "search", "web"):
        assert (ROOT / package / "py.typed").is_file(), package
    assert "py.typed" in (ROOT / "setup.cfg").read_text(encoding="utf-8")


def test_mypy_is_clean_on_the_public_api():
    if shutil.which("mypy") is None and not _importable("mypy"):
        pytest.fail('mypy is missing; install the test extra: pip install -e ".[test]"',
                    pytrace=False)
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
