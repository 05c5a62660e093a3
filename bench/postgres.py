"""A throw-away PostgreSQL server from Debian's `postgresql` package, for tests and demos.

`initdb` makes a cluster in a temporary folder, owned by an unprivileged user (the `postgres`
system user when run as root), and `pg_ctl` serves it on a free loopback port, with
durability switched off: nothing in it outlives the run. `make test` installs the package
where it is missing (`.ci/ensure-postgresql`).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

BIN = Path(os.environ.get("FESTIVAL_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "festival"
# Durability off and byte-order collation, so tests run fast and order text as SQLite does.
SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "unix_socket_directories": "",
}


def available() -> bool:
    return (BIN / "initdb").exists() and (BIN / "pg_ctl").exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TemporaryPostgres:
    """One PostgreSQL server in its own folder; `url(name)` addresses one of its databases."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="festival-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a PostgreSQL program as the cluster's owner; raise with its output if it fails."""
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, cwd="/")
        if check and done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
        return done

    def start(self) -> TemporaryPostgres:
        """Make the cluster (first time only) and start serving; return self."""
        if not available():
            raise RuntimeError(f"PostgreSQL is not installed in {BIN} (apt-get install postgresql)")
        if not self.data.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.user:
                entry = pwd.getpwnam(self.user)
                os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            self._run(
                str(BIN / "initdb"),
                "--pgdata",
                str(self.data),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
            )
        options = " ".join(f"-c {name}={value}" for name, value in SETTINGS.items())
        self._run(
            str(BIN / "pg_ctl"),
            "--pgdata",
            str(self.data),
            "--log",
            str(self.data / "server.log"),
            "--wait",
            "--options",
            f"-p {self.port} -c listen_addresses=127.0.0.1 {options}",
            "start",
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(str(BIN / "pg_ctl"), "--pgdata", str(self.data), "--mode", mode, "stop")

    def restart(self) -> None:
        """Stop (cutting every connection) and start again on the same port."""
        self.stop()
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database `name` (a copy of `template` if given); return its URL."""
        copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}{copy}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def destroy(self) -> None:
        """Stop the server (immediately) and delete its folder."""
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.destroy()
