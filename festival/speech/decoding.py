"""Read a recording's sound with PyAV in chunks of 16 kHz mono float32, so memory stays flat.

A long recording is never held whole: each chunk is a window of `seconds` with `overlap`
seconds shared with the next, so a word cut by one window's edge is whole in the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from festival.errors import ArchiveError

SAMPLE_RATE = 16_000


class MediaUnreadable(ArchiveError):
    """A recording that cannot be decoded, or holds no sound."""


@dataclass(frozen=True)
class AudioChunk:
    """`samples` starting `start` seconds into the recording; `last` when nothing follows."""

    start: float
    samples: np.ndarray
    last: bool

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / SAMPLE_RATE


def _unreadable(path: Path, error: Exception) -> MediaUnreadable:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return MediaUnreadable(f"the recording {path.name} cannot be decoded: {reason}")


def media_duration(path: Path) -> float | None:
    """The recording's length in seconds, or None if it has no sound track.

    Taken from the container when it says; otherwise (a browser's WebM recording often
    does not) from the last packet's time, reading the file without decoding it.
    """
    try:
        with av.open(str(path)) as container:
            if container.duration:
                return container.duration / av.time_base
            stream = next(iter(container.streams.audio), None)
            if stream is None:
                return None
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
            last = 0.0
            for packet in container.demux(stream):
                if packet.pts is not None and packet.time_base:
                    last = max(
                        last, float((packet.pts + (packet.duration or 0)) * packet.time_base)
                    )
            return last or None
    except (av.FFmpegError, OSError) as error:
        raise _unreadable(path, error) from None


def audio_chunks(path: Path, seconds: float = 60.0, overlap: float = 2.0) -> Iterator[AudioChunk]:
    """Yield the recording's sound as overlapping chunks; raises `MediaUnreadable`."""
    size = int(seconds * SAMPLE_RATE)
    shared = int(overlap * SAMPLE_RATE)
    buffer = np.empty(size, dtype=np.float32)
    filled = 0
    start_sample = 0
    held: AudioChunk | None = None  # yielded once we know whether more sound follows
    for block in _decoded_blocks(path):
        while len(block):
            take = min(size - filled, len(block))
            buffer[filled : filled + take] = block[:take]
            filled += take
            block = block[take:]
            if filled == size:
                if held is not None:
                    yield held
                held = AudioChunk(start_sample / SAMPLE_RATE, buffer.copy(), last=False)
                buffer[:shared] = buffer[size - shared :]
                filled = shared
                start_sample += size - shared
    if held is not None and filled <= shared:
        yield AudioChunk(held.start, held.samples, last=True)
        return
    if held is not None:
        yield held
    if filled or held is None:
        yield AudioChunk(start_sample / SAMPLE_RATE, buffer[:filled].copy(), last=True)


def _decoded_blocks(path: Path) -> Iterator[np.ndarray]:
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as error:
        raise _unreadable(path, error) from None
    with container:
        stream = next(iter(container.streams.audio), None)
        if stream is None:
            raise MediaUnreadable(f"the recording {path.name} has no sound track")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1)
        except (av.FFmpegError, OSError) as error:
            raise _unreadable(path, error) from None
