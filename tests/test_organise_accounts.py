"""Organiser sign-in against a hostile visitor: forged and replayed cookies, a raced limit,
header smuggling through `next`, and the account commands that end sign-ins."""

from __future__ import annotations

import http.cookiejar
import logging
import multiprocessing
import re
import stat
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from organising import EMAIL, PASSWORD, database, sign_in

from bench.load import flask, free_port, start_server
from festival import create_app
from festival.secret_key import KEY_FILE, instance_secret_key

NEW_PASSWORD = "a brand new passphrase"


def forged_cookie(secret_key: str, user_id: str) -> str:
    """A session cookie saying `user_id` is signed in, signed with `secret_key`."""
    forger = Flask("forger")
    forger.secret_key = secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    return serializer.dumps({"_user_id": user_id, "_fresh": True})


def opens_organise(app, cookie: str) -> bool:
    """Whether `cookie` opens the organiser area; anything else must be the sign-in redirect."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    status = client.get("/organise/").status_code
    assert status in (200, 302), status
    return status == 200


# -- the key that signs cookies --------------------------------------------------------------------
def test_a_cookie_signed_with_the_old_public_default_key_opens_nothing(organiser_app):
    row = database(organiser_app).execute("select id, session_token from organisers").fetchone()
    user_id = f"{row[0]}:{row[1]}"
    assert not opens_organise(organiser_app, forged_cookie("dev-only-not-secret", "1"))
    assert not opens_organise(organiser_app, forged_cookie("dev-only-not-secret", user_id))
    real_key = organiser_app.config["SECRET_KEY"]
    assert opens_organise(organiser_app, forged_cookie(real_key, user_id))  # only the key differs


def test_without_a_configured_key_one_is_made_once_kept_private_and_reused(tmp_path, caplog):
    instance = tmp_path / "instance"
    first = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    key_file = instance / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 64
    again = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    made = [r for r in caplog.records if "FESTIVAL_SECRET_KEY is not set" in r.getMessage()]
    assert len(made) == 1 and str(key_file) in made[0].getMessage()
    other = create_app({"INSTANCE_PATH": str(tmp_path / "other"), "TESTING": True})
    assert other.config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_a_configured_key_is_used_and_no_file_is_made(tmp_path, monkeypatch):
    monkeypatch.setenv("FESTIVAL_SECRET_KEY", "set by the operator for every host")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    assert app.config["SECRET_KEY"] == "set by the operator for every host"
    assert not (tmp_path / "instance" / KEY_FILE).exists()


def test_a_configured_key_of_digits_is_used_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("FESTIVAL_SECRET_KEY", "20260612345678901234567890")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    assert app.config["SECRET_KEY"] == "20260612345678901234567890"
    assert app.test_client().get("/organise/login").status_code == 200


def _race_for_the_key(instance: Path, start: multiprocessing.Barrier, keys) -> None:
    start.wait()
    keys.put(instance_secret_key(instance, logging.getLogger("racer")))


def test_workers_starting_at_once_all_end_up_with_the_same_key(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    context = multiprocessing.get_context("fork")
    start, keys = context.Barrier(8), context.Queue()
    racers = [
        context.Process(target=_race_for_the_key, args=(instance, start, keys)) for _ in range(8)
    ]
    for racer in racers:
        racer.start()
    found = {keys.get(timeout=30) for _ in racers}
    for racer in racers:
        racer.join(timeout=30)
    assert found == {(instance / KEY_FILE).read_text().strip()}
    assert sorted(p.name for p in instance.iterdir()) == [KEY_FILE]  # no partial files left


# -- sign-out and account changes end earlier cookies ----------------------------------------------
def test_a_cookie_captured_before_sign_out_no_longer_opens_the_organiser_area(organiser_app):
    client, elsewhere = organiser_app.test_client(), organiser_app.test_client()
    assert sign_in(client).status_code == 302 and sign_in(elsewhere).status_code == 302
    captured = client.get_cookie("session").value
    assert opens_organise(organiser_app, captured)
    client.post("/organise/logout")
    assert not opens_organise(organiser_app, captured)
    assert elsewhere.get("/organise/").status_code == 302  # signed out on every device
    assert sign_in(client).status_code == 302 and client.get("/organise/").status_code == 200


def test_set_password_ends_earlier_sign_ins_and_only_the_new_password_works(organiser_app):
    client = organiser_app.test_client()
    sign_in(client)
    runner = organiser_app.test_cli_runner()
    result = runner.invoke(
        args=["set-password", "ADA@example.org", "--password-stdin"], input=NEW_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "earlier sign-ins have ended" in result.output
    assert client.get("/organise/").status_code == 302
    assert sign_in(client).status_code == 401
    assert sign_in(client, password=NEW_PASSWORD).status_code == 302


def test_set_password_prompts_twice_and_refuses_a_short_one_or_an_unknown_email(organiser_app):
    runner = organiser_app.test_cli_runner()
    prompted = runner.invoke(args=["set-password", EMAIL], input=f"{NEW_PASSWORD}\n" * 2)
    assert prompted.exit_code == 0, prompted.output
    short = runner.invoke(args=["set-password", EMAIL, "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    unknown = runner.invoke(
        args=["set-password", "nobody@example.org", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert unknown.exit_code == 1 and "no organiser with email nobody@example.org" in unknown.output
    assert sign_in(organiser_app.test_client(), password=NEW_PASSWORD).status_code == 302


def test_delete_organiser_ends_their_sign_ins_and_keeps_nothing_but_their_corrections(
    organiser_app,
):
    client = organiser_app.test_client()
    sign_in(client)
    runner = organiser_app.test_cli_runner()
    result = runner.invoke(args=["delete-organiser", EMAIL])
    assert result.exit_code == 0, result.output
    assert client.get("/organise/").status_code == 302
    assert sign_in(client).status_code == 401
    assert database(organiser_app)["organisers"].count == 0
    again = runner.invoke(args=["delete-organiser", EMAIL])
    assert again.exit_code == 1 and "no organiser with email" in again.output


def test_a_cookie_naming_no_valid_organiser_is_treated_as_signed_out(organiser_app):
    key = organiser_app.config["SECRET_KEY"]
    for user_id in ("x", "1", "1:", ":token", "99:token", "²:token", "9" * 5000 + ":token"):
        assert not opens_organise(organiser_app, forged_cookie(key, user_id)), user_id


# -- where sign-in leads ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "target", ["/organise/%0D%0ASet-Cookie:%20stolen=1", "/organise/%0Aimport", "/organise/ x"]
)
def test_a_next_page_smuggling_a_header_is_ignored_not_a_500(organiser_app, target):
    response = organiser_app.test_client().post(
        f"/organise/login?next={target}", data={"email": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/organise/"
    assert "stolen" not in response.headers.get("Set-Cookie", "")


def test_a_plain_next_page_in_the_organiser_area_is_followed(organiser_app):
    response = organiser_app.test_client().post(
        "/organise/login?next=/organise/import", data={"email": EMAIL, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/organise/import"


# -- served by several gunicorn workers ------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn with 4 workers started on a fresh instance folder, so the workers race to make
    the secret key; two organisers are created through the CLI once it serves."""
    instance = tmp_path_factory.mktemp("served") / "instance"
    port = free_port()
    server = start_server(instance, workers=4, port=port)
    try:
        for email in ("race@example.org", "workers@example.org"):
            created = flask(instance, "create-organiser", email, "--password-stdin", stdin=PASSWORD)
            assert created.returncode == 0, created.stderr
        yield f"http://127.0.0.1:{port}", instance
    finally:
        server.terminate()
        server.wait(timeout=30)


