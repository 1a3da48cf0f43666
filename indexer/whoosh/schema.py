"""The index's fields and the record of how it was analysed.

Sits between the analyzers (indexer/whoosh/analysis.py) and the writer (indexer/whoosh/build.py);
the searcher reads the same field names. Every article has ``content`` and
``content_exact`` (title and body together), so Whoosh's BM25F averages field
lengths over all documents; ``title`` is indexed on its own as well so that a
title match can weigh more and ``title:`` queries work.

Fields:

=================  =========================================================
``id``             unique article id (stored)
``title``          title, stemmed, positions; stored as written (diacritics kept)
``content``        title + body, stemmed, no stop words (the ranking field)
``content_exact``  title + body, normalised only, positions (phrases,
                   prefixes, typo tolerance, spelling and suggestions)
``lead``           the opening of the article: the first words (``LEAD_WORDS``) of
                   summary and body, and the captions; stemmed, no stop words: news
                   headlines echo the opening of the article
``body``           the body as written, stored only (one paragraph a line)
``summary``        the lead paragraph (standfirst) set apart from the body, stored
                   (its words are in ``content`` and ``content_exact`` too)
``caption``        photo captions, one a line, stored; their words are searchable
                   through ``lead`` only (a low weight)
``headings``       positions of the body's lines that are subheadings, stored
``category``       stored, sortable (facets, filters)
``source``         stored, sortable
``date``           stored, for date-range queries (absent when the article has no date)
``timestamp``      sortable: seconds since 1970 UTC, 0 when undated (sort by date:
                   Whoosh cannot read a DATETIME column with missing values)
``year``           stored, sortable (facets and the timeline); 0 when undated
``url``            stored only
``fingerprint``    hash of the indexed values: an update skips unchanged articles
``dupkey``         sortable: the normalised title and day copies share
                   (indexer/duplicates.py)
``dupsig``         stored: the text's digest and shingle sketch, to tell copies apart
=================  =========================================================
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from indexer.whoosh.analysis import (
    LexiconSource,
    analyzer_settings,
    exact_analyzer,
    stemmed_analyzer,
)

__all__ = ["SCHEMA_VERSION", "build_schema", "schema_settings"]

#: Bump whenever fields or analysis change: the searcher refuses other versions.
#: 4: lead, caption and copy fields, the lexicon-driven analysis, its analyzers in
#: indexer/whoosh/analysis.py (Whoosh pickles their classes, with their module, into the index).
#: 5: the stop filter spares a content word spelled like a stop word once folded (``علي``, the
#: name, is indexed; ``على`` is not): ArabicStopFilter.
#: 6: the lexicon is stored as a sorted table looked up in place (indexer/countsfile.py,
#: ``lexicon.counts``), not as JSON parsed at every open.
#: 7: the word pairs of suggestions (pairs.txt, indexer/pairs.py) beside the lexicon.
SCHEMA_VERSION = 7


def build_schema(lexicon_folder: str | None = None) -> Schema:
    """A fresh Whoosh schema for a Fahras index whose lexicon (indexer/lexicon.py) is in
    ``lexicon_folder`` (None: no counts, for schemas that are never written to)."""
    lexicon = LexiconSource(lexicon_folder)
    stemmed = stemmed_analyzer(lexicon)
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemmed, stored=True, phrase=True),
        content=TEXT(analyzer=stemmed, phrase=False),
        content_exact=TEXT(analyzer=exact_analyzer(lexicon), phrase=True),
        lead=TEXT(analyzer=stemmed, phrase=False),
        body=STORED(),
        summary=STORED(),
        caption=STORED(),
        headings=STORED(),
        category=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        date=DATETIME(stored=True),
        timestamp=NUMERIC(int, bits=64, sortable=True, default=0),
        year=NUMERIC(int, bits=32, stored=True, sortable=True, default=0),
        url=STORED(),
        fingerprint=STORED(),
        dupkey=ID(sortable=True),
        dupsig=STORED(),
    )


def schema_settings() -> dict[str, object]:
    """The schema version and analyzer settings an index records beside its files."""
    return {"schema_version": SCHEMA_VERSION, "analyzer": analyzer_settings()}
