"""What a write to an index did, and what an index holds: the reports every backend gives.

Made by the index backends (indexer/backend.py; the Whoosh one in indexer/whoosh/) and read
by the command line (indexer/cli.py), the web app's write API and the admin page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["BuildReport", "IndexStats"]


@dataclass
class BuildReport:
    """What a build, update or delete did; ``partial`` when anything was skipped."""

    action: str
    index_dir: str
    read: int = 0
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def partial(self) -> bool:
        return bool(self.skipped or self.not_found)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["partial"] = self.partial
        return data


@dataclass(frozen=True)
class IndexStats:
    index_dir: str
    generation: str
    articles: int
    deleted: int
    terms: int
    size_bytes: int
    segments: int
    schema_version: object
    built_at: str | None
    updated_at: str | None
    build_seconds: float | None
    categories: dict[str, int]
    sources: dict[str, int]
    first_date: str | None
    last_date: str | None
    copy_groups: int = 0  # groups of copies of one article (indexer/duplicates.py)
    copies: int = 0  # articles in those groups; a search shows one per group

    def to_dict(self) -> dict:
        return asdict(self)
