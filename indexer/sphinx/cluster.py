"""A local Sphinx cluster for development and tests: ``fahras-cluster start|status|stop``.

Sits beside the Sphinx backend (indexer/sphinx/): it writes each node's configuration
(indexer/sphinx/config.py) into a folder of its own, starts ``searchd`` on 127.0.0.1 at free
ports, waits until every node answers SphinxQL, and gives the index address
(``sphinx://127.0.0.1:P1,127.0.0.1:P2/NAME``). ``cluster.json`` in the folder records the
nodes; each node's ``searchd.pid`` (written by searchd) says which process to stop, so
``stop`` ends only what this folder started (``searchd --stopwait``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.address import SPHINX_SCHEME
from indexer.errors import FahrasError
from indexer.sphinx.config import NodePorts, node_config

__all__ = ["Cluster", "ClusterError", "NodeState", "searchd_path", "CLUSTER_FILE"]

CLUSTER_FILE = "cluster.json"
#: Seconds a node has to answer after it was started.
START_SECONDS = 20.0
HOST = "127.0.0.1"


class ClusterError(FahrasError):
    """A local cluster that cannot be started, read or stopped."""


def searchd_path() -> str | None:
    """The ``searchd`` program, or None when Sphinx is not installed."""
    return shutil.which("searchd") or (
        "/usr/bin/searchd" if os.access("/usr/bin/searchd", os.X_OK) else None)


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind((HOST, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            return bool(sock.recv(1))  # the MySQL greeting
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class NodeState:
    """One node as ``status`` sees it."""

    index: int
    port: int
    pid: int | None
    answers: bool


class Cluster:
    """The local cluster kept in ``folder``."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder).resolve()

    # ---------------------------------------------------------------- layout

    def _record(self) -> dict:
        try:
            return json.loads((self.folder / CLUSTER_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ClusterError(f"no cluster in {self.folder}; start one with: "
                               f"fahras-cluster start --nodes N --dir {self.folder}") from None

    def exists(self) -> bool:
        return (self.folder / CLUSTER_FILE).is_file()

    def nodes(self) -> list[NodePorts]:
        return [NodePorts(**node) for node in self._record()["nodes"]]

    @property
    def address(self) -> str:
        record = self._record()
        hosts = ",".join(f"{node['host']}:{node['sql']}" for node in record["nodes"])
        return f"{SPHINX_SCHEME}{hosts}/{record['name']}"

    def node_folder(self, index: int) -> Path:
        return self.folder / f"node{index}"

    def create(self, nodes: int, name: str = "fahras") -> None:
        """Write the configuration of a cluster of ``nodes`` nodes for index ``name``."""
        if nodes < 1:
            raise ClusterError("a cluster needs at least one node")
        if self.exists():
            raise ClusterError(f"{self.folder} already holds a cluster")
        ports = _free_ports(2 * nodes)
        layout = [NodePorts(HOST, ports[2 * i], ports[2 * i + 1]) for i in range(nodes)]
        for i in range(nodes):
            folder = self.node_folder(i)
            (folder / "data").mkdir(parents=True, exist_ok=True)
            (folder / "searchd.conf").write_text(node_config(name, i, layout, folder),
                                                 encoding="utf-8")
        record = {"name": name, "nodes": [vars(node) for node in layout]}
        (self.folder / CLUSTER_FILE).write_text(json.dumps(record, indent=1), encoding="utf-8")

    # ---------------------------------------------------------------- processes

    def pid(self, index: int) -> int | None:
        """The pid of node ``index`` when its searchd runs."""
        try:
            pid = int((self.node_folder(index) / "searchd.pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid) else None

    def start(self, only: int | None = None, wait: float = START_SECONDS) -> str:
        """Start the nodes not running (or node ``only``), wait until each answers; the
        index address."""
        program = searchd_path()
        if program is None:
            raise ClusterError("searchd is not installed (apt-get install sphinxsearch)")
        nodes = self.nodes()
        chosen = range(len(nodes)) if only is None else [self._check_node(only)]
        for i in chosen:
            if self.pid(i) is None:
                self._run(program, i)
        deadline = time.monotonic() + wait
        for i in chosen:
            while not _answers(nodes[i].host, nodes[i].sql):
                if time.monotonic() > deadline:
                    raise ClusterError(f"node {i} did not answer on port {nodes[i].sql} within "
                                       f"{wait:.0f} s; see {self.node_folder(i) / 'searchd.log'}")
                time.sleep(0.05)
        return self.address

    def _run(self, program: str, index: int) -> None:
        config = self.node_folder(index) / "searchd.conf"
        done = subprocess.run([program, "--config", str(config)], capture_output=True,
                              text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise ClusterError(f"searchd of node {index} did not start: "
                               f"{(done.stderr or done.stdout).strip()[-500:]}")

    def stop(self, only: int | None = None) -> list[int]:
        """Stop the nodes this folder started (or node ``only``); the pids stopped."""
        program = searchd_path()
        stopped = []
        chosen = range(len(self.nodes())) if only is None else [self._check_node(only)]
        for i in chosen:
            pid = self.pid(i)
            if pid is None:
                continue
            config = self.node_folder(i) / "searchd.conf"
            if program is not None:
                subprocess.run([program, "--config", str(config), "--stopwait"],
                               capture_output=True, timeout=60, check=False)
            self._wait_gone(pid)
            stopped.append(pid)
        return stopped

    @staticmethod
    def _wait_gone(pid: int, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while _alive(pid):
            if time.monotonic() > deadline:
                raise ClusterError(f"searchd {pid} did not stop within {seconds:.0f} s")
            time.sleep(0.05)

    def status(self) -> list[NodeState]:
        return [NodeState(i, node.sql, self.pid(i), _answers(node.host, node.sql))
                for i, node in enumerate(self.nodes())]

    def _check_node(self, index: int) -> int:
        if not 0 <= index < len(self.nodes()):
            raise ClusterError(f"the cluster in {self.folder} has no node {index}")
        return index
