"""Time a known plain-text transcript against the recording: its words, the recogniser's times.

The text is kept exactly as given; only timings come from the recording. Known words are
matched to recognised words by the cheapest word-by-word edit (normalised spellings), kept
near the diagonal so a phrase said twice is matched where it was said, not where it recurs.
A known word with no match gets a time spread evenly between its matched neighbours, and a
cue whose start is such a guess, or with few matched words, carries a low confidence.
"""

from __future__ import annotations

import re

from festival.speech.words import Word
from festival.transcripts.model import Cue
from festival.transcripts.plaintext import Paragraph

SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+")
MAX_CUE_WORDS = 14
# How far (in words) the match may stray from a straight line through both texts: the
# larger of these, so dropped or invented passages of about this size are still followed.
BAND_WORDS, BAND_SHARE = 60, 0.03
WORD_SECONDS = 0.4  # the time given to a known word that was not heard
# A heard word's times are trusted as an anchor only when the model was fairly sure of it
# and it lasts a plausible time. Whisper stretches a word over a pause it missed ("did"
# lasting 2.4 s) or gives one no length at all; an unsure word is often one it invented
# at a boundary, timed where nothing was said.
MIN_PROBABILITY = 0.2
# Speech runs at about 13 letters a second; a word lasting more than twice that, and
# more than LONGEST_SHORT_WORD, has swallowed a pause: only its end is kept.
LETTER_SECONDS = 0.075
LONGEST_SHORT_WORD = 0.6


def spelling(word: str) -> str:
    """A word as compared: lower case, letters and digits only, British and US spelling alike."""
    key = re.sub(r"[\W_]+", "", word.casefold())
    key = re.sub(r"our(s?)$", r"or\1", key)
    return re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", key)


