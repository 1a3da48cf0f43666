"""The build progress of `fahras-index` (indexer/progress.py, indexer/cli.py): the expected
total, and on a terminal a bar with percent and ETA that is closed before the summary."""

from __future__ import annotations

import fcntl
import gzip
import os
import pty
import re
import struct
import sys
import termios
from pathlib import Path

import pytest

from indexer import SourceError
from indexer.progress import expected_articles

LINE = '{"id": "%d", "title": "خبر رقم %d", "body": "نص قصير عن الخبر رقم %d في المدينة."}'


def write_corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    lines = [LINE % (i, i, i) for i in range(n)]
    half = n // 2
    (folder / "a.jsonl").write_text("\n".join(lines[:half]), encoding="utf-8")  # no last \n
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines[half:]) + "\n")
    (folder / "seed.txt").write_text("ثقافة\n\nعنوان\n\n2020-01-01\n\nنص المقال هنا.\n",
                                     encoding="utf-8")
    return folder


def test_expected_articles_counts_lines_and_text_files(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", 41)
    assert expected_articles([corpus]) == 42
    assert expected_articles([corpus / "a.jsonl"]) == 20
    with pytest.raises(SourceError):
        expected_articles([tmp_path / "missing"])


def run_on_terminal(args: list[str]) -> str:
    pid, fd = pty.fork()
    if pid == 0:  # the child: a 100-column terminal, then the command
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        os.execv(sys.executable, [sys.executable, "-m", "indexer.cli", *args])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")
def test_the_bar_shows_the_total_and_ends_before_the_summary(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", 300)
    shown = run_on_terminal(["build", str(corpus), "--index-dir", str(tmp_path / "index")])
    frames = [frame for frame in re.split(r"[\r\n]", shown) if frame.strip()]
    bars = [i for i, frame in enumerate(frames) if "articles" in frame and "|" in frame]
    summary = next(i for i, frame in enumerate(frames) if frame.startswith("build: "))
    assert bars and max(bars) < summary, frames
    assert "100%" in frames[max(bars)] and "301/301" in frames[max(bars)]
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", frames[max(bars)])  # elapsed<ETA
    assert frames[summary + 1].split() == ["read", "301"]
