"""A lyric sheet as sung lines with their sections (pure text handling).

Section markers ([Verse], [Chorus], 副歌：) name the lines after them; a marker
with no lines under it repeats the last section of that name ("[Chorus]" again
means sing the chorus again). Blank lines separate stanzas. Huge pastes are cut
to a line budget so a setting stays within the bar limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lyrics.detect import is_section_marker

MAX_CHARS = 20_000  # beyond this a paste is not a song; the rest is ignored
MAX_LINES = 64

_SECTION_NAMES = {
    "verse": "verse", "主歌": "verse", "chorus": "chorus", "副歌": "chorus", "refrain": "chorus", "hook": "chorus",
    "pre-chorus": "pre-chorus", "prechorus": "pre-chorus", "预副歌": "pre-chorus", "导歌": "pre-chorus",
    "bridge": "bridge", "桥段": "bridge", "过渡": "bridge", "intro": "intro", "前奏": "intro",
    "outro": "outro", "尾奏": "outro", "coda": "outro", "interlude": "interlude", "间奏": "interlude",
}


@dataclass(frozen=True)
class SheetLine:
    text: str
    section: str  # verse, chorus, bridge, ... ("verse" when unmarked)
    stanza: int  # stanza index, for phrase grouping


@dataclass(frozen=True)
class Sheet:
    lines: list[SheetLine]
    chars: int  # length of the text as pasted
    truncated_chars: bool
    dropped_lines: int  # lines beyond MAX_LINES


def section_name(marker: str) -> str:
    """'[Chorus 2]' -> 'chorus', '副歌：' -> 'chorus'."""
    word = re.sub(r"[\[\]\(\)【】（）:：\d\s]+", " ", marker).strip().lower()
    return _SECTION_NAMES.get(word, word or "verse")


def _repeats_as_chorus(lines: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Without markers, a line sung more than once is taken as the chorus ("make the chorus higher")."""
    counts: dict[str, int] = {}
    for t, _, _ in lines:
        key = t.lower()
        counts[key] = counts.get(key, 0) + 1
    if len(set(counts)) < 2:  # one line repeated: nothing to tell apart
        return lines
    return [(t, "chorus" if counts[t.lower()] > 1 else s, st) for t, s, st in lines]


def parse_sheet(text: str) -> Sheet:
    """Lines to sing, in order, with repeated sections expanded."""
    raw = text if isinstance(text, str) else ""
    chars = len(raw)
    body = raw[:MAX_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    blocks: dict[str, list[str]] = {}
    out: list[tuple[str, str, int]] = []
    section, stanza, pending_marker, block = "verse", 0, None, []

    def close_marker() -> None:
        nonlocal block
        if pending_marker is not None and not block and pending_marker in blocks:
            for ln in blocks[pending_marker]:
                out.append((ln, pending_marker, stanza))
        elif pending_marker is not None and block:
            blocks[pending_marker] = list(block)
        block = []

    # "line one / line two": a slash between words is a line break, as lyrics are often pasted on one line
    body = re.sub(r"\s*(?<!\d)[/／|｜](?!\d)\s*", "\n", body)
    for line in body.split("\n"):
        stripped = line.strip()
        if is_section_marker(stripped):
            close_marker()
            section, pending_marker = section_name(stripped), section_name(stripped)
            stanza += 1
            continue
        if not stripped:
            if out and out[-1][2] == stanza:
                stanza += 1
            continue
        out.append((stripped, section, stanza))
        block.append(stripped)
    close_marker()
    if not blocks and not any(s != "verse" for _, s, _ in out):
        out = _repeats_as_chorus(out)
    dropped = max(0, len(out) - MAX_LINES)
    lines = [SheetLine(t, s, st) for t, s, st in out[:MAX_LINES]]
    return Sheet(lines, chars, chars > MAX_CHARS, dropped)
