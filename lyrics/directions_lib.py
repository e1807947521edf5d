"""What a lyric sheet holds besides sung words: chord symbols and performance directions (pure).

Song sheets are often pasted with chords above the lines ("G  D", "Dm7 G7
Cmaj7"), inline ChordPro chords ("[G]Morning comes"), and directions such as
"(x2)", "Repeat chorus", "Chorus x2" or "重复副歌". None of these are sung:
chord lines are dropped, inline chords removed, and directions obeyed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One chord symbol: root, quality, extensions and alterations, optional bass note (C/G, F#m7b5, Bbmaj7, Asus4).
CHORD = (
    r"[A-G](?:#|b|♯|♭)?"
    r"(?:maj|min|mi|ma|m|M|dim|aug|sus|add|°|ø|\+|-)?"
    r"(?:\d{1,2})?"
    r"(?:(?:maj|min|sus|add|dim|aug|m|M|b|#|♭|♯|\+|-)\d{0,2})*"
    r"(?:\((?:[^)\s]{1,8})\))?"
    r"(?:/[A-G](?:#|b|♯|♭)?)?"
)
_CHORD_TOKEN = re.compile(rf"(?:{CHORD}|N\.?C\.?|[|/%:.\-]+|x\d)")
_INLINE_CHORD = re.compile(rf"\[\s*{CHORD}\s*\]")

_MAX_TIMES = 4  # "x20" is a joke or a typo: sing a line at most four times
_X_TIMES = r"(?:[x×X]\s*(?P<n1>\d{1,2})|(?P<n2>\d{1,2})\s*[x×X])"
_TIMES = rf"(?:{_X_TIMES[3:-1]}|(?P<n3>\d{{1,2}})\s*times|(?P<zh>[一两二三四])\s*遍)"
_OPEN = r"[\(\[【（]?\s*"
_CLOSE = r"\s*[\)\]】）]?"
# "Shine on me (x2)", "hold on x2", "再见×2": the line itself is sung several times.
_LINE_TIMES = (
    re.compile(rf"\s*[\(\[【（]\s*{_TIMES}\s*[\)\]】）]\s*$", re.IGNORECASE),
    re.compile(rf"(?:\s+|(?=×)){_X_TIMES}\s*$"),
)
_SECTION = r"(?P<section>chorus|refrain|hook|verse|bridge|pre-?chorus|副歌|主歌|桥段|高潮)"
_ZH_AGAIN = r"(?:重复|再唱|再来)"
_REPEATS = (
    # "Chorus x2", "[Chorus] x2", "(Chorus x2)", "副歌 ×2": a section label with a count.
    (re.compile(rf"^{_OPEN}{_SECTION}(?:\s*\d)?{_CLOSE}\s*{_OPEN}{_TIMES}{_CLOSE}$", re.IGNORECASE), True),
    (re.compile(rf"^{_OPEN}(?:repeat|rpt\.?)(?:\s+(?:the\s+)?{_SECTION}(?:\s*\d)?)?{_CLOSE}"
                rf"(?:\s*{_OPEN}{_TIMES}{_CLOSE})?\s*[.!]?$", re.IGNORECASE), False),
    (re.compile(rf"^{_OPEN}{_ZH_AGAIN}\s*{_SECTION}?\s*(?:{_TIMES}|一次)?{_CLOSE}$"), False),
    (re.compile(rf"^{_OPEN}{_SECTION}\s*{_ZH_AGAIN}\s*(?:{_TIMES}|一次)?{_CLOSE}$"), False),
)
_ZH_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}
_SECTION_NAMES = {"副歌": "chorus", "高潮": "chorus", "主歌": "verse", "桥段": "bridge", "refrain": "chorus",
                  "hook": "chorus", "prechorus": "pre-chorus"}


@dataclass(frozen=True)
class Repeat:
    """A direction to sing a section again; ``opens_block`` when it may also label the lines below it."""

    section: str
    times: int
    opens_block: bool


def is_chord_line(line: str) -> bool:
    """A line made only of chord symbols ("G  D", "Dm7 G7 Cmaj7 Am", "| C/G | F#m7b5 |"): not sung."""
    tokens = line.split()
    return bool(tokens) and any(t[0] in "ABCDEFG" for t in tokens) and all(
        _CHORD_TOKEN.fullmatch(t) for t in tokens)


def strip_inline_chords(line: str) -> str:
    """'[G]Morning comes to [D]Mary's door' -> "Morning comes to Mary's door" (section labels stay)."""
    return re.sub(r"\s{2,}", " ", _INLINE_CHORD.sub("", line)).strip() if "[" in line else line


def _times(match: re.Match[str]) -> int:
    groups = match.groupdict()
    raw = groups.get("n1") or groups.get("n2") or groups.get("n3")
    n = int(raw) if raw else _ZH_NUMBERS.get(groups.get("zh") or "", 1)
    return max(1, min(n, _MAX_TIMES))


def line_times(line: str) -> tuple[str, int]:
    """('Shine on me', 2) for 'Shine on me (x2)'; a line without a count is sung once."""
    for pattern in _LINE_TIMES:
        match = pattern.search(line)
        if match and line[: match.start()].strip():
            return line[: match.start()].rstrip(), _times(match)
    return line, 1


def repeat_direction(line: str) -> Repeat | None:
    """'Repeat chorus', '(Repeat)', 'Chorus x2', '重复副歌': which section to sing again, and how often."""
    text = line.strip()
    for pattern, opens in _REPEATS:
        match = pattern.match(text)
        if match:
            word = (match.group("section") or "chorus").lower().replace("-", "")
            return Repeat(_SECTION_NAMES.get(word, word), _times(match), opens)
    return None
