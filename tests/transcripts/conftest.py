"""Where the read-only conformance material lives, and parametrisation over its cases."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SHARED = Path(
    os.environ.get("FESTIVAL_SHARED", Path(__file__).resolve().parents[2] / ".." / "shared")
)
WPT = SHARED / "conformance" / "webvtt-wpt"
REAL_WORLD = SHARED / "conformance" / "real-world"
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


def _wpt_cases() -> list[dict]:
    return json.loads((WPT / "cases.json").read_text(encoding="utf-8"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "wpt_case" in metafunc.fixturenames:
        cases = _wpt_cases()
        metafunc.parametrize("wpt_case", cases, ids=[case["case"] for case in cases])
    if "sample" in metafunc.fixturenames:
        metafunc.parametrize("sample", REAL_WORLD_SAMPLES)


@pytest.fixture
def wpt_dir() -> Path:
    return WPT


@pytest.fixture
def real_world() -> Path:
    return REAL_WORLD
