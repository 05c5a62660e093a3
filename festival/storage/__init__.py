"""The system of record (SQLite, or PostgreSQL): every SQL statement the archive runs is here.

`database` opens either behind one interface, `schema` migrates both, `reading` and
`writing` are the archive's queries and writes, `accounts` the organisers', `changes` the
log of changed sessions every host's search index follows, `media` the recordings' folder.
"""

from festival.storage.database import DATABASE_NAME, open_database
from festival.storage.sql import transaction

__all__ = ["DATABASE_NAME", "open_database", "transaction"]
