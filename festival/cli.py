"""The `flask --app festival ...` commands: thin wrappers that report problems as FILE:LINE."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from festival.errors import ArchiveError, ImportProblem, Problem
from festival.extensions import (
    connection_opener,
    get_db,
    instance_path,
    job_settings,
    lock_timeout,
    media_folder,
    transcript_limits,
)
from festival.index.background import BackgroundMerge
from festival.index.check import index_differences
from festival.index.follower import follow
from festival.index.writer import catch_up, merge_index, rebuild_index
from festival.ingest.exporter import export_archive
from festival.ingest.importer import import_manifest
from festival.ingest.manifest import display_path
from festival.organise.accounts import (
    AccountProblem,
    create_organiser,
    delete_organiser,
    normalise_email,
    set_password,
)
from festival.storage import jobs
from festival.storage.backup import backup_database
from festival.storage.changes import ChangeListener
from festival.transcripts import parse_transcript, parse_webvtt_raw
from festival.transcripts.plaintext import read_plain_text
from festival.worker import check_job, run_job, run_worker


def _fail(problems: list[Problem] | str) -> None:
    lines = [problems] if isinstance(problems, str) else [str(p) for p in problems]
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def _warn(warnings: list[Problem]) -> None:
    for warning in warnings:
        where = f"{warning.file}:{warning.line}" if warning.line else warning.file
        click.echo(f"{where}: warning: {warning.message}", err=True)


@click.command("import")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--lenient", is_flag=True, help="Import what a browser would show; report the rest as warnings."
)
def import_command(path: Path, lenient: bool) -> None:
    """Import a festival manifest (a file, or a folder holding festival.yaml). All or nothing."""
    bars: list = []

    def show_progress(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="Reading sessions", show_pos=True))
        bars[0].update(1)

    try:
        report = import_manifest(
            get_db(),
            instance_path(),
            path,
            strict=not lenient,
            limits=transcript_limits(),
            lock_timeout=lock_timeout(),
            on_session=show_progress if sys.stdout.isatty() else None,
            media=media_folder(),
        )
    except ImportProblem as error:
        _warn(error.warnings)
        _fail(error.problems)
    except ArchiveError as error:
        _fail(f"{display_path(path)}: {error}")
    finally:
        for bar in bars:
            bar.render_finish()
    _warn(report.warnings)
    click.echo(
        f"Imported festival '{report.festival}': "
        f"{len(report.sessions)} sessions, {report.cues} cues."
    )
    if report.queued:
        click.echo(
            f"Queued {len(report.queued)} machine transcripts ({', '.join(report.queued)}): "
            "`flask --app festival worker` makes them."
        )
    # Nobody waits on a page here, so this is the place to merge what the import added.
    _merge("import", everything=False)


def _merge(command: str, *, everything: bool) -> None:
    """Merge the index's segments (`merge_index`) and say how many are left. A busy index
    fails `merge-index`; after an import, which is done by then, it is only a warning."""
    began = time.monotonic()
    try:
        counts = merge_index(
            get_db(), instance_path(), timeout=lock_timeout(), everything=everything
        )
    except ArchiveError as error:
        if everything:
            _fail(f"{command}: {error}")
        click.echo(f"{command}: warning: the search index was not merged: {error}", err=True)
        return
    if counts is None:
        if everything:
            click.echo(f"{command}: no index to merge, or another merge is running.")
    elif counts[0] != counts[1]:
        click.echo(
            f"Merged the search index from {counts[0]} segments to {counts[1]} "
            f"in {time.monotonic() - began:.1f} s."
        )
    elif everything:
        click.echo(f"The search index has {counts[0]} segment(s); nothing to merge.")


@click.command("merge-index")
@with_appcontext
def merge_index_command() -> None:
    """Merge the search index's segments into one while the site serves (saves go on)."""
    _merge("merge-index", everything=True)


@click.command("reindex")
@with_appcontext
@click.option("--procs", default=1, show_default=True, help="Writer processes for a large archive.")
def reindex_command(procs: int) -> None:
    """Rebuild the search index from the database into a fresh folder, then swap it in."""
    try:
        count = rebuild_index(get_db(), instance_path(), timeout=lock_timeout(), procs=procs)
    except ArchiveError as error:
        _fail(f"reindex: {error}")
    click.echo(f"Reindexed {count} documents.")


