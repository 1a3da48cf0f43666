"""Which segments an update's commit keeps, drops or merges (the live index's merge policy).

Sits under ``update_index`` (indexer/whoosh/build.py): each update writes its articles to a
new segment, and Whoosh's own policy, made for many tiny segments, never merges segments of
a hundred articles, nor drops one whose every article was replaced since. An archive
updated every night would gather hundreds of segments, and every query looks each of its
words up in each segment. Here, at each update's commit:

- a segment with no live article left is dropped (nothing of it can be found);
- segments are grouped in tiers by their live articles (under 1,000, under 10,000, ...);
  once a tier holds more than :data:`SEGMENTS_PER_TIER`, all of that tier's segments are
  merged into the commit's new segment, which then sits a tier up.

So the live index holds at most a few segments a tier, and each article is merged about once
a tier in its life, the way Lucene's tiered merging bounds it. Deletes keep every segment
(``update_index`` alone uses this policy): the layout they leave is the one the searcher's
scores were made for (search/whoosh/scorecache.py).
"""

from __future__ import annotations

import math

from whoosh.reading import SegmentReader

__all__ = ["SEGMENTS_PER_TIER", "TIER_BASE", "merge_live_segments", "tier"]

#: How many segments a tier holds before they are merged together.
SEGMENTS_PER_TIER = 4
#: The first tier holds segments of fewer than this many live articles; each next tier
#: ten times as many.
TIER_BASE = 1000


def tier(live_articles: int) -> int:
    """The tier of a segment of ``live_articles`` (0 below :data:`TIER_BASE`)."""
    if live_articles < TIER_BASE:
        return 0
    return int(math.log10(live_articles / TIER_BASE)) + 1


def merge_live_segments(writer, segments: list) -> list:
    """A Whoosh merge policy (``writer.commit(mergetype=...)``): the segments kept as they
    are; those of a full tier are added to ``writer``, and those without live articles left
    out."""
    live = [segment for segment in segments if segment.doc_count() > 0]
    tiers: dict[int, list] = {}
    for segment in live:
        tiers.setdefault(tier(segment.doc_count()), []).append(segment)
    merged = [segment for members in tiers.values() if len(members) > SEGMENTS_PER_TIER
              for segment in members]
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return [segment for segment in live if segment not in merged]
