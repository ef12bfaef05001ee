"""Splitting text into sentences that keep their exact character offsets (quotes stay verbatim)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence (en, no, da, fi).
ABBREVIATIONS = frozenset(
    "dr prof mr mrs ms st no nr bl.a f.eks mfl inc ltd co e.g i.e etc vs ca jf mm esim ks".split()
)
_END = re.compile(r"[.!?]+[”\"’')\]]*(?=\s)|\n\s*\n|\n(?=\s*[-–•*]\s)|\n(?=[^\n]{0,60}:?\n)")
_LINE_BREAK_AFTER_SHORT = re.compile(r"\n")


@dataclass(frozen=True)
class Sentence:
    """One sentence: where it starts and ends in the text, and its text (``text[start:end]``)."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; each one's text is exactly ``text[start:end]``."""
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end() if match.group().strip() else match.start()
        if match.group().strip() and _after_abbreviation(text, match.start()):
            continue
        if match.group().strip() and _next_is_lower(text, match.end()):
            continue
        _add(sentences, text, start, end)
        start = match.end()
    _add(sentences, text, start, len(text))
    return _split_lines(sentences, text)


def _split_lines(sentences: list[Sentence], text: str) -> list[Sentence]:
    """Break a sentence at single line breaks too (captions, bylines, headings)."""
    result: list[Sentence] = []
    for sentence in sentences:
        offset, start = sentence.start, sentence.start
        lines = sentence.text.split("\n")
        for index, line in enumerate(lines):
            offset += len(line) + 1
            if index + 1 < len(lines) and _name_line(line):
                continue  # a name on its own line belongs with the line under it
            _add(result, text, start, offset - 1)
            start = offset
    return result


def _name_line(line: str) -> bool:
    """Whether a line holds only a name ("Gorm Simonsen" above "Projektleder i …")."""
    words = line.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() for w in words)


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end]))


def _after_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1).lower()
    ordinal = token.isdigit() and len(token) <= 2  # "27. september"
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or ordinal


def _next_is_lower(text: str, at: int) -> bool:
    rest = text[at : at + 3].lstrip(" \t")
    return bool(rest) and rest[0].islower()
