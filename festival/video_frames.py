"""Still pictures from a video recording: the frame a player shows at a given time, as a JPEG.

Organisers take a session's poster from its uploaded video this way. Seeking lands on the
keyframe before the time; decoding forward from there reaches the frame on screen at that time
(the last one to start at or before it), so the poster is the picture the organiser paused on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av

from festival.errors import ArchiveError
from festival.timecodes import clock_fraction

JPEG_QUANTISER = 3  # mjpeg quantiser, 2 (finest) to 31: 3 keeps the detail at a fifth fewer bytes
MAX_WIDTH = 1920  # a 4K frame becomes a poster of a sensible size; smaller ones stay as they are
LAST_TIMESTAMP = 2**62  # FFmpeg's timestamps are 64-bit: a later time is past any end anyway
TOLERANCE = 0.001  # a player's currentTime drifts by float rounding around a frame's start


class FrameProblem(ArchiveError):
    """No picture can be taken at that time: the recording has no video, is unreadable, or
    is shorter than that."""

    status = 400
    code = "bad_frame"


@contextmanager
def _opened(path: Path) -> Iterator[av.container.InputContainer]:
    """The media file opened for reading; FFmpeg's errors become `FrameProblem`s."""
    try:
        with av.open(str(path)) as container:
            yield container
    except (av.error.FFmpegError, OSError) as error:
        reason = error.strerror or "unreadable"  # never the path: the page shows this
        raise FrameProblem(f"the stored recording cannot be read as a video ({reason})") from error


def _video_stream(container: av.container.InputContainer) -> av.VideoStream:
    if not container.streams.video:
        raise FrameProblem("this recording has no pictures (it is sound only)")
    return container.streams.video[0]


def check_video(path: Path) -> None:
    """Raise `FrameProblem` unless the media file holds pictures (reads its header only)."""
    with _opened(path) as container:
        _video_stream(container)


def frame_at(path: Path, seconds: float) -> bytes:
    """The frame shown `seconds` into the recording at `path`, as JPEG bytes.

    Raises `FrameProblem` when the file has no video stream, cannot be decoded, or ends
    before `seconds` (the message gives the time asked for and the recording's length).
    """
    with _opened(path) as container:
        stream = _video_stream(container)
        length = container.duration / av.time_base if container.duration else None
        if length is not None and seconds > length + TOLERANCE:
            raise _past_the_end(seconds, length)
        target = min(round(seconds / stream.time_base), LAST_TIMESTAMP)
        container.seek(target, stream=stream, backward=True)
        return _jpeg(_frame_shown_at(container.decode(stream), seconds))


def _frame_shown_at(frames, seconds: float) -> av.VideoFrame:
    """The last decoded frame starting at or before `seconds` (the first, if all start later)."""
    shown = None
    for frame in frames:
        if frame.time is None:
            continue
        if shown is not None and frame.time > seconds + TOLERANCE:
            return shown
        shown = frame
    if shown is None:
        raise FrameProblem(f"the recording has no picture at {clock_fraction(seconds)}")
    # The stream ended: without a length in the header, the last frame's end is the length.
    ends = shown.time + float(shown.duration * shown.time_base) if shown.duration else shown.time
    if seconds > ends + TOLERANCE:
        raise _past_the_end(seconds, ends)
    return shown


def _past_the_end(seconds: float, length: float) -> FrameProblem:
    return FrameProblem(
        f"{clock_fraction(seconds)} is past the end of the recording, "
        f"which is {clock_fraction(length)} long"
    )


def _jpeg(frame: av.VideoFrame) -> bytes:
    """Encode one frame as a baseline JPEG (full-range YUV 4:2:0; odd sizes are fine)."""
    width, height = frame.width, frame.height
    if width > MAX_WIDTH:
        width, height = MAX_WIDTH, max(1, round(height * MAX_WIDTH / width))
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = width, height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 1)
    encoder.qmin = encoder.qmax = JPEG_QUANTISER
    picture = frame.reformat(width=width, height=height, format="yuvj420p")
    packets = encoder.encode(picture) + encoder.encode(None)
    return b"".join(bytes(packet) for packet in packets)
