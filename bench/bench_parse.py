"""Time parse_transcript on a 60-minute (~900 cue) and a 50,000-cue transcript, best of 3.

Run from the repository root: `.venv/bin/python bench/bench_parse.py`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from festival.transcripts import parse_transcript  # noqa: E402
from festival.transcripts.timecode import format_clock  # noqa: E402

SPEAKERS = ["Aaron Maniam", "Geoff Mulgan", "Priya Raman"]
SENTENCE = (
    "so the question is how governments <i>learn</i> &amp; what they do with data "
    "when public trust is low"
)
TARGETS = [("60-minute talk", 900, 1.0), ("50,000 cues", 50_000, 3.0)]


def make_transcript(cues: int) -> bytes:
    """A voice-tagged WebVTT file with `cues` four-second cues, some with two voices."""
    blocks = ["WEBVTT"]
    for number in range(cues):
        start = number * 4000
        speaker = SPEAKERS[number // 7 % len(SPEAKERS)]
        text = f"<v {speaker}>{SENTENCE} {number}"
        if number % 25 == 0:
            text += f"</v>\n<v {SPEAKERS[0]}>Yes.</v>\n[Applause]"
        blocks.append(
            f"{number + 1}\n{format_clock(start)} --> {format_clock(start + 3900)}\n{text}"
        )
    return ("\n\n".join(blocks) + "\n").encode()


def best_of_three(data: bytes) -> tuple[float, int]:
    times = []
    for _ in range(3):
        began = time.perf_counter()
        parsed = parse_transcript(data, "bench.vtt")
        times.append(time.perf_counter() - began)
    return min(times), len(parsed.cues)


def main() -> None:
    for label, cues, target in TARGETS:
        data = make_transcript(cues)
        seconds, normalised = best_of_three(data)
        verdict = "ok" if seconds < target else "TOO SLOW"
        print(
            f"{label:15} {cues:>6} cues ({len(data) / 1e6:5.2f} MB) -> {normalised:>6} cues: "
            f"{seconds:6.3f} s  (target < {target:.0f} s) {verdict}"
        )


if __name__ == "__main__":
    main()