def _browser():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _form_token(browser, base: str) -> str:
    html = browser.open(f"{base}/organise/login", timeout=30).read().decode()
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _post_sign_in(browser, base: str, token: str, email: str, password: str) -> int:
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    try:
        return browser.open(f"{base}/organise/login", data=data.encode(), timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def test_parallel_wrong_passwords_never_get_past_the_limit(served):
    base, _instance = served
    attempts = 24
    start = threading.Barrier(attempts)
    statuses: list[int] = []

    def guess(number: int) -> None:
        browser = _browser()
        token = _form_token(browser, base)
        start.wait()
        statuses.append(_post_sign_in(browser, base, token, "race@example.org", f"guess {number}"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == attempts
    assert statuses.count(401) == 5, statuses  # FESTIVAL_LOGIN_ATTEMPTS, however they race
    assert statuses.count(429) == attempts - 5, statuses
    browser = _browser()
    right = _post_sign_in(browser, base, _form_token(browser, base), "race@example.org", PASSWORD)
    assert right == 429  # even the right password waits out the window


def test_every_worker_accepts_a_sign_in_made_on_another(served):
    base, instance = served
    assert stat.S_IMODE((instance / KEY_FILE).stat().st_mode) == 0o600
    browser = _browser()
    token = _form_token(browser, base)
    assert _post_sign_in(browser, base, token, "workers@example.org", PASSWORD) == 200
    cookie = next(c for c in browser.handlers if isinstance(c, urllib.request.HTTPCookieProcessor))
    header = "; ".join(f"{c.name}={c.value}" for c in cookie.cookiejar)
    for _ in range(16):  # each a new connection, answered by whichever worker accepts it
        request = urllib.request.Request(f"{base}/organise/", headers={"Cookie": header})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert "Festivals and sessions" in response.read().decode()
