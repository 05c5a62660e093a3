"""Machine transcripts and alignment: the real speech model on a real espeak-ng recording.

The recording speaks a known script (two voices, known sentence offsets); what the model
hears must be found by search at the second it is said, and a plain-text transcript of
the same script must be timed to within a second of each sentence.
"""

from __future__ import annotations

import io
import os
import signal
import statistics
import subprocess
import time

import av
import pytest
import yaml
from archive_files import archive_rows, open_archive
from organising import flagged_cues, signed_in_client

from festival.extensions import job_settings
from festival.speech.decoding import media_duration
from festival.storage import jobs
from festival.transcripts.plaintext import read_plain_text
from festival.worker import process_alive, run_job

# A word near the start of each sentence of the script, said nowhere else in it, that the
# small model hears rightly.
SEARCH_WORDS = [
    "welcome",
    "today",
    "thank",
    "opened",
    "respond",
    "planted",
    "children",
    "wonderful",
]


def database(app):
    return open_archive(app)


def latest_job(app, slug: str) -> dict:
    return jobs.latest_job(database(app), slug)


@pytest.mark.both_databases
def test_a_machine_transcript_is_found_by_search_at_the_second_it_is_said(
    speech_app, spoken_script
):
    client, runner = speech_app.test_client(), speech_app.test_cli_runner()
    result = runner.invoke(args=["transcribe", "garden"])
    assert result.exit_code == 0, result.output
    assert "stored a machine transcript" in result.output

    transcript = client.get("/api/sessions/garden").get_json()["transcript"]
    assert transcript["source"] == "machine" and transcript["reviewed"] is False
    assert transcript["cues"], "the model heard nothing"
    for word, sentence in zip(SEARCH_WORDS, spoken_script.sentences, strict=True):
        found = client.get(f"/api/search?q={word}&session=garden").get_json()
        starts = [m["start"] for r in found["results"] for m in r["moments"]]
        assert starts, f"{word!r} was not found"
        nearest = min(starts, key=lambda start: abs(start - sentence.start))
        assert abs(nearest - sentence.start) <= 1.0, (word, nearest, sentence.start)

    page = client.get("/sessions/garden").get_data(as_text=True)
    assert "machine transcript, not yet reviewed" in page
    vtt = client.get("/sessions/garden/transcript.vtt").get_data(as_text=True)
    assert vtt.splitlines()[2] == "NOTE machine transcript, not yet reviewed"
    txt = client.get("/sessions/garden/transcript.txt").get_data(as_text=True)
    assert txt.startswith("(machine transcript, not yet reviewed)")


def test_a_plain_text_transcript_is_timed_to_the_recording_keeping_its_words_and_speakers(
    speech_app, spoken_script
):
    script = spoken_script.folder / "script.txt"
    result = speech_app.test_cli_runner().invoke(args=["align", "garden", str(script)])
    assert result.exit_code == 0, result.output

    transcript = speech_app.test_client().get("/api/sessions/garden").get_json()["transcript"]
    assert transcript["source"] == "aligned" and transcript["reviewed"] is False
    cues = transcript["cues"]
    assert [(c["speaker"], c["text"]) for c in cues] == [
        (s.speaker, s.text) for s in spoken_script.sentences
    ]
    errors = [
        abs(cue["start"] - sentence.start)
        for cue, sentence in zip(cues, spoken_script.sentences, strict=True)
    ]
    assert max(errors) <= 1.0, errors
    assert statistics.median(errors) <= 0.5, errors


def test_otter_style_speaker_headings_are_read_from_a_text_transcript():
    text = (
        b"Ada Quinn  0:01\nWelcome to the archive.\n\nStill Ada here.\n\n"
        b"Ben Okafor  1:09\nThanks.\n"
    )
    paragraphs = read_plain_text(text, "otter.txt")
    assert [(p.speaker, p.text, p.at_ms) for p in paragraphs] == [
        ("Ada Quinn", "Welcome to the archive.", 1000),
        ("Ada Quinn", "Still Ada here.", None),
        ("Ben Okafor", "Thanks.", 69000),
    ]


