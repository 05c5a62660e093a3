"""Bytes to text: byte order marks, UTF-8, the Windows-1252 fallback, NULs and line endings."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Longest marks first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class DecodedText:
    """A transcript's text with LF line endings, and how its bytes were read."""

    text: str
    encoding: str
    fallback_line: int | None = None  # first line that was not UTF-8, when cp1252 was used
    fallback_lines: int = 0  # how many lines were read as cp1252
    damaged: bool = False  # bytes that the declared encoding could not decode were replaced


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF and NUL into U+FFFD, as the WebVTT parser does first."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    return text


def decode_as_browser(data: bytes) -> str:
    """Decode like a browser reading a text track: UTF-8, one BOM stripped, bad bytes U+FFFD."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return normalise_newlines(data.decode("utf-8", errors="replace"))


def decode_transcript(data: bytes) -> DecodedText:
    """Decode by BOM, else as UTF-8, else as Windows-1252 (the usual origin of non-UTF-8 files)."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            body = data[len(mark) :]
            codec = "utf-8" if encoding == "utf-8-sig" else encoding
            try:
                return DecodedText(normalise_newlines(body.decode(codec)), encoding)
            except UnicodeDecodeError:
                text = body.decode(codec, errors="replace")
                return DecodedText(normalise_newlines(text), encoding, damaged=True)
    try:
        return DecodedText(normalise_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        return _utf8_with_cp1252_lines(data)


def _utf8_with_cp1252_lines(data: bytes) -> DecodedText:
    """Each line as UTF-8 where it is valid, else as Windows-1252: a file edited in two tools
    keeps its good UTF-8 lines intact instead of turning them into mojibake."""
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    decoded, fallback = [], []
    for number, line in enumerate(lines, start=1):
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(line.decode("windows-1252", errors="replace"))
            fallback.append(number)
    text = normalise_newlines("\n".join(decoded))
    return DecodedText(
        text, "windows-1252", fallback_line=fallback[0], fallback_lines=len(fallback)
    )
