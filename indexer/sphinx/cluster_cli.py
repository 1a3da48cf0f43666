"""``fahras-cluster``: start, inspect and stop a local Sphinx cluster (indexer/sphinx/cluster.py).

    fahras-cluster start --nodes 2 --dir ./cluster [--name fahras]   prints the index address
    fahras-cluster status --dir ./cluster
    fahras-cluster stop --dir ./cluster [--node I]

Exit codes: 0 done, 1 error (no searchd, a node that does not answer), 2 bad usage.
"""

from __future__ import annotations

import sys

import click

from indexer.errors import FahrasError
from indexer.sphinx.cluster import Cluster

__all__ = ["main"]

dir_option = click.option("--dir", "folder", required=True,
                          type=click.Path(file_okay=False),
                          help="The cluster's folder (configurations, data, pid files).")
node_option = click.option("--node", type=click.IntRange(min=0), default=None,
                           help="Only this node (0-based).")


@click.group()
def main() -> None:
    """A local Sphinx cluster for a Fahras index (development and tests)."""


def _fail(exc: FahrasError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@main.command()
@click.option("--nodes", type=click.IntRange(1, 64), default=None,
              help="How many nodes (a new cluster; default 2).")
@click.option("--name", default="fahras", show_default=True, help="The index name.")
@dir_option
@node_option
def start(nodes: int | None, name: str, folder: str, node: int | None) -> None:
    """Start the cluster in --dir (writing it first when it is new); print its address."""
    cluster = Cluster(folder)
    try:
        if not cluster.exists():
            cluster.create(nodes or 2, name)
        elif nodes is not None and nodes != len(cluster.nodes()):
            raise click.UsageError(f"{folder} holds a cluster of {len(cluster.nodes())} nodes")
        click.echo(cluster.start(node))
    except FahrasError as exc:
        _fail(exc)


@main.command()
@dir_option
def status(folder: str) -> None:
    """Each node: its port, its pid and whether it answers."""
    try:
        states = Cluster(folder).status()
        click.echo(Cluster(folder).address)
    except FahrasError as exc:
        _fail(exc)
    for state in states:
        shown = "up" if state.answers else "down"
        click.echo(f"node {state.index}  port {state.port}  pid {state.pid or '-'}  {shown}")


@main.command()
@dir_option
@node_option
def stop(folder: str, node: int | None) -> None:
    """Stop the nodes of --dir (only those its pid files name)."""
    try:
        stopped = Cluster(folder).stop(node)
    except FahrasError as exc:
        _fail(exc)
    click.echo(f"stopped {len(stopped)} node(s)" + (f": pid {', '.join(map(str, stopped))}"
                                                    if stopped else ""))
