"""The speed benchmark's quick mode as a smoke run: tests/bench/speed.py end to end on a small
corpus written here, every section and the target check, without the real corpora or Lucene.

It checks that the benchmark runs and reports every target, not how fast anything is (speed is
judged on ANT by a full run of the benchmark, never by a timed test).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

from conftest import write_jsonl_records

BENCH = Path(__file__).resolve().parent / "bench" / "speed.py"
WORDS = ("الحكومة", "الميزانية", "المدارس", "الطلاب", "الزراعة", "المزارعين", "الأمطار",
         "المستشفى", "الأطباء", "الطريق", "الجسر", "المدينة", "القرية", "السوق", "الأسعار",
         "المصنع", "العمال", "الملعب", "الفريق", "المباراة", "المكتبة", "الكتب", "الميناء")
CATEGORIES = ("محليات", "اقتصاد", "رياضة")


def corpus(path: Path, count: int = 80) -> Path:
    rng = random.Random(7)
    records = []
    for n in range(count):
        title = " ".join(rng.sample(WORDS, 4))
        body = " ".join(rng.choice(WORDS) for _ in range(60))
        records.append({"id": f"s{n}", "title": title, "body": body,
                        "date": f"202{n % 4}-0{1 + n % 9}-1{n % 10}",
                        "category": CATEGORIES[n % 3]})
    return write_jsonl_records(path, records)


def test_the_quick_run_reports_every_target(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "FAHRAS_ANSERINI_JAR"}
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "80", "--corpus", str(corpus(tmp_path / "c.jsonl")),
         "--workdir", str(tmp_path / "work"), "--builders", "fahras2", "--queries", "20",
         "--seconds", "1", "--clients", "4"],
        capture_output=True, text=True, timeout=400, env=env, check=False)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr[-3000:]
    assert "Lucene beside Fahras: no:" in out
    targets = out[out.index("== targets"):]
    for what in ("build peak disk <= 2 x the final index", "build peak RSS",
                 "after an update: next", "after a delete: next", "a fresh process's first query",
                 "/api/search: fahras-web", "/ (page) p99 < 300 ms", "/api/search 0 errors",
                 "server peak RSS < 400 MB per process", "update 100 articles"):
        assert re.search(r"\[(met |MISS)\] " + re.escape(what), targets), (what, targets)
    assert "[MISS] /api/search 0 errors" not in targets
    assert "[MISS] / (page) 0 errors" not in targets
    rounds = re.findall(r"after (?:an update|a delete) of \d+ articles, 5 rounds \(after / before, "
                        r"means:(?: [\d.]+){5}\)", out)
    assert len(rounds) == 2, out
    passes = re.findall(r"^  (cold|warm|before|after) +(\d+) .* +(\d+) +(\d+) +(\d+)$", out, re.M)
    assert len(passes) == 6, out
    assert all(errors == "0" for _label, _n, errors, _timeouts, _found in passes), out
