"""A known script spoken by two espeak-ng voices, with silences at known offsets.

The tests and `bench/bench_speech.py` transcribe and align this recording and compare
what comes back with `SCRIPT`: each sentence starts at a known second.

    .venv/bin/python scripts/speech_script.py OUT.wav [--repeat N] [--ogg OUT.ogg]
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

RATE = 22_050  # espeak-ng's own sample rate
VOICES = {"Ada Quinn": ("en-gb+f3", 55), "Ben Okafor": ("en-us+m3", 45)}
WORDS_PER_MINUTE = 150
LEAD_IN, PAUSE, TURN_PAUSE = 1.0, 0.8, 1.5  # seconds of silence

SCRIPT: list[tuple[str, str]] = [
    ("Ada Quinn", "Welcome to the archive of our summer festival."),
    ("Ada Quinn", "Today we talk about libraries and public health."),
    ("Ben Okafor", "Thank you for having me here this morning."),
    ("Ben Okafor", "Our library opened a garden for the whole street."),
    ("Ada Quinn", "How did the neighbours respond to the garden?"),
    ("Ben Okafor", "They planted tomatoes, beans and sunflowers together."),
    ("Ben Okafor", "Children painted the fence in bright colours."),
    ("Ada Quinn", "That is a wonderful story about working together."),
]


@dataclass(frozen=True)
class Sentence:
    speaker: str
    text: str
    start: float  # seconds into the recording where the voice begins
    end: float


def espeak_ng() -> str | None:
    return shutil.which("espeak-ng")


def _speak(text: str, voice: str, pitch: int) -> bytes:
    """16-bit mono PCM frames of `text`, with espeak-ng's own leading and trailing silence cut."""
    wav = subprocess.run(
        [espeak_ng(), "-v", voice, "-p", str(pitch), "-s", str(WORDS_PER_MINUTE), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    with wave.open(io.BytesIO(wav)) as clip:
        if clip.getframerate() != RATE or clip.getsampwidth() != 2 or clip.getnchannels() != 1:
            raise RuntimeError("espeak-ng produced an unexpected WAV format")
        frames = clip.readframes(clip.getnframes())
    samples = memoryview(frames).cast("h")
    loud = [i for i in range(len(samples)) if abs(samples[i]) > 300]
    return bytes(frames[loud[0] * 2 : (loud[-1] + 1) * 2]) if loud else frames


def _silence(seconds: float) -> bytes:
    return b"\0\0" * round(seconds * RATE)


def write_recording(target: Path, repeat: int = 1) -> list[Sentence]:
    """Speak `SCRIPT` (`repeat` times over) into a WAV file; return each sentence's offsets."""
    sentences: list[Sentence] = []
    clips = {}
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(_silence(LEAD_IN))
        frames = round(LEAD_IN * RATE)
        previous = None
        for _ in range(repeat):
            for speaker, text in SCRIPT:
                if previous is not None:
                    gap = PAUSE if speaker == previous else TURN_PAUSE
                    out.writeframes(_silence(gap))
                    frames += round(gap * RATE)
                if text not in clips:
                    clips[text] = _speak(text, *VOICES[speaker])
                clip = clips[text]
                start = frames / RATE
                out.writeframes(clip)
                frames += len(clip) // 2
                sentences.append(Sentence(speaker, text, start, frames / RATE))
                previous = speaker
    return sentences


def write_silence(target: Path, seconds: float) -> None:
    """A WAV file holding only silence: a recording with no speech."""
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(_silence(seconds))


def plain_text(sentences: list[Sentence]) -> str:
    """The script as a plain-text transcript: a `Name:` paragraph per turn, no timings."""
    turns: list[tuple[str, list[str]]] = []
    for sentence in sentences:
        if turns and turns[-1][0] == sentence.speaker:
            turns[-1][1].append(sentence.text)
        else:
            turns.append((sentence.speaker, [sentence.text]))
    return "\n\n".join(f"{speaker}: {' '.join(texts)}" for speaker, texts in turns) + "\n"


def to_ogg(source: Path, target: Path) -> None:
    """Re-encode a WAV as Ogg/Opus with PyAV, as an organiser's compressed recording would be."""
    import av

    with av.open(str(source)) as inp, av.open(str(target), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48_000, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        for frame in inp.decode(audio=0):
            for part in resampler.resample(frame):
                for packet in stream.encode(part):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--ogg", type=Path)
    args = parser.parse_args()
    for sentence in write_recording(args.out, args.repeat):
        print(f"{sentence.start:8.2f} {sentence.speaker}: {sentence.text}")
    if args.ogg:
        to_ogg(args.out, args.ogg)


if __name__ == "__main__":
    main()