@pytest.mark.both_databases
def test_an_organiser_makes_a_machine_transcript_follows_it_and_marks_it_reviewed(
    speech_app, speech_organiser
):
    response = speech_organiser.post("/organise/sessions/garden/machine-transcript")
    assert response.status_code == 302
    page = speech_organiser.get("/organise/sessions/garden/transcript").get_data(as_text=True)
    assert "waiting for the worker" in page and "job-progress.js" in page
    assert speech_organiser.get("/organise/sessions/garden/job").get_json()["status"] == "queued"

    result = speech_app.test_cli_runner().invoke(args=["worker", "--until-idle"])
    assert result.exit_code == 0, result.output
    job = speech_organiser.get("/organise/sessions/garden/job").get_json()
    assert (job["status"], job["progress"]) == ("done", 100)
    assert "not yet reviewed" in job["note"]
    assert speech_organiser.get("/api/search?q=tomatoes").get_json()["total_moments"] == 1

    dashboard = speech_organiser.get("/organise/").get_data(as_text=True)
    assert dashboard.count("Machine transcript, not yet reviewed") == 1
    cues_page = speech_organiser.get("/organise/sessions/garden/cues").get_data(as_text=True)
    assert "Mark reviewed" in cues_page
    speech_organiser.post("/organise/sessions/garden/reviewed")
    transcript = speech_organiser.get("/api/sessions/garden").get_json()["transcript"]
    assert transcript["reviewed"] is True
    assert "not yet reviewed" not in speech_organiser.get("/organise/").get_data(as_text=True)
    assert "not yet reviewed" not in speech_organiser.get("/sessions/garden").get_data(as_text=True)
    assert "Mark reviewed" not in speech_organiser.get("/organise/sessions/garden/cues").get_data(
        as_text=True
    )


