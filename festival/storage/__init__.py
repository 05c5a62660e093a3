"""SQLite, the system of record: opening it, its schema, and reading and writing the archive."""

from festival.storage.database import open_database, transaction

__all__ = ["open_database", "transaction"]
