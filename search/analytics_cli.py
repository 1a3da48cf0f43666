"""``fahras-search analytics``: what readers searched for, from the query log.

A subcommand of ``fahras-search`` (search/cli.py) over :mod:`search.analytics`: reads the
log folder the web app writes (``FAHRAS_ANALYTICS_DIR``) and prints the top queries, the
zero-result queries (what to add to the index, or as synonyms once Fahras has them) and the
slowest queries, or all of it as JSON.
"""

from __future__ import annotations

import json
import sys

import click

from search.analytics import QueryLog, Summary, read_events, summarise

__all__ = ["analytics_command"]


def _table(title: str, rows: list, unit: str = "") -> list[str]:
    lines = [title]
    lines += [f"  {value:>8}{unit}  {query or '(empty)'}" for query, value in rows] or ["  -"]
    return lines


def summary_text(summary: Summary) -> str:
    head = (f"{summary.searches} searches, {summary.zero_results} with no results, "
            f"{summary.clicks} clicks on results")
    lines = [head, ""]
    lines += _table("top queries:", summary.top) + [""]
    lines += _table("zero-result queries:", summary.zero) + [""]
    lines += _table("slowest queries:", summary.slowest, " ms")
    if summary.click_ranks:
        lines += ["", "clicks by rank: " + ", ".join(f"#{rank}: {count}"
                                                      for rank, count in summary.click_ranks)]
    return "\n".join(lines)


@click.command("analytics")
@click.option("--dir", "folder", envvar="FAHRAS_ANALYTICS_DIR", required=True,
              type=click.Path(file_okay=False), help="The query log folder "
              "(env FAHRAS_ANALYTICS_DIR).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Queries in each list.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def analytics_command(folder: str, limit: int, as_json: bool) -> None:
    """Top, zero-result and slowest queries from the query log."""
    files = QueryLog(folder).files()
    if not files:
        click.echo(f"error: no query log in {folder} (is FAHRAS_ANALYTICS_DIR set for "
                   "fahras-web?)", err=True)
        sys.exit(1)
    summary = summarise(read_events(files), limit)
    if as_json:
        click.echo(json.dumps({"ok": True, **summary.to_dict()}, ensure_ascii=False, indent=2))
    else:
        click.echo(summary_text(summary))
