"""The Whoosh search index: derived from SQLite, written by one writer, read by every request."""
