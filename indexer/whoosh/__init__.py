"""The Whoosh backend of the indexer: a local index folder written with Whoosh.

Everything in indexer/ that touches Whoosh, or the on-disk layout of a Whoosh index folder
(generations, the ``CURRENT`` pointer, the writer lock, ``fahras.json``), lives here, behind
the index-backend interface of indexer/backend.py. The rest of indexer/ (reading articles,
normalising, tokenising, stemming, the lexicon, duplicates) never imports Whoosh, so every
backend indexes the same terms.
"""