@click.command("transcript")
@with_appcontext
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--raw", is_flag=True, help="The cues exactly as a browser's WebVTT parser yields them."
)
@click.option(
    "--lenient", is_flag=True, help="Keep what a browser would show; report the rest as warnings."
)
def transcript_command(file: Path, raw: bool, lenient: bool) -> None:
    """Parse one transcript and print it as JSON."""
    name = display_path(file)
    try:
        data = file.read_bytes()
    except OSError as error:
        _fail(f"{name}: cannot read: {error.strerror}")
    try:
        if raw:
            output = {"cues": parse_webvtt_raw(data, name)}
        else:
            output = parse_transcript(
                data, name, strict=not lenient, limits=transcript_limits()
            ).as_json()
    except ImportProblem as error:
        _fail(error.problems)
    click.echo(json.dumps(output, ensure_ascii=False, indent=1))


@click.command("export")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
def export_command(path: Path) -> None:
    """Write the archive out as festival.yaml folders with transcripts (the import format)."""
    written = export_archive(get_db(), media_folder(), path)
    for manifest in written:
        click.echo(f"Wrote {display_path(manifest)}")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the site keeps serving."""
    try:
        size = backup_database(get_db(), path)
    except ArchiveError as error:
        _fail(f"backup: {error}")
    click.echo(f"Backed up the database to {display_path(path)} ({size:,} bytes).")
    click.echo("To restore: copy it to the instance folder as archive.db, then run reindex.")


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Apply changes a crash left unindexed (saying so), then verify the database and the
    search index agree; exit 1 and say what differs."""
    db = get_db()
    try:
        applied = catch_up(db, instance_path(), timeout=lock_timeout())
    except ArchiveError as error:
        _fail(f"check: {error}")
    if applied is None:
        click.echo("check: the index was too far behind the database, so it was rebuilt.")
    elif applied:
        click.echo(
            f"check: indexed {len(applied)} session(s) an interrupted write had left out of "
            f"search: {', '.join(applied)}"
        )
    differences = index_differences(db, instance_path())
    if differences:
        for line in differences:
            click.echo(f"check: {line}", err=True)
        click.echo("check: run `flask --app festival reindex` to rebuild the index", err=True)
        sys.exit(1)
    click.echo("The database and the search index agree.")


