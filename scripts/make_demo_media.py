"""Make the demo festival's offline recordings and retime their transcripts to match.

Each cue of a session's WebVTT transcript is spoken with espeak-ng (one voice per
speaker), the clips are laid end to end with short pauses and encoded as WebM/Opus, and
the cue timings are rewritten to where each cue is heard. Chapter `at` values in the
manifest follow the cue named in their ``# cue N`` comment. Deterministic and re-runnable:
the same transcripts always give the same files.

    .venv/bin/python scripts/make_demo_media.py [SLUG ...]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "sessions" / "states-of-change-2020.yaml"
MEDIA_DIR = ROOT / "static" / "media"
MEDIA_SESSIONS = [
    "how-singapore-learns",
    "how-governments-think",
    "creativity-at-system-scale",
    "privilege-and-whose-voices-are-heard",
]
# speaker name -> (espeak-ng voice, pitch 0-99)
VOICES = {
    "Festival host": ("en-gb+f3", 55),
    "Panel speaker": ("en-us+m3", 45),
    "Geoff Mulgan": ("en-gb-x-rp+m1", 40),
    "Aaron Maniam": ("en-us+m2", 50),
    "Charles Landry": ("en-gb+m4", 38),
    "Aarathi Krishnan": ("en-gb+f2", 60),
    "Panthea Lee": ("en-us+f4", 65),
}
FALLBACK_VOICE = ("en-gb+m1", 50)
WORDS_PER_MINUTE = 170
LEAD_IN, PAUSE, TURN_PAUSE = 0.5, 0.35, 0.7  # seconds of silence
BITRATE = "12k"
TIMING = re.compile(r"^(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})")
VOICE_TAG = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>(.*)$")
CHAPTER_AT = re.compile(r'^(\s*- \{at: ")(\d\d:\d\d:\d\d)(".*#\s*cue\s+(\d+)\s*)$')
SESSION_SLUG = re.compile(r"^\s*- slug:\s*(\S+)\s*$")


def timestamp(seconds: float) -> str:
    """Format seconds as WebVTT HH:MM:SS.mmm."""
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def read_vtt(path: Path) -> tuple[list[str], list[dict]]:
    """Split our own WebVTT files into header blocks and cues (start, end, speaker, text)."""
    head, cues = [], []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        match = TIMING.match(lines[0])
        if not match:
            if cues:
                raise ValueError(f"{path}: unexpected block after cues: {lines[0]!r}")
            head.append(block)
            continue
        g = [int(x) for x in match.groups()]
        voice = VOICE_TAG.match(" ".join(lines[1:]))
        if not voice:
            raise ValueError(f"{path}: cue at {lines[0]} has no <v Name> voice tag")
        cues.append(
            {
                "start": g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000,
                "end": g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000,
                "speaker": voice.group(1).strip(),
                "text": voice.group(2).strip(),
            }
        )
    return head, cues


def write_vtt(path: Path, head: list[str], cues: list[dict]) -> None:
    """Write header blocks and cues back out as WebVTT."""
    blocks = head + [
        f"{timestamp(c['start'])} --> {timestamp(c['end'])}\n<v {c['speaker']}>{c['text']}"
        for c in cues
    ]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def speak(text: str, speaker: str, wav: Path) -> None:
    """Render one cue to a WAV file with the speaker's espeak-ng voice."""
    voice, pitch = VOICES.get(speaker, FALLBACK_VOICE)
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            voice,
            "-p",
            str(pitch),
            "-s",
            str(WORDS_PER_MINUTE),
            "-w",
            str(wav),
            text,
        ],
        check=True,
    )


def make_session(slug: str, transcript: Path, out: Path) -> float:
    """Speak one transcript into `out` and retime its cues; return the audio duration."""
    head, cues = read_vtt(transcript)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        clips, params = [], None
        for i, cue in enumerate(cues):
            wav = tmpdir / f"{i:04d}.wav"
            speak(cue["text"], cue["speaker"], wav)
            with wave.open(str(wav), "rb") as w:
                params = params or w.getparams()
                if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != params[:3]:
                    raise RuntimeError(f"{slug}: espeak-ng clip {i} has unexpected format")
                clips.append(w.readframes(w.getnframes()))
        rate, width = params.framerate, params.sampwidth
        audio, pos, previous = bytearray(), 0, None
        for cue, frames in zip(cues, clips, strict=True):
            if previous is None:
                gap = LEAD_IN
            else:
                gap = PAUSE if cue["speaker"] == previous else TURN_PAUSE
            pad = round(gap * rate)
            audio += bytes(pad * width)
            pos += pad
            cue["start"] = pos / rate
            pos += len(frames) // width
            cue["end"] = pos / rate
            audio += frames
            previous = cue["speaker"]
        combined = tmpdir / "combined.wav"
        with wave.open(str(combined), "wb") as w:
            w.setparams(params)
            w.writeframes(bytes(audio))
        encoded = tmpdir / "out.webm"
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-y",
                "-v",
                "error",
                "-i",
                str(combined),
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                "-ac",
                "1",
                "-ar",
                "16000",
                "-c:a",
                "libopus",
                "-b:a",
                BITRATE,
                "-application",
                "voip",
                "-frame_duration",
                "20",
                "-f",
                "webm",
                str(encoded),
            ],
            check=True,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        encoded.replace(out)
    write_vtt(transcript, head, cues)
    return pos / rate


def probe_duration(media: Path) -> float:
    """Return the container duration that ffprobe reports."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(media)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(json.loads(result.stdout)["format"]["duration"])


def sync_chapters(manifest: Path, transcripts: dict[str, Path]) -> int:
    """Set each `# cue N` chapter's `at` to that cue's start; return lines changed."""
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    slug, starts, changed = None, [], 0
    for i, line in enumerate(lines):
        session = SESSION_SLUG.match(line)
        if session:
            slug = session.group(1)
            path = transcripts.get(slug)
            starts = [c["start"] for c in read_vtt(path)[1]] if path else []
            continue
        chapter = CHAPTER_AT.match(line.rstrip("\n"))
        if not chapter:
            continue
        index = int(chapter.group(4)) - 1
        if not 0 <= index < len(starts):
            raise ValueError(f"{manifest}:{i + 1}: session {slug} has no cue {index + 1}")
        new = f"{chapter.group(1)}{timestamp(int(starts[index]))[:8]}{chapter.group(3)}\n"
        if new != line:
            lines[i], changed = new, changed + 1
    manifest.write_text("".join(lines), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Build the requested sessions' media (default: the demo set) and sync chapters."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*", default=MEDIA_SESSIONS)
    args = parser.parse_args(argv)
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    transcripts = {
        s["slug"]: (MANIFEST.parent / s["transcript"]).resolve()
        for s in data["sessions"]
        if s.get("transcript")
    }
    for slug in args.slugs:
        out = MEDIA_DIR / f"{slug}.webm"
        duration = make_session(slug, transcripts[slug], out)
        probed = probe_duration(out)
        status = "ok" if abs(probed - duration) <= 0.5 else "MISMATCH"
        print(
            f"{slug}: {duration:.3f}s audio, ffprobe {probed:.3f}s, "
            f"{out.stat().st_size} bytes, {status}"
        )
        if status != "ok":
            return 1
    print(f"chapters updated: {sync_chapters(MANIFEST, transcripts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
