"""The last writes of an index: a short history kept in the live generation's metadata.

indexer/whoosh/build.py appends each build, update and delete report to the ``history`` list of
``fahras.json`` (a rebuild carries the previous generation's list over), so whoever looks at
the index later (the web admin page, web/admin.py) can see what was written and what was
skipped, whichever process wrote it. Bounded: the newest :data:`MAX_ENTRIES` reports, each
with at most :data:`MAX_PROBLEMS` skipped records or unknown ids listed (and their counts).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

__all__ = ["MAX_ENTRIES", "MAX_PROBLEMS", "with_report", "history"]

MAX_ENTRIES = 20
MAX_PROBLEMS = 20
_KEY = "history"


def _entry(report: Any) -> dict:
    data = report.to_dict()
    data.pop("index_dir", None)
    for name in ("skipped", "not_found"):
        problems = data[name]
        data[f"{name}_count"] = len(problems)
        data[name] = problems[:MAX_PROBLEMS]
    data["at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return data


def with_report(meta: dict, report: Any, previous: dict | None = None) -> dict:
    """``meta`` with ``report`` (a BuildReport) added to the history it or ``previous`` had."""
    past = (previous if previous is not None else meta).get(_KEY) or []
    meta[_KEY] = [*past, _entry(report)][-MAX_ENTRIES:]
    return meta


def history(meta: dict) -> list[dict]:
    """The recorded reports, newest first."""
    return list(reversed(meta.get(_KEY) or []))
