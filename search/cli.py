"""``fahras-search``: search an index from a terminal, one query or a batch.

A thin layer over :class:`search.searcher.Searcher`::

    fahras-search "الطقس" [--json] [--page N] [--category C] [--from 2020] [--sort newest]
    fahras-search query "الطقس" …            (the same: ``query`` is the default command)
    fahras-search --queries q.tsv --limit 100 --format trec --output run.txt
    fahras-search suggest "أح"
    fahras-search show ARTICLE_ID [--query "…"]
    fahras-search evaluate --docs D --queries Q --qrels R [--index-dir DIR] [--json]
    fahras-search evaluate --run RUN --queries Q --qrels R

Exit codes: 0 done (also when nothing was found), 1 error (no index, a bad
parameter, an unreadable queries file), 2 usage error.

``main`` is a click group whose first argument, when it is not the name of a
command, is taken as a query for the default ``query`` command. To add a
command, decorate a function with ``@main.command()``, here or in a module that
imports ``main`` and is imported below.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import click

from indexer.cli import index_dir_option
from search.analytics_cli import analytics_command
from search.errors import FahrasError
from search.evaluation import (
    EvaluationError,
    Scores,
    evaluate,
    read_qrels,
    read_queries,
    read_trec_run,
    write_trec_run,
)
from search.params import SORTS
from search.relevance import ensure_index, run_queries
from search.results import Highlight, SearchPage
from search.searcher import MAX_RANK, Searcher

__all__ = ["main", "DefaultGroup"]

EXIT_OK, EXIT_ERROR = 0, 1


class DefaultGroup(click.Group):
    """A group that runs ``default_command`` when the first argument names no command."""

    def __init__(self, *args: Any, default_command: str = "query", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_command = default_command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def _fail(message: str, as_json: bool = False) -> NoReturn:
    if as_json:
        click.echo(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    else:
        click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _open(index_dir: str | None, as_json: bool = False,
          synonyms: str | None = None) -> Searcher:
    try:
        return Searcher(index_dir, synonyms=synonyms)
    except FahrasError as exc:
        _fail(str(exc), as_json)


@click.group(
    cls=DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    invoke_without_command=False,
)
def main() -> None:
    """Search a Fahras index of Arabic news articles.

    fahras-search "QUERY" [options] runs a search (the same as fahras-search query
    "QUERY"); see fahras-search query --help for the options and the query syntax.
    """


def _styled(highlight: Highlight) -> str:
    """The highlight's text with its matches in bold (plain when not on a terminal)."""
    parts, position = [], 0
    for start, end in highlight.matches:
        parts.append(highlight.text[position:start])
        parts.append(click.style(highlight.text[start:end], bold=True, fg="yellow"))
        position = end
    parts.append(highlight.text[position:])
    return "".join(parts)


def _print_page(page: SearchPage) -> None:
    if page.results_for:
        click.echo(f"showing results for «{page.results_for}» — search for «{page.query}» "
                   "instead with --exact")
    if page.suggestion:
        click.echo(f"did you mean: {page.suggestion}")
    if page.keyboard:
        click.echo(f"typed on the other keyboard layout: searched «{page.keyboard}»")
    for expansion in page.expansions:
        click.echo(f"«{expansion.word}» وتشمل: {'، '.join(expansion.variants)}")
    if not page.total:
        click.echo(f"no results for «{page.query}»")
        return
    first = (page.page - 1) * page.per_page + 1
    shown = f"{first}-{first + len(page.hits) - 1}"
    partial = " (time limit reached: partial results)" if page.timed_out else ""
    if page.partial:
        partial += f" (partial: nodes {', '.join(page.partial)} do not answer)"
    click.echo(f"{page.total} results for «{page.results_for or page.query}» in "
               f"{page.elapsed_ms:.1f} ms, "
               f"page {page.page} of {page.pages} ({shown}){partial}")
    for hit in page.hits:
        copies = f"{hit.copies} copies" if hit.copies > 1 else ""
        about = " · ".join(x for x in (hit.date and hit.date.date().isoformat(),
                                        hit.category_label, hit.source_label, copies) if x)
        click.echo("")
        click.echo(f"{hit.rank}. {_styled(hit.title_highlight)}")
        click.echo(f"   {about}  [{hit.id}]" if about else f"   [{hit.id}]")
        click.echo(f"   {_styled(hit.snippet)}")
        if hit.url:
            click.echo(f"   {hit.url}")


