"""The index address (indexer/address.py): a folder or sphinx://host:port[,…]/name, read in
one place for the indexer, the searcher, the command lines and the web app."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.address import AddressError, parse_address, resolve_address
from indexer.backend import index_backend, resolve_index_dir
from indexer.cli import main as index_main


def test_a_folder_is_the_whoosh_backend(tmp_path):
    address = parse_address(tmp_path / "index")
    assert address.folder == tmp_path / "index" and not address.is_cluster
    assert type(index_backend(tmp_path / "index")).__name__ == "WhooshIndexBackend"


def test_a_cluster_address_names_its_nodes_in_order():
    address = parse_address("sphinx://127.0.0.1:9306,db2.example.org:9307/news")
    assert address.is_cluster and address.folder is None
    assert address.nodes == (("127.0.0.1", 9306), ("db2.example.org", 9307))
    assert address.name == "news"
    assert type(index_backend(address)).__name__ == "SphinxIndexBackend"


@pytest.mark.parametrize("text", [
    "sphinx://127.0.0.1:9306",  # no name
    "sphinx://127.0.0.1:9306/News",  # upper case
    "sphinx://127.0.0.1/news",  # no port
    "sphinx://127.0.0.1:70000/news",  # no such port
    "sphinx://a:1,a:1/news",  # a node twice
    "elastic://host:9200/news",  # not ours
])
def test_a_bad_address_is_refused_clearly(text):
    with pytest.raises(AddressError, match="address"):
        parse_address(text)


def test_the_environment_fahras_index_comes_before_fahras_index_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("FAHRAS_INDEX_DIR", str(tmp_path / "old"))
    assert resolve_address().folder == tmp_path / "old"
    monkeypatch.setenv("FAHRAS_INDEX", "sphinx://127.0.0.1:9306/fahras")
    assert resolve_address().is_cluster
    assert resolve_address(tmp_path / "given").folder == tmp_path / "given"
    with pytest.raises(AddressError, match="cluster"):
        resolve_index_dir()
    monkeypatch.delenv("FAHRAS_INDEX")
    monkeypatch.delenv("FAHRAS_INDEX_DIR")
    assert resolve_address().folder == Path("index")


def test_the_command_line_takes_index_and_index_dir(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(index_main, ["stats", "--index", "sphinx://nowhere/x"])
    assert bad.exit_code == 2 and "bad node" in bad.output
    old = runner.invoke(index_main, ["stats", "--index-dir", str(tmp_path / "none")])
    new = runner.invoke(index_main, ["stats", "--index", str(tmp_path / "none")])
    assert old.exit_code == new.exit_code == 1
    assert str(tmp_path / "none") in new.output
