"""Lyric syllable text conventions shared by the exporters.

Notes carry syllables the way notation does ("Twin-", "-kle", "star"); karaoke
(.kar) players instead expect joined syllables with a space after each word.
"""

from __future__ import annotations

import re

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def karaoke_text(lyric: str) -> str:
    """A note's lyric ("Twin-", "-kle", "star") as karaoke players expect: "Twin", "kle ", "star "."""
    if not lyric:
        return ""
    text = lyric.lstrip("-")
    if text.endswith("-"):
        return text[:-1]
    return text if _HAN_RE.match(text[-1:] or " ") else text + " "