def _run_batch(searcher: Searcher, queries: str, limit: int, output: str, tag: str) -> None:
    try:
        pairs = read_queries(queries)
    except (OSError, EvaluationError) as exc:
        _fail(str(exc))
    results = ((qid, searcher.rank(text, limit)) for qid, text in pairs)
    try:
        with click.open_file(output, "w", encoding="utf-8") as out:
            write_trec_run(results, out, tag=tag)
    except (OSError, EvaluationError) as exc:
        _fail(str(exc))
    if output != "-":
        click.echo(f"{len(pairs)} queries → {output}", err=True)


@main.command("query")
@click.argument("words", nargs=-1)
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the result page as JSON.")
@click.option("--page", type=int, default=1, show_default=True, help="Page number.")
@click.option("--per-page", type=int, default=10, show_default=True, help="Results per page.")
@click.option("--category", help="Only this category.")
@click.option("--source", help="Only this source.")
@click.option("--from", "date_from", metavar="DATE", help="From this date: YYYY[-MM[-DD]].")
@click.option("--to", "date_to", metavar="DATE", help="Up to this date (inclusive).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--queries", type=click.Path(dir_okay=False),
              help="Batch mode: a qid<TAB>query file; writes a run instead.")
@click.option("--limit", type=click.IntRange(1, MAX_RANK), default=100, show_default=True,
              help="Batch mode: results per query.")
@click.option("--format", "run_format", type=click.Choice(["trec"]), default="trec",
              show_default=True, help="Batch mode: run file format.")
