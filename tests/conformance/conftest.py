"""The external conformance run: web-platform-tests WebVTT cases and third-party transcripts.

The files live in `../shared/conformance` (or `$FESTIVAL_SHARED/conformance`), never in this
repository; `tests/conftest.py` leaves this folder out when they are not there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from archive_files import CONFORMANCE

WPT = CONFORMANCE / "webvtt-wpt"
REAL_WORLD = CONFORMANCE / "real-world"
REAL_WORLD_SAMPLES = [
    "zoom/zoomgroupstats-meeting001.transcript.vtt",
    "youtube-auto/teamdman-vtt-test.en.vtt",
    "youtube-auto/webvtt-py-youtube_dl.vtt",
    "voice/vttjs-cycle-collector-talk.vtt",
    "voice/vttjs-spec-example.vtt",
    "srt/popcorn-unit.srt",
    "srt/popcorn-data.srt",
    "sbv/webvtt-py-sample.sbv",
    "sbv/popcorn-data.sbv",
]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "wpt_case" in metafunc.fixturenames:
        cases = json.loads((WPT / "cases.json").read_text(encoding="utf-8"))
        metafunc.parametrize("wpt_case", cases, ids=[case["case"] for case in cases])
    if "sample" in metafunc.fixturenames:
        metafunc.parametrize("sample", REAL_WORLD_SAMPLES)


@pytest.fixture
def wpt_dir() -> Path:
    return WPT


@pytest.fixture
def real_world() -> Path:
    return REAL_WORLD
