"""Machine transcripts: speed, memory and accuracy on the espeak-ng script, repeated.

Speaks `scripts/speech_script.py`'s two-voice script end to end until the recording is
`--minutes` long, encodes it as Ogg/Opus, then recognises it as the worker does (decoded
in one-minute chunks) and aligns the script's plain text to it. Prints:

- real-time factor (recognition seconds per second of audio) and peak RSS of this process;
- word error rate of the machine transcript against the script;
- how far each aligned cue starts from where its sentence is said (median and max), and
  the alignment's own time.

    .venv/bin/python bench/bench_speech.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from festival.speech.align import align_text  # noqa: E402
from festival.speech.cues import cues_from_words  # noqa: E402
from festival.speech.decoding import media_duration  # noqa: E402
from festival.speech.model import load_model, model_folder  # noqa: E402
from festival.speech.recognise import recognise  # noqa: E402
from festival.speech.wer import word_error_rate  # noqa: E402
from festival.transcripts.plaintext import read_plain_text  # noqa: E402
from scripts import speech_script  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    if not speech_script.espeak_ng():
        sys.exit("bench_speech: espeak-ng is missing (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as folder:
        wav, ogg = Path(folder) / "script.wav", Path(folder) / "script.ogg"
        once = speech_script.write_recording(wav)
        repeat = max(1, round(args.minutes * 60 / once[-1].end))
        sentences = speech_script.write_recording(wav, repeat)
        speech_script.to_ogg(wav, ogg)
        wav.unlink()
        duration = media_duration(ogg)

        began = time.perf_counter()
        model = load_model(model_folder(os.environ.get("FESTIVAL_ASR_MODEL")))
        loaded, cpu_before = time.perf_counter(), time.process_time()
        words = recognise(model, ogg)
        recognised, cpu_seconds = time.perf_counter(), time.process_time() - cpu_before
        cues_from_words(words)

        text = speech_script.plain_text(sentences).encode()
        aligned = align_text(read_plain_text(text, "script.txt"), words, duration)
        finished = time.perf_counter()

    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    wer = word_error_rate(" ".join(s.text for s in sentences), " ".join(w.text for w in words))
    errors = [abs(c.start - s.start) for c, s in zip(aligned, sentences, strict=True)]
    load = os.getloadavg()[0]
    seconds = recognised - loaded
    median_ms, max_ms = statistics.median(errors) * 1000, max(errors) * 1000
    print(f"bench_speech: {duration / 60:.1f} min of espeak-ng speech (Ogg/Opus)")
    print(f"  model load   {loaded - began:7.1f} s")
    print(f"  recognition  {seconds:7.1f} s   real-time factor {seconds / duration:.3f}")
    # On a shared machine the wall clock measures the neighbours too; CPU time does not.
    print(
        f"  CPU time     {cpu_seconds:7.1f} s   ({cpu_seconds / duration:.3f} CPU-s per second"
        " of audio: the real-time factor on one idle core, at most)"
    )
    print(f"  peak RSS     {peak_mb:7.0f} MB")
    print(f"  word errors  {wer * 100:7.1f} %   ({len(words)} words heard)")
    print(f"  alignment    {finished - recognised:7.2f} s   ({len(aligned)} cues)")
    print(f"  cue starts   median {median_ms:.0f} ms, max {max_ms:.0f} ms from where said")
    print(f"  load average {load:.2f} (1 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
