"""The system of record (SQLite): every SQL statement the archive runs is in this package.

`database` opens it, `schema` migrates it, `reading` and `writing` are the archive's
queries and writes, `changes` the log of changed sessions the search index follows.
"""

from festival.storage.database import DATABASE_NAME, open_database
from festival.storage.sql import transaction

__all__ = ["DATABASE_NAME", "open_database", "transaction"]
