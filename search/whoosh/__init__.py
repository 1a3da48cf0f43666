"""The Whoosh backend of the searcher: a local index folder read with Whoosh.

Everything in search/ that touches Whoosh lives here, behind the backend interface of
search/backend.py; the rest of search/ (parsing, planning, highlighting, results,
evaluation) never imports Whoosh.
"""
