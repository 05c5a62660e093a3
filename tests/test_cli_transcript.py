"""`flask --app festival transcript FILE --raw` prints what a browser's WebVTT parser yields."""

from __future__ import annotations

import json

import pytest
from archive_files import SHARED

WPT = SHARED / "conformance" / "webvtt-wpt"
CASES = json.loads((WPT / "cases.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=[case["case"] for case in CASES])
def test_raw_output_is_the_browsers_cue_list(runner, case):
    result = runner.invoke(args=["transcript", str(WPT / case["vtt"]), "--raw"])
    expected = json.loads((WPT / case["expected_json"]).read_text())
    if case["expected"] != "parsed":
        assert result.exit_code == 1
        assert case["vtt"].split("/")[-1] in result.stderr
        return
    assert result.exit_code == 0, result.output
    cues = json.loads(result.stdout)["cues"]
    wanted = [{key: cue[key] for key in ("id", "start", "end", "text")} for cue in expected["cues"]]
    assert cues == wanted