def _read_password(from_stdin: bool) -> str:
    """A password from one line of standard input, or asked for twice at the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("follow")
@with_appcontext
def follow_command() -> None:
    """Keep this host's search index up to date with the shared database until stopped.

    Run one per host when several hosts share a PostgreSQL database; a new host runs
    `reindex` first. Stops cleanly on SIGTERM or Ctrl-C after the batch it is applying.
    """
    config = current_app.config
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    listener = ChangeListener(config["DATABASE_URL"])

    def say(line: str) -> None:
        click.echo(f"follow: {line}")
        sys.stdout.flush()

    say(f"following the change log into {instance_path()}")
    try:
        follow(
            connection_opener(),
            instance_path(),
            listener,
            poll=float(config["FOLLOW_POLL_INTERVAL"]),
            lock_timeout=lock_timeout(),
            say=say,
            stop=stop,
        )
    finally:
        listener.close()
    say("stopped")


@click.command("create-organiser")
@with_appcontext
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_organiser_command(email: str, password_stdin: bool) -> None:
    """Create an organiser account (the password is asked for twice unless read from stdin)."""
    try:
        organiser = create_organiser(get_db(), email, _read_password(password_stdin))
    except AccountProblem as problem:
        _fail(f"create-organiser: {problem}")
    click.echo(f"Created organiser {organiser.email}; sign in at /organise/login.")


@click.command("set-password")
@with_appcontext
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password_command(email: str, password_stdin: bool) -> None:
    """Give an organiser a new password; every place they are signed in is signed out."""
    try:
        set_password(get_db(), email, _read_password(password_stdin))
    except AccountProblem as problem:
        _fail(f"set-password: {problem}")
    click.echo(f"Changed the password of {normalise_email(email)}; earlier sign-ins have ended.")


@click.command("delete-organiser")
@with_appcontext
@click.argument("email")
def delete_organiser_command(email: str) -> None:
    """Remove an organiser account; every place it is signed in is signed out."""
    try:
        delete_organiser(get_db(), email)
    except AccountProblem as problem:
        _fail(f"delete-organiser: {problem}")
    click.echo(f"Deleted organiser {normalise_email(email)}; their corrections are kept.")


def _job(
    command: str,
    kind: str,
    slug: str,
    queue: bool,
    text_file: Path | None = None,
    replace: bool = True,
) -> None:
    """Queue a job for the worker, or run it here with a progress bar; exit 1 on failure."""
    settings = job_settings()
    text = name = None
    try:
        check_job(settings, slug, replace_human=replace)
        if text_file is not None:
            name = display_path(text_file)
            try:
                text = text_file.read_bytes()
            except OSError as error:
                _fail(f"{name}: cannot read: {error.strerror}")
            read_plain_text(text, name)
    except ImportProblem as error:
        _fail(error.problems)
    except ArchiveError as error:
        _fail(f"{command}: {error}")
    job_id = jobs.queue_job(settings.db, kind, slug, text=text, text_name=name)
    if queue:
        click.echo(f"Queued job {job_id}; `flask --app festival worker` runs it.")
        return
    job = jobs.claim_job(settings.db, os.getpid(), job_id)
    if job is None:  # a running worker picked it up first
        click.echo(f"Job {job_id} is running in the worker; the organiser page shows its progress.")
        return
    with click.progressbar(length=100, label=f"{command} {slug}") as bar:

        def advance(percent: int) -> None:
            bar.update(percent - bar.pos)

        try:
            outcome = run_job(settings, job, on_progress=advance)
        except KeyboardInterrupt:
            jobs.finish_job(
                settings.db, job_id, "cancelled", note="interrupted: nothing was stored"
            )
            _fail(f"{command}: interrupted; nothing was stored")
        if outcome.status == "done":
            bar.update(100 - bar.pos)
    if outcome.status != "done":
        _fail(f"{command}: {outcome.message}")
    click.echo(f"{command} {slug}: {outcome.message}.")


@click.command("transcribe")
@with_appcontext
@click.argument("slug")
@click.option("--queue", is_flag=True, help="Leave the job to `flask --app festival worker`.")
@click.option("--replace", is_flag=True, help="Replace a transcript a person made.")
def transcribe_command(slug: str, queue: bool, replace: bool) -> None:
    """Make a machine transcript of a session's local recording (it replaces the transcript)."""
    _job("transcribe", "transcribe", slug, queue, replace=replace)


@click.command("align")
@with_appcontext
@click.argument("slug")
@click.argument("text_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--queue", is_flag=True, help="Leave the job to `flask --app festival worker`.")
def align_command(slug: str, text_file: Path, queue: bool) -> None:
    """Time a plain-text transcript (.txt) against a session's local recording."""
    _job("align", "align", slug, queue, text_file)


@click.command("worker")
@with_appcontext
@click.option("--until-idle", is_flag=True, help="Stop when no job is waiting.")
def worker_command(until_idle: bool) -> None:
    """Run transcription and alignment jobs until stopped (SIGTERM or Ctrl-C), and merge
    the search index's segments when saves have left too many."""
    stop = []

    def request_stop(_signal, _frame) -> None:
        stop.append(True)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    click.echo(f"Worker {os.getpid()} waiting for jobs.")
    merges = BackgroundMerge(
        connection_opener(), instance_path(), lock_timeout=lock_timeout(), say=click.echo
    )
    ran = run_worker(
        job_settings(),
        until_idle=until_idle,
        stopping=lambda: bool(stop),
        report=click.echo,
        merges=merges,
    )
    click.echo(f"Worker {os.getpid()} stopped after {ran} jobs.")


def init_app(app: Flask) -> None:
    for command in (
        import_command,
        reindex_command,
        transcript_command,
        export_command,
        backup_command,
        check_command,
        merge_index_command,
        follow_command,
        create_organiser_command,
        set_password_command,
        delete_organiser_command,
        transcribe_command,
        align_command,
        worker_command,
    ):
        app.cli.add_command(command)
