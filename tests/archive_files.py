"""Where the test material is, and small festival folders (manifest + transcripts) to import."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zlib
from pathlib import Path

import av
import numpy
import yaml
from flask import Flask

from festival.storage import DATABASE_NAME, open_database

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FESTIVAL_SHARED", ROOT.parent / "shared")).resolve()
# Third-party conformance material: read from beside the clone, never copied into it.
CONFORMANCE = SHARED / "conformance"
DEMO_MANIFEST = ROOT / "sessions" / "states-of-change-2020.yaml"


def vtt(*cues: tuple[float, float, str, str]) -> str:
    """A WebVTT file from (start, end, speaker, text) tuples."""

    def stamp(seconds: float) -> str:
        whole, millis = divmod(round(seconds * 1000), 1000)
        return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"

    blocks = [f"{stamp(s)} --> {stamp(e)}\n<v {who}>{text}" for s, e, who, text in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def session(slug: str, **fields) -> dict:
    entry = {
        "slug": slug,
        "title": fields.pop("title", slug.replace("-", " ").title()),
        "starts_at": fields.pop("starts_at", "2021-05-04T10:00:00+00:00"),
        "transcript": fields.pop("transcript", f"transcripts/{slug}.vtt"),
    }
    entry.update(fields)
    return entry


def write_festival(
    folder: Path,
    sessions: list[dict],
    transcripts: dict[str, str],
    festival: dict | None = None,
) -> Path:
    """Write `festival.yaml` and its transcripts into `folder`; return the manifest path."""
    (folder / "transcripts").mkdir(parents=True, exist_ok=True)
    for name, text in transcripts.items():
        (folder / "transcripts" / name).write_text(text, encoding="utf-8")
    manifest = {
        "festival": festival
        or {"slug": "test-fest", "name": "Test Festival", "starts": "2021-05-01"},
        "sessions": sessions,
    }
    path = folder / "festival.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path


TWO_SPEAKERS = vtt(
    (1.0, 4.5, "Ada Lovelace", "Welcome to the session on analytical engines."),
    (4.5, 9.0, "Ada Lovelace", "Today we talk about clustering and public trust."),
    (9.0, 14.25, "Charles Babbage", "Thank you. Data governance matters for every city."),
    (14.25, 20.0, "Charles Babbage", "A steward for future generations, not a war machine."),
)


TABLES = (
    "festivals", "sessions", "speakers", "session_speakers", "themes", "session_themes",
    "chapters", "recordings", "transcripts", "cues",
)  # fmt: skip


PRIMARY_KEYS = {"transcripts": "session", "recordings": "session"}  # else `slug`


def open_archive(where: Flask | Path):
    """An app's database (SQLite or PostgreSQL), or the SQLite file of an instance folder,
    opened on a connection of its own."""
    if isinstance(where, Flask):
        return open_database(
            where.config["DATABASE_URL"] or Path(where.instance_path) / DATABASE_NAME
        )
    return open_database(Path(where) / DATABASE_NAME)


def rows(db, table: str, where: str = "1 = 1", order_by: str | None = None) -> list[dict]:
    """Rows of a table as dicts, on either database (sqlite-utils' `rows_where`, portably)."""
    order = f" order by {order_by}" if order_by else ""
    return list(db.query(f"select * from {table} where {where}{order}"))


def count(db, table: str) -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def get(db, table: str, key: str) -> dict:
    """One row by its primary key (sqlite-utils' `table.get`, portably)."""
    found = rows(db, table, f"{PRIMARY_KEYS.get(table, 'slug')} = '{key}'")
    assert found, f"no row {key!r} in {table}"
    return found[0]


def snapshot(app: Flask) -> dict:
    """Every row of every archive table plus the index files: what 'nothing changed' means."""
    instance = Path(app.instance_path)
    db = open_archive(app)
    table_rows = {table: sorted(map(repr, rows(db, table))) for table in TABLES}
    index = sorted(
        (p.relative_to(instance).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in instance.glob("index-*/*")
    )
    db.close()
    return {"rows": table_rows, "index": index}


# Import time is when a session joined *this* archive; everything else must round-trip.
NOT_CARRIED = {"sessions": {"added_at"}}


def archive_rows(where: Flask | Path) -> dict:
    """Every row of every archive table, less what an import does not carry over."""
    db = open_archive(where)
    carried = {
        table: sorted(
            repr({k: v for k, v in row.items() if k not in NOT_CARRIED.get(table, set())})
            for row in rows(db, table)
        )
        for table in TABLES
    }
    db.close()
    return carried


PHOTO_URL = "https://images.example.org/ada.jpg"


def png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


RED, GREEN, BLUE, YELLOW = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)


def colour_video(
    path: Path,
    colours=(RED, GREEN, BLUE, YELLOW),
    size: tuple[int, int] = (160, 90),
    fps: int = 25,
    **container_options: str,
) -> Path:
    """A real video showing each colour for one second in turn: VP8 in a `.webm`, or MPEG-4
    Part 2 in an `.mp4`."""
    width, height = size
    codec = {".webm": "libvpx", ".mp4": "mpeg4"}[path.suffix]
    with av.open(str(path), "w", options=container_options) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for second, colour in enumerate(colours):
            picture = numpy.full((height, width, 3), colour, numpy.uint8)
            for number in range(fps):
                frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
                frame.pts = second * fps + number
                container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def picture(image: bytes) -> tuple[tuple[int, int], tuple[int, int, int]]:
    """An encoded picture's (width, height) and the colour at its middle, decoded with PyAV."""
    with av.open(io.BytesIO(image)) as container:
        frame = next(container.decode(video=0))
    pixels = frame.to_ndarray(format="rgb24")
    middle = pixels[frame.height // 2, frame.width // 2]
    return (frame.width, frame.height), tuple(int(value) for value in middle)


def looks_like(colour: tuple[int, int, int], expected: tuple[int, int, int]) -> bool:
    """The same colour give or take what a video codec and JPEG's rounding change."""
    return all(abs(got - want) <= 12 for got, want in zip(colour, expected, strict=True))


def festival_with_pictures(folder: Path) -> Path:
    (folder / "pictures").mkdir(parents=True)
    (folder / "pictures" / "engines.png").write_bytes(png())
    (folder / "pictures" / "babbage.png").write_bytes(png(2, 2))
    return write_festival(
        folder,
        [
            session(
                "engines",
                poster="pictures/engines.png",
                speakers=[
                    {"name": "Ada Lovelace", "bio": "Wrote the first program.", "photo": PHOTO_URL},
                    {"name": "Charles Babbage", "photo": "pictures/babbage.png"},
                ],
            )
        ],
        {"engines.vtt": TWO_SPEAKERS},
    )
