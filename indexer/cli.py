"""`fahras-index`: build, update, delete and inspect an index from the command line.

A thin layer over indexer.whoosh.build and indexer.whoosh.stats: parse options, show progress,
print a summary (or JSON), and exit with a code scripts can rely on:

0 done; 1 error (nothing changed); 2 usage error; 3 partial (some records skipped
or ids not found, everything else done); 130 interrupted (the old index still serves).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from tqdm import tqdm

from indexer.address import AddressError, parse_address, resolve_address
from indexer.backend import (
    build_index,
    delete_articles,
    index_stats,
    update_index,
)
from indexer.diskspace import space_warning
from indexer.errors import BuildError, FahrasError
from indexer.progress import expected_articles
from indexer.report import BuildReport
from indexer.sources import find_source_files

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
Progress = Callable[[int], object]
_SHOWN_SKIPS = 20

def _resolved_index_dir(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    try:
        return resolve_address(value).text
    except AddressError as exc:
        raise click.BadParameter(str(exc)) from None


index_dir_option = click.option(
    "--index",
    "--index-dir",
    "index_dir",
    default=None,
    callback=_resolved_index_dir,
    help="The index: a folder, or sphinx://host:port[,host:port…]/name for a cluster "
         "(default: $FAHRAS_INDEX, else $FAHRAS_INDEX_DIR, else ./index).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Seconds to wait if another process is writing (default: fail at once).",
)
sources_argument = click.argument(
    "sources", nargs=-1, required=True, type=click.Path(path_type=str)
)


@contextmanager
def _progress(enabled: bool, sources: tuple[str, ...] = ()) -> Iterator[Progress | None]:
    """A tqdm bar on stderr when it is a terminal (and not --json): articles read of the
    expected total (indexer/progress.py), with percent and ETA. Closed before the summary is
    printed, so the two never interleave."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    total = expected_articles(sources) if sources else None
    with tqdm(total=total or None, unit=" articles", file=sys.stderr,
              dynamic_ncols=True) as bar:
        yield bar.update


def _run(action: Callable[[Progress | None], BuildReport], as_json: bool,
         sources: tuple[str, ...] = ()) -> None:
    try:
        with _progress(not as_json and bool(sources), sources) as progress:
            report = action(progress)
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was changed, the previous index still serves", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except FahrasError as exc:
        if as_json:
            answer = {"ok": False, "error": str(exc)}
            if isinstance(exc, BuildError):
                answer["skipped"] = exc.skipped
            click.echo(json.dumps(answer, ensure_ascii=False))
        else:
            click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if as_json:
        click.echo(json.dumps({"ok": True, **report.to_dict()}, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    sys.exit(EXIT_PARTIAL if report.partial else EXIT_OK)


def _print_report(report: BuildReport) -> None:
    click.echo(f"{report.action}: {report.index_dir} in {report.seconds:.1f} s")
    rows = [("read", report.read), ("indexed", report.indexed), ("updated", report.updated),
            ("unchanged", report.unchanged), ("deleted", report.deleted),
            ("skipped", len(report.skipped)), ("not found", len(report.not_found))]
    for label, value in rows:
        if value or label in ("indexed", "skipped"):
            click.echo(f"  {label:<10} {value:>9,}")
    problems = report.skipped + [f"not found: {i}" for i in report.not_found]
    for line in problems[:_SHOWN_SKIPS]:
        click.echo(f"  - {line}", err=True)
    if len(problems) > _SHOWN_SKIPS:
        click.echo(f"  ... and {len(problems) - _SHOWN_SKIPS} more (use --json for all)", err=True)


def _warn_about_space(sources: tuple[str, ...], index_dir: str) -> None:
    """Say on stderr when the disk may be too small for this build (it still runs)."""
    folder = parse_address(index_dir).folder
    if folder is None:
        return  # a cluster's disks are its nodes'
    try:
        files = find_source_files(sources)
    except FahrasError:
        return  # the build itself reports a missing source
    warning = space_warning(folder, files)
    if warning:
        click.echo(f"warning: {warning}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fahras")
def main() -> None:
    """Build and maintain a Fahras index of Arabic news articles.

    SOURCE may be a seed text file, a JSONL or JSONL.gz file, or a folder of them.
    """


@main.command()
@sources_argument
@index_dir_option
@click.option("--procs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Writer processes.")
@wait_option
@json_option
def build(sources: tuple[str, ...], index_dir: str, procs: int, wait: float,
          as_json: bool) -> None:
    """Rebuild the index from SOURCES (atomic: the old index serves until done)."""
    _warn_about_space(sources, index_dir)
    _run(lambda progress: build_index(sources, index_dir, procs=procs, wait=wait,
                                      progress=progress), as_json, sources)


@main.command()
@sources_argument
@index_dir_option
@wait_option
@json_option
def update(sources: tuple[str, ...], index_dir: str, wait: float, as_json: bool) -> None:
    """Add new articles from SOURCES and replace changed ones (same id)."""
    _run(lambda progress: update_index(sources, index_dir, wait=wait, progress=progress),
         as_json, sources)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@index_dir_option
@wait_option
@json_option
def delete(ids: tuple[str, ...], index_dir: str, wait: float, as_json: bool) -> None:
    """Delete the articles with these IDS."""
    _run(lambda _: delete_articles(ids, index_dir, wait=wait), as_json)


@main.command()
@index_dir_option
@json_option
def stats(index_dir: str, as_json: bool) -> None:
    """Show what the index holds: articles, terms, size, version, build time, categories."""
    try:
        facts = index_stats(index_dir)
    except FahrasError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if as_json:
        click.echo(json.dumps(facts.to_dict(), ensure_ascii=False, indent=2))
        return
    data = facts.to_dict()
    for key in ("index_dir", "generation", "articles", "deleted", "terms", "size_bytes",
                "segments", "schema_version", "built_at", "updated_at", "build_seconds",
                "first_date", "last_date", "copy_groups", "copies"):
        click.echo(f"{key:<15} {data[key]}")
    for key in ("categories", "sources"):
        click.echo(f"{key}:")
        for name, count in data[key].items():
            click.echo(f"  {count:>8,}  {name}")


if __name__ == "__main__":
    main()
