"""The README's commands are the ones CI runs, the settings the code reads, and its Python
example runs."""

import os
import re
import subprocess
import sys
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


def test_python_example_runs_on_the_default_index(tmp_path):
    """The README's Python example, run as written in a folder where ``fahras-web``'s first
    start built the default index from seeds/."""
    from web.cli import ensure_index

    match = re.search(r"<!-- python-example -->\s*```python\n(.+?)\n```", README, re.S)
    assert match, "README.md has no Python example after <!-- python-example -->"
    ensure_index(str(tmp_path / "index"), str(ROOT / "seeds"), echo=lambda _: None)
    env = {key: value for key, value in os.environ.items() if key != "FAHRAS_INDEX_DIR"}
    run = subprocess.run([sys.executable, "-c", match.group(1)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split()[0] != "0"  # the search found articles
    assert "البورصة" in run.stdout and "is not a date" in lines[-1]
