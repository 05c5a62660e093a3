"""A local cluster: one PostgreSQL and several archive hosts on loopback, as in production.

Each host has its own instance folder (its own Whoosh index), its own gunicorn and its own
`flask follow`; they share the PostgreSQL database, the cookie secret and the media folder.
The first host imports the demo festival; every other host joins as a new host does: `reindex`,
then follow. `make cluster` runs this until Ctrl-C; `--measure` prints the figures quoted in
docs/scaling.md; tests/test_two_hosts.py drives the same classes.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.postgres import TemporaryPostgres, free_port  # noqa: E402

DEMO = ROOT / "sessions" / "states-of-change-2020.yaml"
ORGANISER = ("cluster@example.org", "cluster-password")
PAGES = ["/", "/festivals/states-of-change-2020", "/sessions/how-singapore-learns?t=95"]
SEARCHES = ["/api/search?q=Singapore", "/api/search?q=%22public+trust%22", "/search?q=trust"]


def fetch(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Host:
    """One archive host: an instance folder, a gunicorn on a loopback port, a follower."""

    def __init__(self, name: str, instance: Path, env: dict[str, str]):
        self.name = name
        self.instance = instance
        self.env = {**os.environ, **env, "FESTIVAL_INSTANCE_PATH": str(instance)}
        self.port = free_port()
        self.server: subprocess.Popen | None = None
        self.follower: subprocess.Popen | None = None
        self.follower_lines: list[tuple[float, str]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def flask(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "flask", "--app", "festival", *args]
        return subprocess.run(
            command, env=self.env, input=stdin, capture_output=True, text=True, cwd=ROOT
        )

    def serve(self, workers: int) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.server = subprocess.Popen(
            [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}"]
            + ["--log-level", "warning", "festival:create_app()"],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"host {self.name}: gunicorn did not answer on {self.base}")

    def follow(self) -> None:
        """Start this host's follower; its output lines are kept with the time each came."""
        command = [sys.executable, "-u", "-m", "flask", "--app", "festival", "follow"]
        self.follower = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        follower = self.follower

        def read() -> None:
            for line in follower.stdout:
                self.follower_lines.append((time.monotonic(), line.rstrip()))

        threading.Thread(target=read, daemon=True).start()
        self.wait_for_line("following the change log", since=0)

    def wait_for_line(self, text: str, since: float, timeout: float = 60) -> float:
        """When the follower said `text` (after `since`, a monotonic time); raise if it did not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, line in list(self.follower_lines):
                if at >= since and text in line:
                    return at
            time.sleep(0.02)
        raise RuntimeError(f"host {self.name}: follower never said {text!r}")

    def kill_follower(self) -> None:
        """`kill -9`: no clean-up of any kind."""
        self.follower.send_signal(signal.SIGKILL)
        self.follower.wait()

    def found(self, word: str) -> list[str]:
        status, body = fetch(f"{self.base}/api/search?q={word}")
        return [r["session"]["slug"] for r in json.loads(body)["results"]] if status == 200 else []

    def wait_until_found(self, word: str, timeout: float = 10) -> float:
        """Seconds until a search on this host finds `word`; raise after `timeout`."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.found(word):
                return time.monotonic() - started
            time.sleep(0.05)
        raise RuntimeError(f"host {self.name}: '{word}' not searchable after {timeout} s")

    def stop(self) -> None:
        for process in (self.follower, self.server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


class Organiser:
    """An organiser signed in on one host through the web forms, with its cookie."""

    def __init__(self, base: str):
        self.base = base
        self.browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def post(self, path: str, form_page: str, fields: dict) -> int:
        """Post a form as the browser would (CSRF token from `form_page`); the final status."""
        try:
            html = self.browser.open(self.base + form_page, timeout=30).read().decode()
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
            if token is None:
                return 0  # not the form (signed out, say): nothing was posted
            data = urllib.parse.urlencode({"csrf_token": token.group(1), **fields}).encode()
            return self.browser.open(self.base + path, data=data, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code
        except TimeoutError:
            return 0

    def sign_in(self) -> int:
        email, password = ORGANISER
        return self.post(
            "/organise/login", "/organise/login", {"email": email, "password": password}
        )

    def correct(self, session: str, position: int, text: str) -> int:
        cues = f"/organise/sessions/{session}/cues"
        return self.post(f"{cues}/{position}", cues, {"speaker": "Festival host", "text": text})

    def opens(self, path: str) -> int:
        try:
            return self.browser.open(self.base + path, timeout=30).status
        except urllib.error.HTTPError as error:
            return error.code


class Cluster:
    """PostgreSQL plus `hosts` archive hosts in `folder`; a context manager that stops them."""

    def __init__(
        self,
        folder: Path,
        hosts: int = 2,
        workers: int = 2,
        manifests: tuple[Path, ...] = (DEMO,),
        postgres: TemporaryPostgres | None = None,
        settings: dict[str, str] | None = None,
    ):
        """`postgres`: a server already running (left running); else one of the cluster's own."""
        self.folder = folder
        self.workers = workers
        self.manifests = manifests
        self.own_postgres = postgres is None
        self.postgres = postgres or TemporaryPostgres()
        shared = {
            "FESTIVAL_SECRET_KEY": secrets.token_hex(32),
            "FESTIVAL_MEDIA_PATH": str(folder / "media"),
            **(settings or {}),
        }
        self.hosts = [
            Host(chr(ord("a") + n), folder / f"host-{chr(ord('a') + n)}", shared)
            for n in range(hosts)
        ]

    def start(self) -> Cluster:
        """PostgreSQL, the first host's imports, the others' reindex; servers and followers."""
        if self.own_postgres:
            self.postgres.start()
        url = self.postgres.create_database(f"cluster_{secrets.token_hex(4)}")
        first, *others = self.hosts
        for host in self.hosts:
            host.env["FESTIVAL_DATABASE_URL"] = url
        for manifest in self.manifests:
            _checked(first.flask("import", str(manifest)))
        email, password = ORGANISER
        _checked(first.flask("create-organiser", email, "--password-stdin", stdin=password))
        for host in others:
            _checked(host.flask("reindex"))
        for host in self.hosts:
            host.serve(self.workers)
            host.follow()
        return self

    def stop(self) -> None:
        for host in self.hosts:
            host.stop()
        if self.own_postgres:
            self.postgres.destroy()

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def _checked(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    if result.returncode:
        raise RuntimeError(f"{result.args[4:]} failed:\n{result.stdout}{result.stderr}")
    return result


def load(hosts: list[Host], seconds: float, concurrency: int, paths: list[str]) -> dict:
    """Request `paths` round-robin from every host with `concurrency` threads per host."""
    statuses: dict[str, Counter] = {host.name: Counter() for host in hosts}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(host: Host, offset: int) -> None:
        number = offset
        while time.monotonic() < deadline:
            status, _ = fetch(host.base + paths[number % len(paths)])
            number += 1
            with lock:
                statuses[host.name][status] += 1

    threads = [
        threading.Thread(target=worker, args=(host, n))
        for host in hosts
        for n in range(concurrency)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        name: {
            "requests": sum(counts.values()),
            "per_second": round(sum(counts.values()) / elapsed, 1),
            "statuses": dict(sorted(counts.items())),
        }
        for name, counts in statuses.items()
    }


def follower_lag(writer: Host, reader: Host, corrections: int) -> tuple[list[float], Counter]:
    """Seconds from each correction's answer on `writer` until `reader` finds its new word,
    and the statuses the corrections were answered with."""
    organiser = Organiser(writer.base)
    organiser.sign_in()
    lags, statuses = [], Counter()
    for number in range(corrections):
        word = f"lagword{number}x{secrets.token_hex(3)}"
        status = organiser.correct("how-singapore-learns", 3 + number % 5, f"About {word}.")
        statuses[status] += 1
        if status == 200:
            lags.append(reader.wait_until_found(word, timeout=60))
    return lags, statuses


def measure(hours: int, seconds: float, concurrency: int) -> None:
    """Requests per second per host at `hours` of transcript, and follower lag under writes."""
    from bench.generate import generate

    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        manifests = generate(hours, corpus)
        started = time.monotonic()
        folder = Path(scratch) / "cluster"
        with Cluster(folder, manifests=(DEMO, *manifests)) as cluster:
            print(f"cluster up with {hours} h + demo in {time.monotonic() - started:.0f} s")
            a, b = cluster.hosts
            pages = PAGES + SEARCHES
            for name, hosts in (("one host", [a]), ("both hosts", [a, b])):
                figures = load(hosts, seconds, concurrency, pages)
                print(f"{name}, {concurrency} clients per host, {seconds:.0f} s: {figures}")
            outcome: list = []
            writing = threading.Thread(target=lambda: outcome.extend(follower_lag(a, b, 20)))
            writing.start()
            figures = load([a, b], seconds, concurrency, pages)
            writing.join()
            print(f"while host a takes corrections: {figures}")
            lags, statuses = sorted(outcome[0]), outcome[1]
            print(f"corrections on host a answered: {dict(statuses)}")
            print(
                f"follower lag on host b over {len(lags)} corrections: "
                f"median {lags[len(lags) // 2]:.2f} s, max {lags[-1]:.2f} s"
            )
            print(f"load average {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=2)
    parser.add_argument("--measure", action="store_true", help="print the scaling figures")
    parser.add_argument("--hours", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    if args.measure:
        measure(args.hours, args.seconds, args.concurrency)
        return
    folder = Path(tempfile.mkdtemp(prefix="festival-cluster-"))
    with Cluster(folder, hosts=args.hosts) as cluster:
        print(f"PostgreSQL: {cluster.hosts[0].env['FESTIVAL_DATABASE_URL']}")
        for host in cluster.hosts:
            print(f"host {host.name}: {host.base}  (instance {host.instance})")
        email, password = ORGANISER
        print(f"organiser: {email} / {password}; every host shares the sign-in")
        print("Ctrl-C stops everything and deletes", folder)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
