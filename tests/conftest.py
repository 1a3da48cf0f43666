"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Default location of the shared data (corpora, relevance test collections): a sibling of the
#: repository, ``../shared/data``. The FAHRAS_DATA_DIR environment variable overrides it.
DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data root (``<root>/eval/<set>/...``); skips the test when it is absent."""
    override = os.environ.get("FAHRAS_DATA_DIR")
    root = Path(override).expanduser() if override else DEFAULT_SHARED_DATA
    if not root.is_dir():
        if override:
            why = "FAHRAS_DATA_DIR names no directory"
        else:
            why = "no such directory (set FAHRAS_DATA_DIR to the data root)"
        pytest.skip(f"shared data not found at {root}: {why}")
    return root
