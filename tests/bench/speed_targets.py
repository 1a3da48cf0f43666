"""The targets tests/bench/speed.py checks at the end of a run, each met or not met.

Every target compares figures of the same run: Fahras against Lucene (tests/bench/speed_lucene.py)
for builds and results pages, queries after an update or a delete against the same queries
just before, ``fahras-web`` as it starts by default against one process. A target whose
figures the run did not measure (a section left out, no Lucene) is not printed.
"""

from __future__ import annotations

__all__ = ["check_targets"]

#: (what, measured, met)
Check = tuple[str, str, bool]


def check_targets(corpora: list) -> list[Check]:
    """Every target the run measured, for the first corpus (and the scale of the last)."""
    first = corpora[0]
    results = first.results
    return [*build_targets(results), *scale_targets(corpora), *update_targets(results),
            *query_targets(results), *lucene_targets(results), *cliff_targets(results),
            *first_query_targets(results), *http_targets(results)]


def build_targets(results: dict) -> list[Check]:
    build = results.get("build") or {}
    ours = build.get("fahras procs=2")
    if not ours:
        return []
    checks = []
    if "naive whoosh" in build:
        ratio = ours["seconds"] / build["naive whoosh"]["seconds"]
        checks.append(("build procs=2 / naive time <= 0.45", f"{ratio:.2f}", ratio <= 0.45))
    checks.append(("build peak RSS < 600 MB", f"{ours['rss_mb']:.0f} MB", ours["rss_mb"] < 600))
    disk, size = ours["disk_peak_mb"], ours["size_mb"]
    checks.append(("build peak disk <= 2 x the final index",
                   f"{disk / size:.2f} ({disk:.0f} MB for {size:.0f} MB)", disk <= 2 * size))
    return checks


def scale_targets(corpora: list) -> list[Check]:
    if len(corpora) < 2:
        return []
    small = (corpora[0].results.get("build") or {}).get("fahras procs=2")
    large = (corpora[-1].results.get("build") or {}).get("fahras procs=2")
    if not (small and large):
        return []
    linear = corpora[-1].count / corpora[0].count
    checks = []
    for what in ("seconds", "cpu_seconds"):
        grows = large[what] / small[what]
        checks.append((f"{corpora[-1].count} articles: {what.replace('_', ' ')} x{grows:.2f} "
                       f"for x{linear:.2f} articles, <= 1.15 of linear",
                       f"{grows / linear:.2f}", grows / linear <= 1.15))
    return checks


def update_targets(results: dict) -> list[Check]:
    update = results.get("update")
    if not update:
        return []
    seconds = update[100]["seconds"]
    return [("update 100 articles < 5 s", f"{seconds:.2f} s", seconds < 5)]


def query_targets(results: dict) -> list[Check]:
    query = results.get("query")
    if not query:
        return []
    warm = query["passes"][-1]
    return [("warm query p50 <= 12 ms", f"{warm['p50']:.1f} ms", warm["p50"] <= 12),
            ("warm query p95 <= 50 ms", f"{warm['p95']:.1f} ms", warm["p95"] <= 50)]


def lucene_targets(results: dict) -> list[Check]:
    """Fahras against Lucene: build within 4x, warm p50/p95 within 2x, cold within 3x."""
    checks = []
    build, lucene = results.get("build") or {}, results.get("lucene_build")
    if lucene and "fahras procs=2" in build:
        ratio = build["fahras procs=2"]["seconds"] / lucene["seconds"]
        checks.append(("build procs=2 / lucene time <= 4", f"{ratio:.2f}", ratio <= 4))
    query, theirs = results.get("query"), results.get("lucene_query")
    if query and theirs:
        cold, warm = query["passes"][0], query["passes"][-1]
        for what, ours, limit in (("warm", warm, 2), ("cold", cold, 3)):
            for point in ("p50", "p95"):
                ratio = ours[point] / max(theirs[what][point], 1e-3)
                checks.append((f"{what} query {point} / lucene <= {limit}",
                               f"{ratio:.2f} ({ours[point]:.1f} vs {theirs[what][point]:.1f} ms)",
                               ratio <= limit))
    return checks


def cliff_ratio(change: dict) -> float:
    """The queries after a change against the same just before (means, so that the first one
    after the commit counts in full)."""
    return change["after"]["mean"] / max(change["before"]["mean"], 1e-3)


def middle_round(rounds: list[dict]) -> dict:
    """The round of the median :func:`cliff_ratio` (the higher middle one of an even count)."""
    ordered = sorted(rounds, key=cliff_ratio)
    return ordered[len(ordered) // 2]


def cliff_targets(results: dict) -> list[Check]:
    """No cold cliff: the queries after an update or a delete within 1.3x of the same ones
    just before, in the median round."""
    changes = (results.get("query") or {}).get("changes") or {}
    checks = []
    for what, rounds in changes.items():
        change = middle_round(rounds)
        before, after = change["before"], change["after"]
        ratio = cliff_ratio(change)
        how = {"update": "an update", "delete": "a delete"}[what]
        checks.append((f"after {how}: next {after['n']} queries / the same warm <= 1.3 "
                       f"(mean, median of {len(rounds)} rounds)",
                       f"{ratio:.2f} ({after['mean']:.1f} vs {before['mean']:.1f} ms; "
                       f"the first {after['first']:.1f} ms)",
                       ratio <= 1.3))
    return checks


def first_query_targets(results: dict) -> list[Check]:
    runs = results.get("first")
    if not runs:
        return []
    totals = sorted(run["total_ms"] for run in runs)
    middle = totals[len(totals) // 2]
    return [("a fresh process's first query (import + open + search) <= 150 ms, median",
             f"{middle:.0f} ms", middle <= 150)]


def http_targets(results: dict) -> list[Check]:
    http = results.get("http")
    if not http:
        return []
    before, after = http["1 process"], http["default"]
    checks = []
    for label in ("/api/search", "/ (page)"):
        row, old = after[label], before[label]
        ratio = row["rps"] / max(old["rps"], 1e-3)
        errors = row["errors"] + row["non_2xx"]
        checks.append((f"{label}: fahras-web ({after['workers']} workers) / 1 process req/s >= 2",
                       f"{ratio:.2f} ({row['rps']:.1f} vs {old['rps']:.1f})", ratio >= 2))
        checks.append((f"{label} p99 < 300 ms", f"{row['p99_ms']:.0f} ms", row["p99_ms"] < 300))
        checks.append((f"{label} 0 errors", str(errors), errors == 0))
    rss = max(after["memory"]["peak_rss_mb"], before["memory"]["peak_rss_mb"])
    checks.append(("server peak RSS < 400 MB per process", f"{rss:.0f} MB", rss < 400))
    return checks
