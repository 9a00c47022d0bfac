"""The core: settings, database, models, the Post type, the interchange format, queries and writes.

``core`` imports nothing else of Merkwacht; every other package builds on it.
"""