def test_a_text_upload_is_queued_for_alignment_and_words_not_heard_are_flagged(
    speech_app, speech_organiser, spoken_script
):
    script = (spoken_script.folder / "script.txt").read_text(encoding="utf-8")
    script += "\nAda Quinn: Sandwiches arrive at noon precisely.\n"
    response = speech_organiser.post(
        "/organise/sessions/garden/transcript",
        data={"transcript": (io.BytesIO(script.encode()), "panel.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert speech_app.test_cli_runner().invoke(args=["worker", "--until-idle"]).exit_code == 0
    assert latest_job(speech_app, "garden")["status"] == "done"

    page = speech_organiser.get("/organise/sessions/garden/cues").get_data(as_text=True)
    assert "1 cue the machine was unsure of is marked" in page
    flagged = page.split('class="low-confidence"')[1]
    assert "Sandwiches arrive at noon precisely." in flagged.split("</li>")[0]


def test_a_text_upload_needs_a_stored_recording(speech_app, speech_organiser):
    database(speech_app).execute(
        "update recordings set media_file = null, url = 'https://youtu.be/abcdefgh'"
    )
    response = speech_organiser.post(
        "/organise/sessions/garden/transcript",
        data={"transcript": (io.BytesIO(b"Ada: hello"), "panel.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "can only be timed against a recording" in response.get_data(as_text=True)
    assert latest_job(speech_app, "garden") is None


def test_a_running_job_cancelled_stores_nothing(speech_app):
    db = database(speech_app)
    job_id = jobs.queue_job(db, "transcribe", "garden")
    job = jobs.claim_job(db, os.getpid(), job_id)

    def cancel_on_first_progress(_percent: int) -> None:
        jobs.request_cancel(db, job_id)

    with speech_app.app_context():
        outcome = run_job(job_settings(), job, on_progress=cancel_on_first_progress)
    assert outcome.status == "cancelled"
    assert latest_job(speech_app, "garden")["status"] == "cancelled"
    assert speech_app.test_client().get("/api/sessions/garden").get_json()["transcript"] is None


def test_a_queued_job_is_cancelled_from_the_page(speech_app, speech_organiser):
    speech_organiser.post("/organise/sessions/garden/machine-transcript")
    response = speech_organiser.post("/organise/sessions/garden/job/cancel", follow_redirects=True)
    assert "Cancelled the job" in response.get_data(as_text=True)
    assert latest_job(speech_app, "garden")["status"] == "cancelled"
    result = speech_app.test_cli_runner().invoke(args=["worker", "--until-idle"])
    assert "stopped after 0 jobs" in result.output


def wait_for(condition, timeout: float = 60.0, what: str = "the job"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.both_databases
def test_a_job_left_running_by_a_killed_worker_is_started_again(speech_app, start_worker):
    runner = speech_app.test_cli_runner()
    assert runner.invoke(args=["transcribe", "garden", "--queue"]).exit_code == 0
    worker = start_worker(speech_app)
    try:
        wait_for(
            lambda: (job := latest_job(speech_app, "garden"))["status"] == "running"
            and job["progress"] > 0,
            what="the worker to make progress",
        )
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    job = latest_job(speech_app, "garden")
    assert (job["status"], job["worker_pid"]) == ("running", worker.pid)

    result = runner.invoke(args=["worker", "--until-idle"])
    assert f"job {job['id']}: its worker had stopped; now queued" in result.output
    job = latest_job(speech_app, "garden")
    assert (job["status"], job["attempts"]) == ("done", 2)
    assert speech_app.test_client().get("/api/search?q=sunflowers").get_json()["total_moments"] == 1


def test_a_session_deleted_while_it_is_transcribed_gets_nothing_stored(
    speech_app, speech_organiser, start_worker
):
    assert (
        speech_app.test_cli_runner().invoke(args=["transcribe", "garden", "--queue"]).exit_code == 0
    )
    worker = start_worker(speech_app)
    try:
        wait_for(lambda: latest_job(speech_app, "garden")["status"] == "running")
        assert speech_organiser.post("/organise/sessions/garden/delete").status_code == 302
        job = wait_for(
            lambda: (job := latest_job(speech_app, "garden"))["status"] != "running" and job
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert job["status"] == "failed"
    assert "session 'garden' was deleted" in job["error"]
    assert "nothing was stored" in job["error"]
    db = database(speech_app)
    assert db.execute("select count(*) from cues where session = 'garden'").fetchone()[0] == 0
    assert db.execute("select count(*) from transcripts").fetchone()[0] == 0
    assert worker.returncode == 0, output
    assert "stopped after 1 jobs" in output


def test_a_recording_without_speech_stores_nothing_and_says_so(speech_app):
    result = speech_app.test_cli_runner().invoke(args=["transcribe", "quiet"])
    assert result.exit_code == 0, result.output
    assert "no speech found in the recording: nothing was stored" in result.output
    assert speech_app.test_client().get("/api/sessions/quiet").get_json()["transcript"] is None


def test_a_damaged_recording_is_a_clear_error_in_the_command_and_on_the_page(
    speech_app, speech_organiser
):
    result = speech_app.test_cli_runner().invoke(args=["transcribe", "broken"])
    assert result.exit_code == 1
    assert "cannot be decoded" in result.output
    assert "Traceback" not in result.output

    speech_organiser.post("/organise/sessions/broken/machine-transcript")
    speech_app.test_cli_runner().invoke(args=["worker", "--until-idle"])
    page = speech_organiser.get("/organise/sessions/broken/transcript").get_data(as_text=True)
    assert "failed" in page and "cannot be decoded" in page
    assert speech_organiser.get("/api/sessions/broken").get_json()["transcript"] is None


def test_a_missing_model_folder_is_named_in_the_command_and_on_the_page(
    speech_app, speech_organiser, tmp_path
):
    speech_app.config["ASR_MODEL"] = str(tmp_path / "no-such-model")
    result = speech_app.test_cli_runner().invoke(args=["transcribe", "garden"])
    assert result.exit_code == 1
    assert f"speech model folder {tmp_path / 'no-such-model'}" in result.output
    assert "does not exist" in result.output

    response = speech_organiser.post(
        "/organise/sessions/garden/machine-transcript", follow_redirects=True
    )
    assert "Cannot make a machine transcript: speech model folder" in response.get_data(
        as_text=True
    )
    assert latest_job(speech_app, "garden") is None


def test_a_folder_that_is_not_a_model_is_refused_before_any_job(speech_app, tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.bin").write_bytes(b"not a model")
    speech_app.config["ASR_MODEL"] = str(tmp_path / "model")
    result = speech_app.test_cli_runner().invoke(args=["transcribe", "garden"])
    assert result.exit_code == 1
    assert "is not a CTranslate2 Whisper model: missing config.json" in result.output


def test_a_manifest_asks_for_a_machine_transcript_and_an_aligned_one_once(
    speech_app, spoken_script, tmp_path
):
    for name in ("talk.ogg", "script.txt"):
        (tmp_path / name).write_bytes((spoken_script.folder / name).read_bytes())
    manifest = tmp_path / "festival.yaml"
    sessions = [
        {"slug": "heard", "transcript": "machine"},
        {"slug": "timed", "transcript": "script.txt"},
    ]
    for session in sessions:
        session |= {
            "title": session["slug"],
            "starts_at": "2024-06-02",
            "recording": {"url": "talk.ogg"},
        }
    manifest.write_text(
        yaml.safe_dump({"festival": {"slug": "autumn", "name": "Autumn"}, "sessions": sessions})
    )
    runner = speech_app.test_cli_runner()
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 0, result.output
    assert "Queued 2 machine transcripts (heard, timed)" in result.output
    assert runner.invoke(args=["worker", "--until-idle"]).exit_code == 0

    again = runner.invoke(args=["import", str(manifest)])
    assert again.exit_code == 0 and "Queued" not in again.output
    client = speech_app.test_client()
    heard = client.get("/api/sessions/heard").get_json()["transcript"]
    timed = client.get("/api/sessions/timed").get_json()["transcript"]
    assert heard["source"] == "machine" and "tomatoes" in " ".join(c["text"] for c in heard["cues"])
    assert timed["source"] == "aligned"
    assert [c["text"] for c in timed["cues"]] == [s.text for s in spoken_script.sentences]


def test_a_manifest_machine_transcript_needs_a_recording_file(speech_app, tmp_path):
    manifest = tmp_path / "festival.yaml"
    manifest.write_text(
        "festival: {slug: autumn, name: Autumn}\n"
        "sessions:\n"
        "  - slug: streamed\n"
        "    title: Streamed\n"
        "    starts_at: 2024-06-02\n"
        "    recording: {url: 'https://youtu.be/abcdefghijk'}\n"
        "    transcript: machine\n"
    )
    result = speech_app.test_cli_runner().invoke(args=["import", str(manifest)])
    assert result.exit_code == 1
    assert "festival.yaml:7: transcript 'machine' is made from the recording" in result.output


def test_an_english_only_model_refuses_a_session_in_another_language(speech_app):
    database(speech_app).execute("update sessions set language = 'pt' where slug = 'garden'")
    result = speech_app.test_cli_runner().invoke(args=["transcribe", "garden"])
    assert result.exit_code == 1
    assert "understands English only, and session 'garden' is in 'pt'" in result.output
    assert latest_job(speech_app, "garden")["status"] == "failed"


def test_jobs_left_running_are_started_again_then_failed_but_a_live_workers_are_left(speech_app):
    db = database(speech_app)
    ended = subprocess.Popen(["true"])  # a process that has ended: its pid names no worker
    ended.wait()
    ids = [jobs.queue_job(db, "transcribe", slug) for slug in ("garden", "quiet", "broken")]
    for job_id in ids:
        jobs.claim_job(db, ended.pid, job_id)
    db.execute("update jobs set attempts = 3 where id = ?", [ids[1]])
    db.execute("update jobs set worker_pid = ? where id = ?", [os.getpid(), ids[2]])

    recovered = jobs.recover_abandoned_jobs(db, process_alive)
    assert recovered == [(ids[0], "queued"), (ids[1], "failed")]
    assert "stopped before it finished, 3 times" in jobs.job(db, ids[1])["error"]
    assert jobs.job(db, ids[2])["status"] == "running"  # this process is alive and reporting


def test_a_transcript_a_person_made_is_replaced_only_when_asked(
    speech_app, speech_organiser, spoken_script
):
    runner = speech_app.test_cli_runner()
    script = spoken_script.folder / "script.txt"
    assert runner.invoke(args=["align", "garden", str(script), "--queue"]).exit_code == 0
    assert runner.invoke(args=["worker", "--until-idle"]).exit_code == 0
    database(speech_app).execute("update transcripts set source = 'human', reviewed = 1")

    refused = runner.invoke(args=["transcribe", "garden"])
    assert refused.exit_code == 1
    assert "has a transcript made by a person" in refused.output
    page = speech_organiser.post(
        "/organise/sessions/garden/machine-transcript", follow_redirects=True
    ).get_data(as_text=True)
    assert "confirm that you want it replaced" in page
    assert latest_job(speech_app, "garden")["kind"] == "align"

    speech_organiser.post("/organise/sessions/garden/machine-transcript", data={"replace": "1"})
    assert latest_job(speech_app, "garden")["kind"] == "transcribe"


def test_a_webm_that_does_not_state_its_length_is_measured_from_its_packets(
    spoken_script, tmp_path
):
    target = tmp_path / "browser-recording.webm"
    with (
        av.open(str(spoken_script.folder / "talk.wav")) as source,
        av.open(str(target), "w", format="webm", options={"live": "1"}) as out,
    ):
        stream = out.add_stream("libopus", rate=48_000, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        for frame in source.decode(audio=0):
            for part in resampler.resample(frame):
                out.mux(stream.encode(part))
        out.mux(stream.encode(None))
    with av.open(str(target)) as container:
        assert container.duration is None  # as a browser's MediaRecorder leaves it
    spoken = spoken_script.sentences[-1].end
    assert abs(media_duration(target) - spoken) < 0.1  # the recording ends as the last word does


@pytest.mark.both_databases
def test_an_aligned_transcript_keeps_its_mark_and_flags_through_export_and_import(
    speech_app, spoken_script, make_app, tmp_path
):
    script = (spoken_script.folder / "script.txt").read_text(encoding="utf-8")
    text = tmp_path / "panel.txt"
    text.write_text(script + "\nAda Quinn: Sandwiches arrive at noon precisely.\n")
    result = speech_app.test_cli_runner().invoke(args=["align", "garden", str(text)])
    assert result.exit_code == 0, result.output
    exported = tmp_path / "exported"
    assert speech_app.test_cli_runner().invoke(args=["export", str(exported)]).exit_code == 0
    manifest = yaml.safe_load((exported / "summer" / "festival.yaml").read_text())
    garden = next(entry for entry in manifest["sessions"] if entry["slug"] == "garden")
    assert (garden["transcript_source"], garden["transcript_reviewed"]) == ("aligned", False)
    written = (exported / "summer" / garden["transcript"]).read_text()
    assert written.startswith("WEBVTT\n\n1 confidence ")

    fresh = make_app(tmp_path / "fresh", WTF_CSRF_ENABLED=False)
    result = fresh.test_cli_runner().invoke(args=["import", str(exported / "summer")])
    assert result.exit_code == 0, result.output
    assert archive_rows(fresh) == archive_rows(speech_app)
    organiser = signed_in_client(fresh)
    page = organiser.get("/organise/sessions/garden/cues").get_data(as_text=True)
    assert "1 cue the machine was unsure of is marked" in page
    assert "Sandwiches arrive at noon precisely." in flagged_cues(page)
    public = fresh.test_client().get("/sessions/garden").get_data(as_text=True)
    assert "not yet reviewed" in public
