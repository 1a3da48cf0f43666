"""Lucene beside Fahras in tests/bench/speed.py: the same articles indexed and the same queries
run by Lucene 9.5's Arabic analyzer with BM25 (Anserini 0.22.1), when Java 17 and Anserini's
fat jar are present.

The jar ships inside the pyserini wheel, which is not installed (only the jar is used)::

    python tests/bench/speed_lucene.py --fetch /tmp/anserini    # pip download + unzip
    python tests/bench/speed.py --anserini-jar /tmp/anserini/anserini-0.22.1-fatjar.jar

Build: Anserini's ``IndexCollection`` (``JsonCollection``, ``-language ar``, 2 threads,
positions and the text stored, title and body in one ``contents`` field) over the articles
written once as Anserini's JSON lines (that copy is not timed). Queries: LuceneBench.java
(beside this file, compiled with ``javac`` into the work folder) runs each query through
Lucene's classic query parser (phrases and ``prefix*`` as in Fahras's syntax), takes the top
10 and reads their stored text: a fresh JVM and index (cold), then the same queries again
(warm).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
JAR_NAME = "anserini-0.22.1-fatjar.jar"
WHEEL = "pyserini==0.22.1"

__all__ = ["lucene_missing", "build_lucene", "query_lucene", "fetch_jar"]


def lucene_missing(jar: Path | None) -> str | None:
    """Why Lucene cannot run here (no Java 17, no jar), or None when it can."""
    if jar is None or not jar.is_file():
        return f"no Anserini jar (--anserini-jar; fetch it with: {Path(__file__).name} --fetch DIR)"
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"no {tool} on PATH (Java 17 is needed)"
    done = subprocess.run(["java", "-version"], capture_output=True, text=True)
    found = re.search(r'version "(\d+)', done.stderr)
    if not found or int(found.group(1)) < 17:
        return f"Java 17 or newer is needed ({done.stderr.splitlines()[:1]})"
    return None


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else \
        open(path, encoding="utf-8")


def _collection(sources: list[str], folder: Path) -> int:
    """Anserini's JSON lines (``id``, ``contents``: title and body) of ``sources``."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(folder / "docs.jsonl", "w", encoding="utf-8") as out:
        for source in sources:
            with _open(Path(source)) as lines:
                for line in lines:
                    record = json.loads(line)
                    text = f"{record.get('title') or ''}\n{record.get('body') or ''}"
                    out.write(json.dumps({"id": str(record["id"]), "contents": text},
                                         ensure_ascii=False) + "\n")
                    count += 1
    return count


def build_lucene(sources: list[str], workdir: Path, jar: Path) -> tuple[dict, Path]:
    """Index ``sources`` with Anserini; ``(result, index folder)``."""
    collection, index_dir = workdir / "lucene-collection", workdir / "lucene-index"
    shutil.rmtree(collection, ignore_errors=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    count = _collection(sources, collection)
    command = ["java", "-cp", str(jar), "io.anserini.index.IndexCollection",
               "-collection", "JsonCollection", "-input", str(collection),
               "-index", str(index_dir), "-generator", "DefaultLuceneDocumentGenerator",
               "-threads", "2", "-storeContents", "-storePositions", "-language", "ar"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"Anserini's IndexCollection failed:\n{done.stderr[-3000:]}")
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file()) / 2**20
    return {"seconds": seconds, "indexed": count, "size_mb": size}, index_dir


def query_lucene(index_dir: Path, queries_file: Path, workdir: Path, jar: Path) -> dict:
    """``{"cold": [ms...], "warm": [ms...]}`` of a results page per query."""
    classes = workdir / "lucene-classes"
    classes.mkdir(parents=True, exist_ok=True)
    source = HERE / "lucene" / "LuceneBench.java"
    subprocess.run(["javac", "-cp", str(jar), "-d", str(classes), str(source)], check=True,
                   capture_output=True)
    done = subprocess.run(
        ["java", "-cp", f"{jar}:{classes}", "LuceneBench", str(index_dir), str(queries_file)],
        capture_output=True, text=True)
    found = re.search(r"^RESULT (\{.*\})$", done.stdout, re.M)
    if done.returncode or not found:
        raise RuntimeError(f"LuceneBench failed:\n{done.stderr[-3000:]}")
    return json.loads(found.group(1))


def fetch_jar(folder: Path) -> Path:
    """Download the pyserini wheel (without installing it) and take the jar out of it."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as download:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", download, WHEEL], check=True)
        wheel = next(Path(download).glob("pyserini-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            member = next(n for n in archive.namelist() if n.endswith(JAR_NAME))
            with archive.open(member) as src, open(folder / JAR_NAME, "wb") as dst:
                shutil.copyfileobj(src, dst)
    return folder / JAR_NAME


def main() -> int:
    parser = argparse.ArgumentParser(description="Fetch Anserini's jar for tests/bench/speed.py")
    parser.add_argument("--fetch", type=Path, required=True, metavar="DIR")
    print(fetch_jar(parser.parse_args().fetch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
