"""`flask --app festival transcript FILE --raw` prints what a browser's WebVTT parser yields."""

from __future__ import annotations

import json


def test_raw_output_is_the_browsers_cue_list(runner, wpt_dir, wpt_case):
    result = runner.invoke(args=["transcript", str(wpt_dir / wpt_case["vtt"]), "--raw"])
    expected = json.loads((wpt_dir / wpt_case["expected_json"]).read_text())
    if wpt_case["expected"] != "parsed":
        assert result.exit_code == 1
        assert wpt_case["vtt"].split("/")[-1] in result.stderr
        return
    assert result.exit_code == 0, result.output
    cues = json.loads(result.stdout)["cues"]
    wanted = [{key: cue[key] for key in ("id", "start", "end", "text")} for cue in expected["cues"]]
    assert cues == wanted
