"""The ANT build of this checkout against another checkout's, side by side in one run.

Not a unit test. Builds the ANT corpus (``--procs 2``) with the code of ``--old`` (a
checkout or an exported tree of an earlier commit) and with this checkout's, alternating
(old, new, old, new, …) so that the load of a shared machine falls on both alike, and prints
each build's wall and CPU seconds, the medians and the ratios new/old::

    git archive COMMIT | tar -x -C /tmp/old-tree
    python tests/bench/build_ratio.py --old /tmp/old-tree [--rounds 2] [--limit N]

Each build runs in a fresh interpreter whose ``PYTHONPATH`` is that tree, so nothing of one
build is cached for the other.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_BUILD = """
import json, resource, sys, time
from indexer import build_index
started = time.monotonic()
report = build_index([sys.argv[1]], sys.argv[2], procs=int(sys.argv[3]))
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.monotonic() - started, "indexed": report.indexed,
                  "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime}))
"""


def build(tree: Path, source: Path, index_dir: Path, procs: int) -> dict:
    """One build with the code of ``tree``: its wall and CPU seconds and articles indexed."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", _BUILD, str(source), str(index_dir), str(procs)],
                         env=env, cwd=tree, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def limited(source: Path, limit: int | None, folder: Path) -> Path:
    """``source`` itself, or a copy of its first ``limit`` lines."""
    if limit is None:
        return source
    path = folder / "limited.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for number, line in enumerate(src):
            if number >= limit:
                break
            out.write(line)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the tree to compare with")
    parser.add_argument("--rounds", type=int, default=2, help="builds of each (2)")
    parser.add_argument("--procs", type=int, default=2, help="writer processes (2)")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    args = parser.parse_args(argv)
    data = Path(os.environ.get("FAHRAS_DATA_DIR") or REPO.parent / "shared" / "data")
    source = data / "ant_news" / "ant_news.jsonl.gz"
    if not source.exists():
        print(f"no ANT corpus at {source}: set FAHRAS_DATA_DIR", file=sys.stderr)
        return 2
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    with tempfile.TemporaryDirectory(prefix="fahras-build-ratio-") as tmp:
        folder = Path(tmp)
        corpus = limited(source, args.limit, folder)
        for round_ in range(args.rounds):
            for name, tree in (("old", args.old.resolve()), ("new", REPO)):
                result = build(tree, corpus, folder / f"index-{name}-{round_}", args.procs)
                runs[name].append(result)
                print(f"  {name} round {round_ + 1}: {result['seconds']:.1f} s, "
                      f"{result['cpu']:.1f} CPU s, {result['indexed']} articles", flush=True)
    medians = {name: (statistics.median(r["seconds"] for r in rs),
                      statistics.median(r["cpu"] for r in rs)) for name, rs in runs.items()}
    for name, (wall, cpu) in medians.items():
        print(f"{name:>4}: median {wall:.1f} s, {cpu:.1f} CPU s")
    (old_wall, old_cpu), (new_wall, new_cpu) = medians["old"], medians["new"]
    print(f"new/old: wall {new_wall / old_wall:.2f}, CPU {new_cpu / old_cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