def _pieces(paragraph: Paragraph) -> list[str]:
    """A paragraph's cue texts: its sentences, a long one cut into even parts."""
    pieces = []
    for sentence in SENTENCE_BREAK.split(paragraph.text):
        words = sentence.split()
        parts = -(-len(words) // MAX_CUE_WORDS)
        for part in range(parts):
            chunk = words[part * len(words) // parts : (part + 1) * len(words) // parts]
            pieces.append(" ".join(chunk))
    return [piece for piece in pieces if piece]


def align_text(paragraphs: list[Paragraph], words: list[Word], duration: float) -> list[Cue]:
    """Cues holding the known text, timed by the recognised `words` of a `duration`-s recording."""
    cues_words: list[tuple[Paragraph, str, range]] = []
    known: list[str] = []
    stated: dict[int, float] = {}
    for paragraph in paragraphs:
        for order, piece in enumerate(_pieces(paragraph)):
            first = len(known)
            known.extend(piece.split())
            if order == 0 and paragraph.at_ms is not None:
                stated[first] = paragraph.at_ms / 1000
            cues_words.append((paragraph, piece, range(first, len(known))))
    times, matched = _word_times(known, words, duration, stated)
    cues: list[Cue] = []
    previous_start = 0
    for paragraph, piece, span in cues_words:
        start_ms = max(round(times[span[0]][0] * 1000), previous_start)
        end_ms = max(round(times[span[-1]][1] * 1000), start_ms + 1)
        share = sum(matched[index] for index in span) / len(span)
        confidence = share if matched[span[0]] else share / 2
        cues.append(
            Cue(start_ms, end_ms, piece, paragraph.speaker, confidence=round(confidence, 3))
        )
        previous_start = start_ms
    return cues


def _word_times(
    known: list[str], words: list[Word], duration: float, stated: dict[int, float]
) -> tuple[list[tuple[float, float]], list[bool]]:
    """(start, end) for every known word, and whether it matched a recognised word."""
    known_spelling = [spelling(word) for word in known]
    heard_spelling = [spelling(word.text) for word in words]
    pairs = paired_words(known_spelling, heard_spelling)
    anchors: dict[int, tuple[float, float]] = {k: (t, t) for k, t in stated.items()}
    matched = [False] * len(known)
    for k, h in pairs:
        matched[k] = known_spelling[k] == heard_spelling[h]
        # A word heard differently ("That is" heard as "At") still says when it was said.
        timed = _trusted_times(words[h])
        if timed is not None:
            anchors[k] = timed
    times: list[tuple[float, float]] = [(0.0, 0.0)] * len(known)
    previous_end, index = 0.0, 0
    ordered = sorted(anchors)
    for anchor in [*ordered, len(known)]:
        next_start = anchors[anchor][0] if anchor < len(known) else max(duration, previous_end)
        gap = range(index, anchor)
        # Unheard words take at most WORD_SECONDS each, said just before the next heard
        # word: a longer gap is mostly a pause, and speech resumes after a pause.
        step = min(max(next_start - previous_end, 0.0) / max(len(gap), 1), WORD_SECONDS)
        first = next_start - step * len(gap) if anchor < len(known) else previous_end
        for position, unmatched in enumerate(gap):
            start = first + position * step
            times[unmatched] = (start, start + step)
        if anchor < len(known):
            start, end = anchors[anchor]
            start = max(start, previous_end)
            times[anchor] = (start, max(end, start))
            previous_end, index = times[anchor][1], anchor + 1
    return times, matched


def _trusted_times(word: Word) -> tuple[float, float] | None:
    """When a heard word was said, as far as its times can be trusted: None for a word the
    model was unsure of or gave no length; a stretched word keeps only its end."""
    length = word.end - word.start
    if word.probability < MIN_PROBABILITY or length <= 0:
        return None
    said = LETTER_SECONDS * len(spelling(word.text))  # about as long as it takes to say
    if length > max(2 * said, LONGEST_SHORT_WORD):
        return (word.end - said, word.end)
    return (word.start, word.end)


def paired_words(known: list[str], heard: list[str]) -> list[tuple[int, int]]:
    """(known index, heard index) of the words kept or changed in the cheapest edit of one
    list into the other (a word kept costs 0, changed 1 or 2 by likeness, dropped or added
    2), searched in a band around the diagonal so an hour's words take seconds, not hours."""
    n, m = len(known), len(heard)
    if not n or not m:
        return []
    band = max(BAND_WORDS, int(BAND_SHARE * max(n, m)))
    slope = m / n
    low = [max(0, int(i * slope) - band) for i in range(n + 1)]
    high = [min(m, int(i * slope) + band) for i in range(n + 1)]
    high[n] = m
    infinity = 2 * (n + m) + 1
    previous = [2 * j for j in range(low[0], high[0] + 1)]  # row 0: heard words added
    moves: list[bytes] = [bytes(len(previous))]
    for i in range(1, n + 1):
        word, lo, hi = known[i - 1], low[i], high[i]
        before_lo, before_hi = low[i - 1], high[i - 1]
        row = [infinity] * (hi - lo + 1)
        move = bytearray(hi - lo + 1)
        for j in range(lo, hi + 1):
            best, step = infinity, 0
            if before_lo <= j - 1 <= before_hi:
                best = previous[j - 1 - before_lo] + _change_cost(word, heard[j - 1])
            if before_lo <= j <= before_hi and previous[j - before_lo] + 2 < best:
                best, step = previous[j - before_lo] + 2, 1
            if j > lo and row[j - 1 - lo] + 2 < best:
                best, step = row[j - 1 - lo] + 2, 2
            row[j - lo], move[j - lo] = best, step
        previous = row
        moves.append(bytes(move))
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        step = moves[i][j - low[i]]
        if step == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _change_cost(known: str, heard: str) -> int:
    """0 for the same word, 1 for a likely mishearing ("that" as "at", "colour" as "colours"),
    else 2."""
    if known == heard:
        return 0
    if known[:2] == heard[:2] or known.endswith(heard) or heard.endswith(known):
        return 1
    return 2