@click.option("--output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="Batch mode: where to write the run (default: standard output).")
@click.option("--tag", default="fahras", show_default=True, help="Batch mode: run tag.")
@click.option("--synonyms", type=click.Path(dir_okay=False), default=None,
              help="A synonym file, one rule a line: word = other words "
                   "(default: $FAHRAS_SYNONYMS).")
@click.option("--exact", is_flag=True,
              help="Search exactly what was typed, never the results of a correction.")
def query_command(words, index_dir, as_json, page, per_page, category, source, date_from,
                  date_to, sort, queries, limit, run_format, output, tag, synonyms,
                  exact) -> None:
    """Search for WORDS (one quoted query, or several words).

    \b
    Syntax: word word (more words first) · "a phrase" · +word · a AND b · -word · NOT word
    ليس word · a OR b · title:word · category:NAME · source:NAME · date:2019..2021
    word* · word~ · word~2

    A query that starts with "-" goes after "--": fahras-search --json -- "-word other".
    """
    if queries is None and not words:
        raise click.UsageError("give a query, or --queries FILE for a batch")
    if queries is not None and words:
        raise click.UsageError("give either a query or --queries FILE, not both")
    searcher = _open(index_dir, as_json, synonyms)
    with searcher:
        if queries is not None:
            _run_batch(searcher, queries, limit, output, tag)
            return
        try:
            page_ = searcher.search(" ".join(words), page=page, per_page=per_page,
                                    category=category, source=source, date_from=date_from,
                                    date_to=date_to, sort=sort, correct=not exact)
        except FahrasError as exc:
            _fail(str(exc), as_json)
    if as_json:
        click.echo(json.dumps({"ok": True, **page_.to_dict()}, ensure_ascii=False, indent=2))
    else:
        _print_page(page_)


@main.command("suggest")
@click.argument("prefix")
@index_dir_option
@click.option("-n", "count", type=click.IntRange(1, 100), default=8, show_default=True)
def suggest_command(prefix: str, index_dir: str, count: int) -> None:
    """Completions of the last word of PREFIX, one per line."""
    with _open(index_dir) as searcher:
        for completion in searcher.suggest(prefix, count):
            click.echo(completion)


@main.command("show")
@click.argument("article_id")
@index_dir_option
@click.option("--query", help="Mark the words of this query.")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
def show_command(article_id: str, index_dir: str, query: str | None, as_json: bool) -> None:
    """Print the article ARTICLE_ID."""
    with _open(index_dir, as_json) as searcher:
        try:
            article = searcher.get(article_id, query)
        except FahrasError as exc:
            _fail(str(exc), as_json)
    if as_json:
        click.echo(json.dumps({"ok": True, **article.to_dict()}, ensure_ascii=False, indent=2))
        return
    about = " · ".join(x for x in (article.date and article.date.date().isoformat(),
                                    article.category_label, article.source_label,
                                    article.url) if x)
    click.echo(article.title)
    if about:
        click.echo(about)
    for part in (article.summary, article.caption, article.body):
        if part:
            click.echo("")
            click.echo(part)
    if article.copies:
        click.echo("")
        click.echo(f"copies: {', '.join(article.copies)}")


def _evaluation_text(scores: Scores, missing: int) -> str:
    lines = [
        f"nDCG@10    {scores.ndcg10:.4f}",
        f"MRR@10     {scores.mrr10:.4f}",
        f"Recall@10  {scores.recall10:.4f}",
        f"Recall@100 {scores.recall100:.4f}",
        f"queries scored {scores.queries}, skipped {scores.skipped} (no relevant document)",
    ]
    if missing:
        lines.append(f"queries missing from the run (scored 0): {missing}")
    return "\n".join(lines)


def _ranked_run(docs, queries, index_dir, limit, rebuild, procs, save_run):
    """Build (or reuse) the index of ``docs``, rank every query; the results by qid."""
    with tempfile.TemporaryDirectory(prefix="fahras-eval-") as scratch:
        where = index_dir or str(Path(scratch) / "index")
        try:
            built = ensure_index(docs, where, rebuild=rebuild, procs=procs)
        except (OSError, FahrasError) as exc:
            _fail(str(exc))
        click.echo(f"{'built' if built else 'reused'} index {where}", err=True)
        bar = click.progressbar(length=len(queries), label="queries", file=sys.stderr)
        with _open(str(where)) as searcher, bar:
            results = run_queries(searcher, queries, limit, bar.update)
    if save_run:
        try:
            with click.open_file(save_run, "w", encoding="utf-8") as out:
                write_trec_run(results.items(), out)
        except (OSError, EvaluationError) as exc:
            _fail(str(exc))
    return {qid: [docid for docid, _ in hits] for qid, hits in results.items()}


@main.command("evaluate")
@click.option("--docs", "docs", multiple=True, type=click.Path(exists=True, dir_okay=True),
              help="Documents to index (JSONL, JSONL.gz, a folder); repeat for several.")
@click.option("--queries", required=True, type=click.Path(exists=True, dir_okay=False),
              help="qid<TAB>query file.")
@click.option("--qrels", required=True, type=click.Path(exists=True, dir_okay=False),
              help="qid docid relevance file.")
@click.option("--index", "--index-dir", "index_dir", default=None,
              help="Keep the index here (a folder, reused while the documents are unchanged, "
                   "or a cluster address sphinx://…, built every time; default: a temporary "
                   "folder).")
@click.option("--rebuild", is_flag=True, help="Build the index even when it could be reused.")
@click.option("--procs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for building the index.")
@click.option("--run", "run_file", type=click.Path(exists=True, dir_okay=False),
              help="Score this TREC run instead of searching.")
@click.option("--limit", type=click.IntRange(1, MAX_RANK), default=100, show_default=True,
              help="Results per query.")
@click.option("--save-run", type=click.Path(dir_okay=False, allow_dash=True),
              help="Also write the run (TREC format) here.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_command(docs, queries, qrels, index_dir, rebuild, procs, run_file, limit,
                     save_run, as_json) -> None:
    """Score the ranking on a test collection: nDCG@10, MRR@10, Recall@10, Recall@100.

    Indexes --docs (reusing --index-dir when it was built from the same files:
    path, size and time are recorded in DIR.sources.json), runs every query of
    --queries with the ranking of the search page and the API, and scores the
    results against --qrels. With --run FILE the run is read instead. A judged
    query without results, or missing from the run, scores 0.
    """
    if run_file is None and not docs:
        raise click.UsageError("give --docs to index, or --run FILE to score")
    if run_file is not None and docs:
        raise click.UsageError("give either --docs or --run, not both")
    try:
        pairs = read_queries(queries)
        judged = read_qrels(qrels)
        run = read_trec_run(run_file) if run_file else None
    except (OSError, EvaluationError) as exc:
        _fail(str(exc), as_json)
    if run is None:
        run = _ranked_run(docs, pairs, index_dir, limit, rebuild, procs, save_run)
    missing = sum(1 for qid, _ in pairs if qid not in run)
    run = {**{qid: [] for qid, _ in pairs}, **run}
    scores = evaluate(run, judged)
    if as_json:
        click.echo(json.dumps({"ok": True, **scores.to_dict(), "missing": missing}))
    else:
        click.echo(_evaluation_text(scores, missing))


main.add_command(analytics_command)  # fahras-search analytics (search/analytics_cli.py)
