"""Two hosts, one PostgreSQL: each host's own index follows every write, whichever host made it.

Real processes throughout (`bench/cluster.py`): two gunicorn servers on loopback ports with
separate instance folders, a `flask follow` per host, the run's PostgreSQL server. The tests
share one cluster and may run in any order.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter

import psycopg
import pytest
from archive_files import session, vtt, write_festival

from bench.cluster import PAGES, SEARCHES, Cluster, Organiser, fetch
from bench.generate import festival
from festival.index.writer import applied_change


@pytest.fixture(scope="module")
def cluster(postgres, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    settings = {"FESTIVAL_DATABASE_CONNECT_TIMEOUT": "1", "FESTIVAL_LOGIN_ATTEMPTS": "1000"}
    with Cluster(folder, postgres=postgres, settings=settings) as running:
        yield running


def latest_change(cluster) -> int:
    with psycopg.connect(cluster.hosts[0].env["FESTIVAL_DATABASE_URL"]) as conn:
        return conn.execute("select max(seq) from changes").fetchone()[0]


def check_agrees(host) -> str:
    result = host.flask("check")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_an_import_on_a_is_searchable_on_b_within_2_s_and_a_correction_on_b_reaches_a(
    cluster, tmp_path
):
    a, b = cluster.hosts
    tag = secrets.token_hex(3)
    word, slug = f"zeppelin{tag}", f"crossing-{tag}"
    manifest = write_festival(
        tmp_path,
        [session(slug, speakers=["Hugo Eckener"])],
        {f"{slug}.vtt": vtt((0, 4, "Hugo Eckener", f"The {word} crossed the ocean."))},
        festival={"slug": f"air-{tag}", "name": "Air"},
    )
    assert a.flask("import", str(manifest)).returncode == 0
    assert b.wait_until_found(word, timeout=10) < 2.0
    assert b.found(word) == [slug]

    organiser = Organiser(b.base)
    assert organiser.sign_in() == 200
    corrected = f"aerostat{tag}"
    assert organiser.correct(slug, 0, f"The {corrected} crossed the ocean.") == 200
    assert a.wait_until_found(corrected, timeout=10) < 2.0
    assert a.found(word) == [] and b.found(word) == []


def test_signing_in_on_one_host_opens_the_organiser_area_on_the_other(cluster):
    a, b = cluster.hosts
    organiser = Organiser(a.base)
    assert organiser.sign_in() == 200
    organiser.base = b.base  # same cookie, other host: shared secret key and accounts
    assert organiser.opens("/organise/") == 200
    assert "Festivals and sessions" in organiser.browser.open(b.base + "/organise/").read().decode()


def test_a_follower_killed_mid_batch_catches_up_on_restart_and_check_agrees_on_both(
    cluster, tmp_path
):
    a, b = cluster.hosts
    manifest = festival(7, tmp_path / "big", sessions_count=8)  # 8 hours: a long batch on b
    since = time.monotonic()
    imported = []
    importing = threading.Thread(target=lambda: imported.append(a.flask("import", str(manifest))))
    importing.start()  # b is woken when the import commits, while a still indexes it
    b.wait_for_line("applying changes", since=since)
    b.kill_follower()
    importing.join()
    assert imported[0].returncode == 0, imported[0].stderr
    head = latest_change(cluster)
    assert applied_change(b.instance) < head, "the batch finished before the kill"

    b.follow()  # its start-up applies what the killed one left pending
    deadline = time.monotonic() + 30
    while applied_change(b.instance) < head and time.monotonic() < deadline:
        time.sleep(0.1)
    assert applied_change(b.instance) == head
    for host in (a, b):
        assert check_agrees(host).strip() == "The database and the search index agree."
    status, body = fetch(f"{b.base}/api/search?festival=synthetic-festival-0007")
    assert status == 200 and json.loads(body)["total_sessions"] == 8


def test_a_postgresql_restart_under_load_answers_503_never_500_and_loses_no_correction(
    cluster,
):
    a, b = cluster.hosts
    paths = PAGES + SEARCHES
    statuses: Counter = Counter()
    bodies: list[str] = []
    corrections: list[tuple[str, int]] = []
    stop = threading.Event()
    lock = threading.Lock()

    def read(host, offset: int) -> None:
        number = offset
        while not stop.is_set():
            status, body = fetch(host.base + paths[number % len(paths)])
            number += 1
            with lock:
                statuses[status] += 1
                if status == 503 and len(bodies) < 5:
                    bodies.append(body.decode())

    organiser = Organiser(a.base)
    assert organiser.sign_in() == 200

    def write() -> None:
        number = 0
        while not stop.is_set():
            word = f"restartword{number}x{secrets.token_hex(2)}"
            text = f"Said during a restart: {word}."
            corrections.append((word, organiser.correct("how-governments-think", 1, text)))
            number += 1
            time.sleep(0.2)

    threads = [threading.Thread(target=read, args=(host, n)) for host in (a, b) for n in range(2)]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    time.sleep(2)
    cluster.postgres.stop()
    time.sleep(3)  # longer than the 1 s connection wait: requests meanwhile must get 503
    cluster.postgres.start()
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join()

    assert set(statuses) <= {200, 503}, statuses
    assert statuses[503] >= 1 and statuses[200] >= 20, statuses
    assert all("try again" in body for body in bodies), bodies
    written = [word for word, status in corrections if status == 200]
    assert written, corrections
    # The cue was rewritten again and again: the last committed text is what both hosts find.
    last = written[-1]
    assert a.wait_until_found(last, timeout=10) < 10 and b.wait_until_found(last, timeout=10) < 10
    with psycopg.connect(a.env["FESTIVAL_DATABASE_URL"]) as conn:
        kept = {row[0] for row in conn.execute("select after_text from cue_edits")}
    assert {f"Said during a restart: {word}." for word in written} <= kept
    for host in (a, b):
        check_agrees(host)
