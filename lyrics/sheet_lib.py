"""A lyric sheet as sung lines with their sections (pure text handling).

Section markers ([Verse], [Chorus], 副歌：) name the lines after them; a marker
with no lines under it repeats the last section of that name ("[Chorus]" again
means sing the chorus again). Blank lines separate stanzas. Huge pastes are cut
to a line budget so a setting stays within the bar limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lyrics.detect import is_section_marker
from lyrics.directions_lib import Repeat, is_chord_line, line_times, repeat_direction, strip_inline_chords

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


@dataclass
class _Reading:
    """Where one pass over a sheet stands (local to one ``parse_sheet`` call)."""

    out: list[tuple[str, str, int]] = field(default_factory=list)
    blocks: dict[str, list[str]] = field(default_factory=dict)  # section name -> its lines, for repeats
    section: str = "verse"
    stanza: int = 0
    pending: str | None = None  # the section whose lines are being collected under a marker
    pending_times: int = 1
    block: list[str] = field(default_factory=list)


def _close_block(r: _Reading) -> None:
    """End the lines under a marker: keep them for repeats; a marker with no lines repeats its section."""
    if r.pending is not None and not r.block and r.pending in r.blocks:
        r.out.extend((ln, r.pending, r.stanza) for _ in range(r.pending_times) for ln in r.blocks[r.pending])
    elif r.pending is not None and r.block:
        r.blocks[r.pending] = list(r.block)
        r.out.extend((ln, r.pending, r.stanza) for _ in range(r.pending_times - 1) for ln in r.block)
    r.block, r.pending_times = [], 1


def _open_block(r: _Reading, name: str, times: int = 1) -> None:
    _close_block(r)
    r.section, r.pending, r.pending_times = name, name, times
    r.stanza += 1


def _repeat(r: _Reading, rep: Repeat) -> None:
    """'Repeat chorus', 'Chorus x2': sing the section again; before it exists, 'Chorus x2' labels what follows."""
    _close_block(r)
    if rep.section not in r.blocks:
        if rep.opens_block:
            _open_block(r, rep.section, rep.times)
        return
    r.stanza += 1
    r.out.extend((ln, rep.section, r.stanza) for _ in range(rep.times) for ln in r.blocks[rep.section])
    r.pending = None
    r.stanza += 1


def _sung_parts(line: str) -> list[str]:
    """A pasted line without its chords, cut at slashes ("line one / line two" is often pasted on one line)."""
    text = strip_inline_chords(line.strip())
    if is_chord_line(text):
        return []  # chords above the words (C/G's slash is a bass note, not a line break)
    return re.split(r"\s*(?<!\d)[/／|｜](?!\d)\s*", text)


def _read_line(r: _Reading, stripped: str) -> None:
    if is_section_marker(stripped):
        _open_block(r, section_name(stripped))
        return
    rep = repeat_direction(stripped)
    if rep is not None:
        _repeat(r, rep)
        return
    if not stripped:
        if r.out and r.out[-1][2] == r.stanza:
            r.stanza += 1
        return
    sung, times = line_times(stripped)
    for _ in range(times):
        r.out.append((sung, r.section, r.stanza))
        r.block.append(sung)


def parse_sheet(text: str) -> Sheet:
    """Lines to sing, in order, with repeated sections expanded; chords and directions are not sung."""
    raw = text if isinstance(text, str) else ""
    chars = len(raw)
    body = raw[:MAX_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    r = _Reading()
    for line in body.split("\n"):
        for part in _sung_parts(line):
            _read_line(r, part)
    _close_block(r)
    out = r.out
    if not r.blocks and not any(s != "verse" for _, s, _ in out):
        out = _repeats_as_chorus(out)
    dropped = max(0, len(out) - MAX_LINES)
    lines = [SheetLine(t, s, st) for t, s, st in out[:MAX_LINES]]
    return Sheet(lines, chars, chars > MAX_CHARS, dropped)
