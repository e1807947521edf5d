"""Is this message lyrics to set, and if so, which part is the words?

The request parser calls ``split_lyrics_request`` before anything else, so a
pasted verse is not mistaken for a request ("a sad waltz" stays a request).
Three signals, strongest first: an explicit request ("Set these lyrics to a
gentle melody:", "为这段歌词谱曲"), section markers ([Verse], [Chorus], 副歌),
and several short lines that read like verse rather than like instructions.
"""

from __future__ import annotations

import re

# An explicit request to set words to music; the lyrics usually follow a colon.
_EXPLICIT_EN = re.compile(
    r"(?:\bset\s+(?:these|this|the\s+following|my|the|some)?\s*(?:lyrics|words|lines|poem|verses?|text)\b"
    r"|\bput\s+(?:these|this|the\s+following|my|the)?\s*(?:lyrics|words|lines|poem|verses?|text)?\s*"
    r"(?:to|into|on)\s+(?:a\s+)?(?:music|melody|a\s+tune|tune|song)\b"
    r"|\b(?:turn|make|convert)\s+(?:these|this|the\s+following|my)\s+(?:lyrics|words|lines|poem|verses?)\s+"
    r"into\s+(?:a\s+)?(?:song|melody|music|tune)\b"
    r"|\b(?:melody|music|tune|song)\s+(?:for|to)\s+(?:these|this|the\s+following|my)\s+"
    r"(?:lyrics|words|lines|poem|verses?)\b"
    r"|\bsing\s+(?:these|this|the\s+following|my)(?:\s+(?:lyrics|words|lines|poem|verses?)\b|\s*[:：])"
    r"|\b(?:with|use|using|from|for|to|try)\s+(?:these|this|the\s+following|my|the)\s+(?:new\s+)?"
    r"(?:lyrics|words|poem|verses?)\b"
    r"|\b(?:new|different|other)\s+(?:lyrics|words)\s*[:：]"
    r"|\b(?:change|replace|swap)\s+the\s+(?:lyrics|words)\b"
    r"|\bhere\s+(?:are|is|'s)\s+(?:my|some|the)\s+(?:lyrics|words|poem)\b"
    r"|\blyrics\s*[:：])",
    re.IGNORECASE | re.MULTILINE,
)
_EXPLICIT_ZH = re.compile(
    r"(?:谱曲|作曲.{0,6}歌词|歌词.{0,8}(?:谱|配|唱|写|变成|做成|作)|为.{0,6}(?:歌词|词|诗).{0,6}(?:配|写|谱)"
    r"|把.{0,6}(?:歌词|词|诗).{0,8}(?:唱|谱|配|写成|变成|做成|换成|改成)|配上?旋律|歌词\s*[:：]"
    r"|(?:新|换|改)(?:的|成|为)?(?:这些)?歌词|歌词(?:换|改)(?:成|为))",
    re.MULTILINE,
)

# Section labels: "[Verse 1]", "(Chorus)", "Chorus:", "【副歌】", "主歌：".
_SECTION_WORDS = (
    r"verse|chorus|pre-?chorus|bridge|intro|outro|refrain|hook|coda|interlude|"
    r"主歌|副歌|桥段|前奏|尾奏|间奏|导歌|预副歌|过渡"
)
SECTION_LINE = re.compile(
    rf"^\s*(?:[\[\(【（]\s*(?:{_SECTION_WORDS})\s*\d*\s*[\]\)】）]"
    rf"|(?:{_SECTION_WORDS})\s*\d*\s*[:：]?)\s*$",  # a bare "副歌" or "Chorus 2" on its own line too
    re.IGNORECASE,
)

# Words that mark a line as an instruction about music rather than a sung line.
_REQUEST_WORDS = re.compile(
    r"(?:\b(?:bpm|tempo|compose|generate|melody|accompaniment|arrangement|instrument|instrumental|"
    r"major|minor|time\s+signature|waltz|piano|guitar|violin|cello|flute|drums?|strings|synth|"
    r"faster|slower|louder|quieter|please|can\s+you|could\s+you|give\s+me|make\s+(?:me|it|a|an)|"
    r"write\s+(?:me|a|an)|i\s+want|i'd\s+like|add|remove|transpose|key\s+of|in\s+[a-g][#b]?\b)"
    r"|\b\d+/\d+\b"
    r"|来一首|写一首|生成|作曲|谱曲|旋律|伴奏|节奏|节拍|速度|钢琴|吉他|小提琴|笛子|二胡|古筝|鼓|大调|小调|"
    r"请|帮我|给我|换成|加上|快一点|慢一点|升调|降调)",
    re.IGNORECASE,
)

