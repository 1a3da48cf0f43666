"""Display names of category and source codes: ``sport`` → ``رياضة``, ``SkyNewsArabia`` →
``سكاي نيوز عربية``.

Corpora file articles under codes (often English); readers want Arabic names. The table ships
as package data (search/data/labels.json: common news section codes and news sources) and a
user file (``$FAHRAS_LABELS``, ``Searcher(labels=…)``) adds to it or overrides it, in the same
JSON shape: ``{"category": {"code": "name", …}, "source": {…}}``. The searcher uses it for the
labels of hits, articles and facets (search/searcher.py) and, through the vocabulary
(search/whoosh/vocabulary.py), so that ``category:اقتصاد`` finds the articles filed under
``economy``. Codes are matched as written, then case-insensitively; a code without a name
shows as itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from search.errors import FahrasError

__all__ = ["LABEL_FIELDS", "LabelTable", "LabelsError", "load_labels"]

#: The fields whose codes have display names.
LABEL_FIELDS: tuple[str, ...] = ("category", "source")


class LabelsError(FahrasError):
    """A label file that cannot be read or is not in the expected shape."""


class LabelTable:
    """Display names by field and code (see the module docstring)."""

    def __init__(self, names: Mapping[str, Mapping[str, str]]) -> None:
        self._names = {field: dict(names.get(field, {})) for field in LABEL_FIELDS}
        self._folded = {
            field: {code.casefold(): name for code, name in table.items()}
            for field, table in self._names.items()
        }

    def label(self, field: str, code: str) -> str:
        """The display name of ``code`` in ``field`` (``code`` itself when it has none)."""
        if not code or field not in self._names:
            return code
        return self._names[field].get(code) or self._folded[field].get(code.casefold(), code)

    def merged(self, other: Mapping[str, Mapping[str, str]]) -> LabelTable:
        """This table with the names of ``other`` added (replacing the same codes)."""
        return LabelTable({f: {**self._names[f], **other.get(f, {})} for f in LABEL_FIELDS})

    def to_dict(self) -> dict[str, dict[str, str]]:
        return {field: dict(table) for field, table in self._names.items()}


#: The shipped table, package data beside this module (read as a file: the package is
#: installed as files, and importlib.resources costs a fresh process a few milliseconds).
SHIPPED_LABELS = Path(__file__).with_name("data") / "labels.json"


def _shipped() -> dict[str, dict[str, str]]:
    return json.loads(SHIPPED_LABELS.read_text(encoding="utf-8"))


def _read_user_file(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LabelsError(f"cannot read the label file {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise LabelsError(f"the label file {path} is not valid JSON: {exc}") from exc
    shape = ('{"category": {"code": "name", ...}, "source": {"code": "name", ...}}')
    if not isinstance(data, dict) or set(data) - set(LABEL_FIELDS):
        raise LabelsError(f"the label file {path} must be a JSON object like {shape}")
    for field, table in data.items():
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and v.strip()
                for k, v in table.items()):
            raise LabelsError(f"in the label file {path}, {field!r} must map codes to "
                              f"non-empty names, like {shape}")
    return data


def load_labels(path: str | os.PathLike[str] | None = None) -> LabelTable:
    """The shipped table, extended by the user file ``path`` (None: ``$FAHRAS_LABELS``, when
    set). Raises :class:`LabelsError` for a file that is missing or malformed."""
    table = LabelTable(_shipped())
    wanted = path if path is not None else os.environ.get("FAHRAS_LABELS") or None
    if wanted:
        table = table.merged(_read_user_file(Path(wanted)))
    return table
