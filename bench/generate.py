"""Write a deterministic synthetic archive: festival folders of 60-minute WebVTT sessions.

Run from the repository root: `.venv/bin/python bench/generate.py --hours 100 --out DIR`.
Festival number F always holds the same sessions, so a 1,000-hour archive starts with
the 100-hour one and a folder already written is reused.
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

import yaml

SEED = 20_240_604


def words(text: str) -> list[str]:
    return text.split()


SESSIONS_PER_FESTIVAL = 10
CUES_PER_SESSION = 900  # 4 s each: 60 minutes
WORDS_PER_CUE = 10
CUE_MS = 4000
PSEUDO_WORDS = 30_000
# Real words lead the Zipf ranking (so they are common); the bench queries some of them.
REAL_WORDS = words(
    "the and to of a in that is we it you this for on with are be have not but they was so "
    "what about people public data government think can there do if very our how learning "
    "work one need really just trust policy change city service community question system "
    "future design open innovation local health evidence research digital practice support "
    "governance experiment network budget citizens climate platform culture capability "
    "leadership collaboration participation transparency accountability resilience welfare"
)
# Stock phrases dropped into some cues, so phrase queries have real hits.
PHRASES = ("data governance", "public trust", "civil service reform", "future generations")
PHRASE_EVERY = 40  # one cue in this many ends with a stock phrase
SYLLABLES = words(
    "ba be bi bo cor da de di do fa fe fi ga ge go ka ke ki ko la le li lo ma me mi mo na ne ni "
    "no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo za ze zi zo lun mar ter"
)
FIRST_NAMES = words(
    "Aaron Ada Amina Bruno Chen Dara Elena Farid Grace Hana Ines Jonas Kofi Lena Mateo Nadia "
    "Omar Priya Rosa Sami"
)
LAST_NAMES = words(
    "Mulgan Maniam Raman Okafor Lindqvist Moreau Tanaka Haddad Novak Silva Kowalski Byrne "
    "Osei Varga Keller"
)
THEMES = [
    f"{a} {b}"
    for a, b in itertools.product(
        ("public", "civic", "digital", "open", "urban"),
        ("innovation", "learning", "data", "trust", "design", "health", "finance", "climate"),
    )
]  # 40 themes
FORMATS = ("keynote", "talk", "panel", "webinar", "workshop", "conversation")
YEARS = range(2018, 2026)


def vocabulary() -> list[str]:
    """Real words first, then pseudo-English words made of two to four syllables."""
    rng = random.Random(SEED)
    words = list(REAL_WORDS)
    seen = set(words)
    while len(words) < len(REAL_WORDS) + PSEUDO_WORDS:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


VOCABULARY = vocabulary()
CUMULATIVE = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
SPEAKERS = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]  # 300 names


def stamp(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.{millis:03d}"


STAMPS = [f"{stamp(n * CUE_MS)} --> {stamp((n + 1) * CUE_MS)}" for n in range(CUES_PER_SESSION)]


def transcript(rng: random.Random, speakers: list[str]) -> str:
    """A 60-minute WebVTT file: turns of 1 to 12 cues, each cue voice-tagged."""
    words = rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=CUES_PER_SESSION * WORDS_PER_CUE)
    blocks = ["WEBVTT"]
    speaker, left = speakers[0], 0
    for number in range(CUES_PER_SESSION):
        if left == 0:
            speaker, left = rng.choice(speakers), rng.randint(1, 12)
        left -= 1
        cue = words[number * WORDS_PER_CUE : (number + 1) * WORDS_PER_CUE]
        if number % PHRASE_EVERY == 0:
            cue[-1] = rng.choice(PHRASES)
        text = " ".join(cue)
        blocks.append(f"{STAMPS[number]}\n<v {speaker}>{text[0].upper()}{text[1:]}.")
    return "\n\n".join(blocks) + "\n"


def festival(number: int, folder: Path, sessions_count: int = SESSIONS_PER_FESTIVAL) -> Path:
    """Write festival `number` (manifest and transcripts) into `folder`; return the manifest."""
    rng = random.Random(SEED + number)
    year = YEARS[number % len(YEARS)]
    slug = f"synthetic-festival-{number:04d}"
    (folder / "transcripts").mkdir(parents=True, exist_ok=True)
    sessions = []
    for index in range(sessions_count):
        speakers = rng.sample(SPEAKERS, rng.randint(2, 4))
        session_slug = f"f{number:04d}-s{index:02d}"
        name = f"transcripts/{session_slug}.vtt"
        (folder / name).write_text(transcript(rng, speakers), encoding="utf-8")
        title = " ".join(rng.choices(VOCABULARY[60:3000], k=rng.randint(3, 6)))
        sessions.append(
            {
                "slug": session_slug,
                "title": title.capitalize(),
                "starts_at": f"{year}-06-{index + 1:02d}T{9 + index % 8:02d}:00:00+00:00",
                "format": rng.choice(FORMATS),
                "summary": " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=30)),
                "themes": rng.sample(THEMES, rng.randint(2, 4)),
                "speakers": speakers,
                "transcript": name,
            }
        )
    manifest = {
        "festival": {
            "slug": slug,
            "name": f"Synthetic Festival {number} ({year})",
            "starts": f"{year}-06-01",
            "ends": f"{year}-06-30",
        },
        "sessions": sessions,
    }
    path = folder / "festival.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path


def generate(hours: int, out: Path) -> list[Path]:
    """Festival folders for `hours` sessions of 60 minutes under `out`, written if missing."""
    manifests = []
    for number in range(-(-hours // SESSIONS_PER_FESTIVAL)):
        folder = out / f"festival-{number:04d}"
        manifest = folder / "festival.yaml"
        manifests.append(manifest if manifest.exists() else festival(number, folder))
    return manifests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=100, help="sessions of 60 minutes")
    parser.add_argument("--out", type=Path, required=True, help="folder to write festivals in")
    args = parser.parse_args()
    manifests = generate(args.hours, args.out)
    sessions = len(manifests) * SESSIONS_PER_FESTIVAL
    print(
        f"{len(manifests)} festivals of {SESSIONS_PER_FESTIVAL} sessions ({sessions} hours,"
        f" whole festivals for the {args.hours} asked) under {args.out}"
    )


if __name__ == "__main__":
    main()
