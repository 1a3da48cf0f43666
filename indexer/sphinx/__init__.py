"""The Sphinx backend's writing side: a Fahras index kept in a Sphinx (or Manticore) cluster.

indexer/sphinx/schema.py names the tables and turns an article into their rows,
indexer/sphinx/config.py writes the searchd configuration from it, indexer/sphinx/cluster.py
runs a local cluster (``fahras-cluster``), indexer/sphinx/client.py talks SphinxQL to the
nodes, indexer/sphinx/store.py keeps the slot pointer, lexicon and record of each build, and
indexer/sphinx/build.py builds, updates and deletes.
"""