_MIN_VERSE_LINES = 3  # two lines are too easily a chat message with a line break
_MAX_VERSE_LINE_CHARS = 90  # sung lines are short; prose paragraphs are not


_MELISMA = re.compile(r"\bmelism\w*|\bmelismatic\b|\bruns?\s+(?:on|over)\b|\briffs?\b|花腔|拖腔|转音|一字多音",
                      re.IGNORECASE)


def wants_melisma(instruction: str) -> bool:
    """Whether the request asks for several notes on one syllable ("with melismas", "加点转音")."""
    return bool(isinstance(instruction, str) and _MELISMA.search(instruction))


def is_section_marker(line: str) -> bool:
    """Whether a line is only a section label such as "[Chorus]" or "副歌："."""
    return bool(SECTION_LINE.match(line))


def _looks_like_request(line: str) -> bool:
    return bool(_REQUEST_WORDS.search(line))


def _explicit_match(text: str) -> re.Match[str] | None:
    return _EXPLICIT_EN.search(text) or _EXPLICIT_ZH.search(text)


def _split_after_request(text: str, match: re.Match[str]) -> tuple[str, str | None]:
    """Instruction = the request sentence; lyrics = what follows its colon or line."""
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        end = pos + len(line)
        if pos <= match.start() <= end:
            colon = re.search(r"[:：]", line[match.start() - pos:])
            if colon:
                cut = match.start() - pos + colon.end()
                instruction = "\n".join(lines[:i] + [line[:cut - 1]]).strip()
                rest = "\n".join([line[cut:]] + lines[i + 1:])
            else:
                instruction = "\n".join(lines[: i + 1]).strip()
                rest = "\n".join(lines[i + 1:])
            rest = rest.strip("\n").strip(" \t")
            return instruction, (rest if rest.strip() else None)
        pos = end + 1
    return text.strip(), None


def _verse_lines(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ln.strip() and not is_section_marker(ln)]


def _leading_instruction(lines: list[str]) -> tuple[list[str], list[str]]:
    """Peel request-like lines (and a line ending in a colon) off the top."""
    i = 0
    while i < len(lines) and not is_section_marker(lines[i]) and (
        not lines[i].strip()
        or _looks_like_request(lines[i])
        or lines[i].rstrip().endswith((":", "："))
    ):
        i += 1
        if i >= 2:
            break
    return lines[:i], lines[i:]


def split_lyrics_request(text: str) -> tuple[str, str | None]:
    """Split a message into (instruction, lyrics or None).

    >>> split_lyrics_request("a sad piano waltz in D minor")
    ('a sad piano waltz in D minor', None)
    >>> split_lyrics_request("Set these lyrics to a gentle melody:\\nTwinkle twinkle\\nlittle star")[1]
    'Twinkle twinkle\\nlittle star'
    """
    if not isinstance(text, str) or not text.strip():
        return (text if isinstance(text, str) else ""), None
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _explicit_match(body)
    if match:
        return _split_after_request(body, match)
    lines = body.split("\n")
    if any(is_section_marker(ln) for ln in lines):
        head, rest = _leading_instruction(lines)
        if _verse_lines(rest):
            return "\n".join(head).strip(), "\n".join(rest).strip("\n")
    head, rest = _leading_instruction(lines)
    verse = _verse_lines(rest)
    if len(verse) < _MIN_VERSE_LINES:
        return body.strip(), None
    short = [ln for ln in verse if len(ln.strip()) <= _MAX_VERSE_LINE_CHARS]
    requesty = [ln for ln in verse if _looks_like_request(ln)]
    if len(short) >= 0.8 * len(verse) and len(requesty) <= len(verse) // 3:
        return "\n".join(head).strip(), "\n".join(rest).strip("\n")
    return body.strip(), None
