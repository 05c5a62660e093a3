"""Searching the archive: the query language, running a search, and shaping its results."""
