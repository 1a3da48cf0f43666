"""The Sphinx search backend: the searcher's questions (search/backend.py) answered by a
Sphinx cluster written by indexer/sphinx/.

search/sphinx/live.py follows the live slot, search/sphinx/terms.py looks words up in the
index's dictionary, search/sphinx/lexicon.py answers the searcher's word questions,
search/sphinx/compiler.py turns a parsed query into SphinxQL, search/sphinx/ranking.py
writes the ranking expression, search/sphinx/backend.py ties them together.
"""
