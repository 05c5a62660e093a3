"""Recognise the words of a recording, chunk by chunk, with their times and probabilities.

Each chunk goes to faster-whisper (with its voice-activity filter, so silence yields no
invented words, and without its own no-speech test, which on long recordings dropped
whole windows of speech). Of the seconds two chunks share, each keeps the words nearer its own
middle, so a word at a boundary is kept once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from festival.speech.decoding import SAMPLE_RATE, audio_chunks, media_duration
from festival.speech.words import Stopped, Word

CHUNK_SECONDS = 60.0
OVERLAP_SECONDS = 2.0
FRAME = SAMPLE_RATE // 100  # 10 ms, for finding where a word's sound begins
MIN_SAMPLES = SAMPLE_RATE // 10  # a tail shorter than 0.1 s holds no word


def recognise(
    model,
    path: Path,
    *,
    language: str = "en",
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    chunk_seconds: float = CHUNK_SECONDS,
) -> list[Word]:
    """Every word said in the recording, in order.

    `on_progress` gets the fraction done (0-1) after each recognised segment; `should_stop`
    is asked as often, and a true answer raises `Stopped`. Raises `MediaUnreadable`.
    """
    duration = media_duration(path)
    words: list[Word] = []
    for chunk in audio_chunks(path, chunk_seconds, OVERLAP_SECONDS):
        if len(chunk.samples) < MIN_SAMPLES:
            continue
        keep_from = chunk.start + OVERLAP_SECONDS / 2 if chunk.start else 0.0
        keep_until = float("inf") if chunk.last else chunk.end - OVERLAP_SECONDS / 2
        onset = _onset_finder(chunk.samples)
        segments, _info = model.transcribe(
            chunk.samples,
            language=language,
            beam_size=1,
            word_timestamps=True,
            vad_filter=True,
            # The filter has already cut the silence; Whisper's own no-speech test then
            # only drops real speech (on a long recording, whole 30 s windows of it).
            no_speech_threshold=None,
            condition_on_previous_text=False,  # one misheard window does not derail the next
        )
        for segment in segments:
            if should_stop and should_stop():
                raise Stopped("stopped before the end of the recording")
            for word in segment.words or []:
                start = chunk.start + onset(word.start, word.end)
                end = chunk.start + word.end
                if keep_from <= (start + end) / 2 < keep_until and word.word.strip():
                    words.append(Word(start, end, word.word.strip(), word.probability))
            if on_progress and duration:
                on_progress(min(1.0, (chunk.start + segment.end) / duration))
        if should_stop and should_stop():
            raise Stopped("stopped before the end of the recording")
        if on_progress and duration:
            on_progress(min(1.0, keep_until / duration))
    return words


def _onset_finder(samples: np.ndarray) -> Callable[[float, float], float]:
    """Where a word's sound really begins: Whisper often starts a word after a pause early.

    Moves a word's start forward past any quiet 10 ms frames at its beginning; a word
    that starts in the middle of speech keeps its start.
    """
    count = len(samples) // FRAME
    if count == 0:
        return lambda start, _end: start
    frames = samples[: count * FRAME].reshape(count, FRAME)
    loudness = np.sqrt(np.mean(frames * frames, axis=1))
    floor, speech = np.percentile(loudness, [10, 90])
    threshold = floor + 0.1 * (speech - floor)

    def onset(start: float, end: float) -> float:
        first, last = int(start * 100), min(int(end * 100), count)
        loud = np.flatnonzero(loudness[first:last] > threshold)
        if not len(loud) or speech <= floor:
            return start
        return min(max(start, (first + loud[0]) / 100), max(start, end - 0.05))

    return onset
