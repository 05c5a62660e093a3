"""Raw cue text to plain text: tags, inline timestamps, entities, SSA overrides, voices, sounds.

A `<` counts as a tag only when a letter, `/` + letter, or a timestamp follows it, so literal
`(<)` and `(3 > 2)` in SRT survive. Tags are removed before entities are decoded, so
`&lt;b&gt;` stays the visible text `<b>`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<[0-9]+(?::[0-9]+)*\.[0-9]+>")
_VOICE_TAG_STARTS = {"<v ", "<v.", "<v>", "<v\t", "<v\f", "</v>", "</v.", "</v "}
_TAG_SPLIT = re.compile(f"({_TAG.pattern})")
_VOICE_OPEN = re.compile(r"<v(?:\.[^\s<>]*)?(?:[ \t\f]+([^<>]*))?>")
_SSA_OVERRIDE = re.compile(r"\{\\[^{}]*\}")
_SSA_BREAK = re.compile(r"\\[Nnh]")
_BRACKETED = re.compile(r"\[[^\[\]]+\]\Z")
_PARENTHESISED = re.compile(r"\([^()]+\)\Z")
_LEADING_EVENT = re.compile(r"(\[[^\[\]]+\])\s*(.+)\Z")
_TRAILING_EVENT = re.compile(r"(.+?)\s*(\[[^\[\]]+\])\Z")
_MUSIC_NOTES = "♪♫♬"
_MUSIC_ONLY = re.compile(f"[{_MUSIC_NOTES}\\s]+\\Z")
_MAX_ITALIC_SOUND_WORDS = 3  # `<i>Laughter</i>` is a sound; a long italic line is speech
_MAX_PARENTHESISED_SOUND_WORDS = 4


@dataclass(frozen=True)
class Piece:
    """Plain text from one voice span of a cue; `sound` marks a non-speech event."""

    text: str
    speaker: str | None = None
    sound: bool = False


def plain_text(fragment: str) -> str:
    """Return text without SSA overrides, with entities decoded and whitespace collapsed."""
    if "{" in fragment:
        fragment = _SSA_OVERRIDE.sub("", fragment)
    if "\\" in fragment:
        fragment = _SSA_BREAK.sub(" ", fragment)
    if "&" in fragment:
        fragment = html.unescape(fragment)
    return " ".join(fragment.split())


def clean_text(raw: str) -> str:
    """Return the plain text of raw cue text, all voices together."""
    return plain_text(_TAG.sub("", raw) if "<" in raw else raw)


def split_voices(raw: str) -> list[tuple[str | None, str, bool]]:
    """Split raw cue text at `<v>` spans; return (speaker, plain text, all italic) per span."""
    if "<" not in raw:
        text = plain_text(raw)
        return [(None, text, False)] if text else []
    spans = []
    speaker: str | None = None
    pieces: list[str] = []
    italic_depth = 0
    all_italic = True
    parts = _TAG_SPLIT.split(raw)  # text, tag, text, tag, ..., text
    for index in range(0, len(parts), 2):
        fragment = parts[index]
        if fragment:
            pieces.append(fragment)
            if italic_depth == 0 and not fragment.isspace():
                all_italic = False
        tag = parts[index + 1] if index + 1 < len(parts) else "</v>"
        if tag[:3] in _VOICE_TAG_STARTS or tag[:4] in _VOICE_TAG_STARTS:
            text = plain_text("".join(pieces))
            if text:
                spans.append((speaker, text, all_italic))
            pieces, all_italic = [], True
            voice = _VOICE_OPEN.fullmatch(tag)
            speaker = (plain_text(voice.group(1) or "") or None) if voice else None
        elif tag.startswith(("<i>", "<i.", "<i ")):
            italic_depth += 1
        elif tag.startswith("</i"):
            italic_depth = max(0, italic_depth - 1)
    return spans


def _is_sound(text: str, all_italic: bool) -> bool:
    first = text[0]
    if first == "[":
        return bool(_BRACKETED.match(text))
    if first == "(":
        words = len(text.split())
        return bool(_PARENTHESISED.match(text) and words <= _MAX_PARENTHESISED_SOUND_WORDS)
    if all_italic and len(text.split()) <= _MAX_ITALIC_SOUND_WORDS:
        return True
    return first in _MUSIC_NOTES and bool(_MUSIC_ONLY.match(text))


def pieces_of(raw: str) -> list[Piece]:
    """Turn raw cue text into pieces: one per voice span, sound events split off as their own.

    A bracketed event at the start or end of speech (`[Music] so today`) becomes its own
    piece; events in the middle stay in the sentence so phrases across them remain searchable.
    """
    result = []
    for speaker, text, all_italic in split_voices(raw):
        if _is_sound(text, all_italic):
            result.append(Piece(text, None, True))
            continue
        leading = _LEADING_EVENT.match(text) if text[0] == "[" else None
        if leading:
            result.append(Piece(leading.group(1), None, True))
            text = leading.group(2)
        trailing = _TRAILING_EVENT.match(text) if text[-1] == "]" else None
        if trailing:
            text = trailing.group(1)
        result.append(Piece(text, speaker))
        if trailing:
            result.append(Piece(trailing.group(2), None, True))
    return result
