"""A bounded load test: gunicorn with several workers on one instance folder, mixed page views
and searches from many threads, while an import writes a new festival and an organiser
corrects a cue in the browser forms.

Loopback only; the request loop stops after a fixed count or time. `make soak` runs it long;
`tests/test_load.py` runs it short inside `make test`.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
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
DEMO = ROOT / "sessions" / "states-of-change-2020.yaml"
PAGES = [
    "/",
    "/festivals/states-of-change-2020",
    "/sessions/how-singapore-learns?t=95",
    "/sessions/how-governments-think",
    "/speakers/geoff-mulgan",
    "/themes/public-innovation",
    "/api/sessions/how-governments-think",
]
SEARCHES = [
    "/search?q=Singapore",
    "/api/search?q=%22data+governance%22",
    "/api/search?q=said:mulgan+trust",
    "/api/search?q=innov*",
    "/api/search?q=brain+OR+steward&sort=date",
    "/api/search?theme=futures",
    "/api/search?q=*bad",  # refused: a 400, never a 5xx
]
NEW_WORD = "zeppelinology"
CORRECTED_WORD = "aerostatics"
ORGANISER = ("load@example.org", "load-test-password")
CORRECTED = ("how-singapore-learns", 3)  # session and cue position the organiser corrects


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(instance: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "FESTIVAL_INSTANCE_PATH": str(instance)}
    command = [sys.executable, "-m", "flask", "--app", "festival", *args]
    return subprocess.run(
        command, env=env, input=stdin, capture_output=True, text=True, cwd=ROOT, check=False
    )


def start_server(instance: Path, workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "FESTIVAL_INSTANCE_PATH": str(instance)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--log-level", "warning", "festival:create_app()"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"gunicorn did not answer: {server.stderr.read() if server.stderr else ''}")


def fetch(url: str) -> tuple[int, float, bytes]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, time.perf_counter() - started, body


def correct_a_cue(base: str) -> int:
    """Sign in as the organiser and correct one cue through the web forms; return the status."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def post(path: str, form_page: str, fields: dict) -> int:
        html = browser.open(base + form_page, timeout=30).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        try:
            return browser.open(base + path, data=data, timeout=30).status
        except urllib.error.HTTPError as error:
            return error.code

    email, password = ORGANISER
    post("/organise/login", "/organise/login", {"email": email, "password": password})
    session, position = CORRECTED
    cues = f"/organise/sessions/{session}/cues"
    text = f"A corrected cue about {CORRECTED_WORD}."
    return post(f"{cues}/{position}", cues, {"speaker": "Festival host", "text": text})


def found(base: str, word: str) -> list[str]:
    status, _, body = fetch(f"{base}/api/search?q={word}")
    return [r["session"]["slug"] for r in json.loads(body)["results"]] if status == 200 else []


def write_new_festival(folder: Path) -> Path:
    cues = "\n\n".join(
        f"00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 4:02d}.000\n<v Load Tester>On {NEW_WORD}, {i}."
        for i in range(10)
    )
    (folder / "new.vtt").write_text(f"WEBVTT\n\n{cues}\n")
    manifest = folder / "festival.yaml"
    manifest.write_text(
        "festival:\n  slug: load-fest\n  name: Load Festival\n"
        "sessions:\n  - slug: load-session\n    title: Load Session\n"
        "    starts_at: 2024-01-01\n    speakers: [Load Tester]\n    transcript: new.vtt\n"
    )
    return manifest


def run(requests: int, concurrency: int, workers: int, seconds: float) -> dict:
    """Serve a fresh demo archive, load it, import meanwhile; return the figures."""
    with tempfile.TemporaryDirectory() as scratch:
        instance = Path(scratch) / "instance"
        imported = flask(instance, "import", str(DEMO))
        email, password = ORGANISER
        created = flask(instance, "create-organiser", email, "--password-stdin", stdin=password)
        if imported.returncode or created.returncode:
            raise RuntimeError(imported.stderr + created.stderr)
        port = free_port()
        server = start_server(instance, workers, port)
        base = f"http://127.0.0.1:{port}"
        statuses: Counter = Counter()
        latencies: list[float] = []
        lock = threading.Lock()
        remaining = iter(range(requests))
        deadline = time.monotonic() + seconds
        chooser = random.Random(7)
        mix = [chooser.choice(PAGES + SEARCHES) for _ in range(requests)]

        def worker() -> None:
            while time.monotonic() < deadline:
                with lock:
                    number = next(remaining, None)
                if number is None:
                    return
                status, took, _ = fetch(base + mix[number])
                with lock:
                    statuses[status] += 1
                    latencies.append(took)

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(min(1.0, seconds / 4))
        manifest = write_new_festival(Path(scratch))
        import_result = flask(instance, "import", str(manifest))
        searchable = found(base, NEW_WORD) == ["load-session"]
        correction_status = correct_a_cue(base)
        corrected = found(base, CORRECTED_WORD) == [CORRECTED[0]]
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        server.terminate()
        server.wait(timeout=30)
        latencies.sort()

        def percentile(share: float) -> float:
            return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

        return {
            "requests": sum(statuses.values()),
            "seconds": round(elapsed, 1),
            "statuses": dict(sorted(statuses.items())),
            "server_errors": sum(n for code, n in statuses.items() if code >= 500),
            "p50_ms": round(percentile(0.50), 1),
            "p95_ms": round(percentile(0.95), 1),
            "import_exit": import_result.returncode,
            "new_session_searchable_at_once": searchable,
            "correction_status": correction_status,
            "correction_searchable_at_once": corrected,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    figures = run(args.requests, args.concurrency, args.workers, args.seconds)
    for name, value in figures.items():
        print(f"{name:32} {value}")


if __name__ == "__main__":
    main()
