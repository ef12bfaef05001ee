"""Checking that a quote is verbatim in its source's text (spacing, quotes and dashes aside)."""

from __future__ import annotations

import re

FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Fold typographic quotes and dashes and runs of white space, nothing else."""
    return re.sub(r"\s+", " ", str(text).translate(FOLD)).strip()


def is_verbatim(quote: str, text: str) -> bool:
    """Whether ``quote`` appears in ``text`` as it stands."""
    return bool(quote.strip()) and normalise(quote) in normalise(text)
