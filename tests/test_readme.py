"""The README's commands are the ones CI runs and the settings the code reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced_after(marker):
    match = re.search(rf"<!-- {marker} -->\s*```\n(.+?)\n```", README, re.S)
    assert match, f"README.md has no command after <!-- {marker} -->"
    return match.group(1).strip()


def test_readme_has_run_and_test_commands():
    run = fenced_after("run-command")
    test = fenced_after("test-command")
    assert "pip install" in run and "fahras-" in run
    assert "ruff check" in test and "pytest" in test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci and "bash -c" in ci


def test_every_environment_setting_is_documented():
    names = set()
    for path in ROOT.glob("*/*.py"):
        names |= set(re.findall(r"FAHRAS_[A-Z_]+", path.read_text(encoding="utf-8")))
    missing = sorted(n for n in names if n not in README)
    assert not missing, f"settings missing from README.md: {missing}"
