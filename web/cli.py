"""`fahras-web`: serve the search pages and the JSON API with waitress (production WSGI server).

A thin layer over :func:`web.create_app`: on the first start, when there is no index yet, it
builds one from the sample articles in ``seeds/`` and says so; then it opens the index (so a
wrong one is reported at once, not on the first request), prints the address to open and
serves until Ctrl-C: from one process per core by default (web/workers.py),
each with a pool of threads. Debug mode is never enabled here.

Exit codes: 0 stopped cleanly, 1 error (no index and nothing to build it from, a bad index, the
port taken), 2 usage error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from indexer import FahrasError, build_index, index_backend
from indexer.cli import index_dir_option
from web import close_searcher, create_app, get_searcher
from web.heap import TRIM_INTERVAL, HeapTrimmer, heap_trim_call
from web.keys_cli import keys
from web.server import SERVER_LIMITS, make_server
from web.workers import WorkerPool, worker_sockets

__all__ = ["main", "ensure_index", "find_seeds", "start_trimmer"]

EXIT_OK, EXIT_ERROR = 0, 1
BUILD_WAIT_SECONDS = 60.0


def find_seeds(seeds_dir: str | None) -> Path | None:
    """The folder to build a first index from: the one given, else ./seeds, else the
    ``seeds/`` folder beside this package (a source checkout)."""
    if seeds_dir:
        path = Path(seeds_dir)
        return path if path.is_dir() else None
    for path in (Path("seeds"), Path(__file__).resolve().parents[1] / "seeds"):
        if path.is_dir() and any(path.iterdir()):
            return path
    return None


def ensure_index(index_dir: str, seeds_dir: str | None, echo=click.echo) -> None:
    """Build the index from the seeds when ``index_dir`` holds none yet; raises FahrasError
    (or click.ClickException) when it cannot."""
    if index_backend(index_dir).has_index():
        return
    seeds = find_seeds(seeds_dir)
    if seeds is None:
        where = seeds_dir or "./seeds"
        raise click.ClickException(
            f"no index at {index_dir} and no seed articles at {where} to build one from; "
            f"build an index with: fahras-index build SOURCE... --index-dir {index_dir}"
        )
    echo(f"First start: no index at {index_dir} yet, building one from {seeds} ...")
    report = build_index([seeds], index_dir, wait=BUILD_WAIT_SECONDS)
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    echo(f"Built the index: {report.indexed} articles in {report.seconds:.1f} s{skipped}.")
    for reason in report.skipped:
        echo(f"  - skipped {reason}")


def start_trimmer(interval: float, echo=click.echo) -> HeapTrimmer | None:
    """The heap trimmer of this process (web/heap.py), started; None when turned off or when
    the C library cannot trim (and then says so)."""
    if not interval:
        return None
    trim = heap_trim_call()
    if trim is None:
        echo("note: this C library cannot give freed memory back to the system "
             "(no malloc_trim); --heap-trim has no effect")
        return None
    return HeapTrimmer(interval, trim).start()


def _port(server) -> int:
    """The port a waitress server listens on (one socket, or several for a name like
    ``localhost``)."""
    if hasattr(server, "effective_port"):
        return server.effective_port
    return server.effective_listen[0][1]


def _address(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.option("--host", envvar="FAHRAS_HOST", default="127.0.0.1", show_default=True,
              help="Address to listen on (env FAHRAS_HOST); 0.0.0.0 for every interface.")
@click.option("--port", envvar="FAHRAS_PORT", type=click.IntRange(0, 65535), default=8080,
              show_default=True, help="Port (env FAHRAS_PORT); 0 picks a free one.")
@index_dir_option
@click.option("--seeds-dir", envvar="FAHRAS_SEEDS_DIR", default=None,
              type=click.Path(file_okay=False),
              help="Articles to build the index from on the first start "
              "(env FAHRAS_SEEDS_DIR; default ./seeds).")
@click.option("--threads", envvar="FAHRAS_THREADS", type=click.IntRange(1, 256), default=2,
              show_default=True,
              help="Worker threads (env FAHRAS_THREADS). Searching is CPU-bound and Python "
              "runs one thread at a time: more threads share one core and stretch every "
              "request; --workers uses more cores.")
@click.option("--workers", envvar="FAHRAS_WORKERS", type=click.IntRange(1, 64), default=None,
              help="Serving processes sharing the port (env FAHRAS_WORKERS; default: one "
              "per core). 1 serves from this process alone.")
@click.option("--heap-trim", "heap_trim", envvar="FAHRAS_HEAP_TRIM_SECONDS",
              type=click.FloatRange(min=0), default=TRIM_INTERVAL, show_default=True,
              help="Seconds between two returns of freed heap memory to the system, in each "
              "serving process (env FAHRAS_HEAP_TRIM_SECONDS; glibc only; 0 turns it off).")
@click.pass_context
def main(ctx: click.Context, host: str, port: int, index_dir: str, seeds_dir: str | None,
         threads: int, workers: int | None, heap_trim: float) -> None:
    """Serve Fahras: the Arabic search page, article pages and the JSON API.

    `fahras-web keys …` manages the API keys instead (see `fahras-web keys --help`)."""
    if ctx.invoked_subcommand is not None:  # `fahras-web keys …`: no server
        return
    workers = workers or os.cpu_count() or 1
    config = {"FAHRAS_INDEX_DIR": index_dir, "FAHRAS_SEEDS_DIR": seeds_dir or "seeds"}
    try:
        ensure_index(index_dir, seeds_dir)
        app = create_app(config)
        documents = get_searcher(app).check()  # a damaged index is refused here, not later
        if workers > 1:
            close_searcher(app)  # each worker opens its own (web/workers.py)
            sockets = worker_sockets(host, port, int(SERVER_LIMITS["backlog"]), workers)
            bound = sockets[0][0].getsockname()[1]
        else:
            server = make_server(app, host, port, threads)
            bound = _port(server)
    except FahrasError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)
    processes = f"{workers} processes of {threads}" if workers > 1 else f"{threads}"
    click.echo(f"Fahras is serving {documents} articles from {index_dir} "
               f"with {processes} threads.")
    click.echo(f"Open {_address(host, bound)} (Ctrl-C to stop)")
    if workers > 1:
        sys.exit(_serve_workers(config, threads, sockets, workers, heap_trim))
    _serve(app, server, heap_trim)
    sys.exit(EXIT_OK)


def _serve(app, server, heap_trim: float) -> None:
    """Run ``server`` until Ctrl-C (or SIGTERM in a worker), then close it and the index;
    the process's heap is trimmed every ``heap_trim`` seconds meanwhile (web/heap.py)."""
    trimmer = start_trimmer(heap_trim)
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        if trimmer is not None:
            trimmer.stop()
        server.close()
        close_searcher(app)


def _serve_workers(config: dict, threads: int, sockets: list[list], workers: int,
                   heap_trim: float) -> int:
    """Serve from ``workers`` forked processes, each with its own app on its own set of
    ``sockets``."""
    def serve(slot: int) -> None:
        app = create_app(config)
        _serve(app, make_server(app, "", 0, threads, sockets=sockets[slot]), heap_trim)

    code = WorkerPool(serve, workers, echo=click.echo).run()
    for sock in {sock for found in sockets for sock in found}:
        sock.close()
    click.echo("stopped")
    return EXIT_ERROR if code else EXIT_OK


main.add_command(keys)  # fahras-web keys add|list|revoke (web/keys_cli.py)
