"""What a search's time limit gives: how long a limited search takes, and what it finds.

Not a unit test. For each limit (1 ms, 50 ms, and a patient 30 s for reference), opens a
fresh Searcher on an index (ANT by default) and runs a fixed set of queries: each one first
met (cold: its terms are read from disk) and then again (warm, the median of 5 runs). Prints
side by side, per limit: the milliseconds opening the Searcher took, the median and the
slowest search (cold and warm; the first search of a Searcher is one of the cold), the
median's ratio to the limit, how many searches said they were cut (``timed_out``), how
many found nothing although the patient search finds matches (the failure a limit must
never cause), and the mean share of the patient total found.

    python tests/bench/time_limits.py --index-dir /tmp/ops-ant
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from search import Searcher  # noqa: E402

QUERIES = [
    '"كرة القدم"', "الحكومة الميزانية", "النفط", "اسعار النفط", "ترامب~", "اقتص*",
    "الانتخابات الرئاسية", "وزير الخارجية", "+الحكومة الميزانية", "فيروس كورونا",
    '"مجلس الأمن" الدولي', "سوريا -روسيا", "title:الرئيس", "الأمم المتحدة",
    "ارتفاع درجات الحرارة في فصل الصيف", "المنتخب الوطني",
]
LIMITS = (0.001, 0.05, 30.0)
WARM_RUNS = 5


@dataclass
class Row:
    limit: float
    opening: float = 0.0
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    cut: int = 0
    empty: int = 0
    found: list[float] = field(default_factory=list)  # share of the patient total


def _ms(searcher: Searcher, query: str):
    started = time.perf_counter()
    page = searcher.search(query)
    return (time.perf_counter() - started) * 1000, page


def measure(index_dir: Path, limit: float, reference: dict[str, int]) -> Row:
    row = Row(limit)
    started = time.perf_counter()
    with Searcher(index_dir, time_limit=limit) as searcher:
        row.opening = (time.perf_counter() - started) * 1000
        for query in QUERIES:
            cold, page = _ms(searcher, query)
            warm = [_ms(searcher, query)[0] for _ in range(WARM_RUNS)]
            row.cold.append(cold)
            row.warm.append(statistics.median(warm))
            row.cut += page.timed_out
            full = reference.get(query, page.total)
            row.empty += page.total == 0 and full > 0
            row.found.append(page.total / full if full else 1.0)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    args = parser.parse_args()
    with Searcher(args.index_dir, time_limit=30) as patient:
        reference = {query: patient.search(query).total for query in QUERIES}
    rows = [measure(args.index_dir, limit, reference) for limit in LIMITS]
    print(f"{len(QUERIES)} queries on {args.index_dir}; warm = median of {WARM_RUNS} runs")
    print(f"{'limit':>8} {'open':>7} {'cold p50':>9} {'cold max':>9} {'warm p50':>9} "
          f"{'warm max':>9} {'p50/limit':>10} {'cut':>4} {'0 found':>8} {'found':>6}")
    for row in rows:
        ratio = statistics.median(row.cold + row.warm) / (row.limit * 1000)
        print(f"{row.limit * 1000:>6g}ms {row.opening:>7.0f} {statistics.median(row.cold):>9.1f} "
              f"{max(row.cold):>9.1f} {statistics.median(row.warm):>9.1f} "
              f"{max(row.warm):>9.1f} {ratio:>10.2f} {row.cut:>4} {row.empty:>8} "
              f"{statistics.mean(row.found):>6.0%}")


if __name__ == "__main__":
    main()
