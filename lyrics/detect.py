"""Is this message lyrics to set, and if so, which part is the words?

The request parser calls ``split_lyrics_request`` before anything else, so a
pasted verse is not mistaken for a request ("a sad waltz" stays a request).
Three signals, strongest first: an explicit request ("Set these lyrics to a
gentle melody:", "为这段歌词谱曲") on the opening line(s), a colon line near the
top or the closing line; section markers ([Verse], [Chorus], 副歌); and several
short lines that read like verse rather than like instructions. Whether a line
is an instruction is decided by strong request features only (request_lib), so
a lyric with "please", "give me" or "piano" in it is still sung, and no sung
line is dropped because a phrase like "for the words" occurs inside it.
"""

from __future__ import annotations

import re

from lyrics.directions_lib import is_chord_line
from lyrics.request_lib import continues_sentence, is_chat_line, is_parameter_line, is_request_line

# An explicit request to set words to music; the lyrics usually follow a colon. It only counts on the
# opening line(s), on a line ending in a colon near the top, or as the closing line: inside the lyrics
# "I'm lost for the words to say" or "你写的歌词我还会唱" are sung lines.
_EXPLICIT_EN = re.compile(
    r"(?:\bset\s+(?:these|this|the\s+following|my|the|some)?\s*(?:lyrics|words|lines|poem|verses?|text)\b"
    r"|\bput\s+(?:these|this|the\s+following|my|the)?\s*(?:lyrics|words|lines|poem|verses?|text)?\s*"
    r"(?:to|into|on)\s+(?:a\s+)?(?:music|melody|a\s+tune|tune|song)\b"
    r"|\b(?:turn|make|convert)\s+(?:these|this|the\s+following|my)\s+(?:lyrics|words|lines|poem|verses?)\s+"
    r"into\s+(?:a\s+)?(?:song|melody|music|tune)\b"
    r"|\b(?:melody|music|tune|song)\s+(?:for|to)\s+(?:these|this|the\s+following|my)\s+"
    r"(?:lyrics|words|lines|poem|verses?)\b"
    r"|\bsing\s+(?:these|this|the\s+following|my)(?:\s+(?:lyrics|words|lines|poem|verses?)\b|\s*[:：])"
    r"|\b(?:use|using|try)\s+(?:these|this|the\s+following|my|the)\s+(?:new\s+)?(?:lyrics|words|poem|verses?)\b"
    r"|\b(?:new|different|other)\s+(?:lyrics|words)\s*[:：]"
    r"|\b(?:change|replace|swap)\s+the\s+(?:lyrics|words)\b"
    r"|\bhere\s+(?:are|is|'s)\s+(?:my|some|the)\s+(?:lyrics|words|poem)\b"
    r"|\blyrics\s*[:：])",
    re.IGNORECASE,
)
# "with these words", "for the words": a request only with a colon after it or request words around it.
_WEAK_EXPLICIT_EN = re.compile(
    r"\b(?:with|from|for|to)\s+(?:these|this|the\s+following|my|the)\s+(?:new\s+)?(?:lyrics|words|poem|verses?)\b",
    re.IGNORECASE,
)
_EXPLICIT_ZH = re.compile(
    r"(?:谱曲|谱个曲|谱成(?:歌|曲)|作曲.{0,6}歌词|歌词.{0,8}(?:谱|配|写成|变成|做成|唱出来|唱成)"
    r"|(?:为|给|帮)[^，,。；]{0,6}(?:歌词|词|诗)[^，,。；]{0,6}(?:配|写|谱)"
    r"|把.{0,6}(?:歌词|词|诗).{0,8}(?:唱|谱|配|写成|变成|做成|换成|改成)|配上?旋律|歌词\s*[:：]"
    r"|(?:用|以|拿)(?:这|这些|这段|以下|下面的?|我的)(?:歌词|词|诗)"
    r"|(?:新|换|改)(?:的|成|为)?(?:这些)?歌词|歌词(?:换|改)(?:成|为))",
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

_MIN_VERSE_LINES = 3  # two lines are too easily a chat message with a line break (unless they read as a couplet)
_MAX_VERSE_LINE_CHARS = 90  # sung lines are short; prose paragraphs are not
_MAX_LONG_LINE_CHARS = 160  # one long line among short ones is a long sung line, not a paragraph
_COUPLET_UNITS = (4, 20)  # sung units (Chinese characters, words) in each line of a two-line lyric


_MELISMA = re.compile(r"\bmelism\w*|\bmelismatic\b|\bruns?\s+(?:on|over)\b|\briffs?\b|花腔|拖腔|转音|一字多音",
                      re.IGNORECASE)


def wants_melisma(instruction: str) -> bool:
    """Whether the request asks for several notes on one syllable ("with melismas", "加点转音")."""
    return bool(isinstance(instruction, str) and _MELISMA.search(instruction))


def is_section_marker(line: str) -> bool:
    """Whether a line is only a section label such as "[Chorus]" or "副歌："."""
    return bool(SECTION_LINE.match(line))


def _explicit_on(line: str) -> re.Match[str] | None:
    """An explicit set-these-words request on this line, if any."""
    match = _EXPLICIT_EN.search(line) or _EXPLICIT_ZH.search(line)
    if match:
        return match
    weak = _WEAK_EXPLICIT_EN.search(line)
    if weak and (re.search(r"[:：]", line[weak.end():]) or is_request_line(line)):
        return weak
    return None


def _ends_with_colon(line: str) -> bool:
    return line.rstrip().endswith((":", "："))


def _opening_candidates(lines: list[str]) -> list[int]:
    """Lines where an explicit request may open the message: the first, the second after a request line,
    and a colon-ended line among the first three (never after a section marker)."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    out: list[int] = []
    for rank, i in enumerate(content[:3]):
        if is_section_marker(lines[i]):
            break
        follows_request = rank == 1 and is_request_line(lines[content[0]])
        if rank == 0 or follows_request or _ends_with_colon(lines[i]):
            out.append(i)
    return out


def _split_at(lines: list[str], i: int, match: re.Match[str]) -> tuple[str, str | None]:
    """Instruction = the request sentence; lyrics = what follows its colon or line."""
    line = lines[i]
    colon = re.search(r"[:：]", line[match.start():])
    if colon:
        cut = match.start() + colon.end()
        instruction = "\n".join(lines[:i] + [line[:cut - 1]]).strip()
        rest = "\n".join([line[cut:]] + lines[i + 1:])
    else:
        instruction = "\n".join(lines[: i + 1]).strip()
        rest = "\n".join(lines[i + 1:])
    rest = rest.strip("\n").strip(" \t")
    return instruction, (rest if rest.strip() else None)


def _closing_request(lines: list[str]) -> tuple[str, str] | None:
    """Lyrics first, the request last ("...\nset these words to a slow waltz")."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(content) < 2:
        return None
    last = lines[content[-1]]
    match = _explicit_on(last)
    if not match or is_section_marker(last) or re.search(r"[:：]\s*\S", last[match.start():]):
        return None
    words = "\n".join(lines[: content[-1]]).strip("\n")
    return (last.strip(), words) if _verse_lines(words.split("\n")) else None


def _explicit_split(lines: list[str]) -> tuple[str, str | None] | None:
    for i in _opening_candidates(lines):
        match = _explicit_on(lines[i])
        if match:
            return _split_at(lines, i, match)
    return _closing_request(lines)


def _verse_lines(lines: list[str]) -> list[str]:
    """Lines that could be sung: not blank, not a section label, not only chord symbols."""
    return [ln for ln in lines if ln.strip() and not is_section_marker(ln) and not is_chord_line(ln)]


def _leading_instruction(lines: list[str]) -> tuple[list[str], list[str]]:
    """Peel up to two request lines (or lines ending in a colon) off the top."""
    i = taken = 0
    while i < len(lines) and taken < 2 and not is_section_marker(lines[i]) and (
        not lines[i].strip() or is_request_line(lines[i]) or _ends_with_colon(lines[i])
    ):
        taken += bool(lines[i].strip())
        i += 1
    return lines[:i], lines[i:]


def _closing_instruction(lines: list[str]) -> tuple[list[str], list[str]]:
    """Peel a last line that only sets parameters ("slow, in 3/4") off the bottom."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(content) < 4 or is_section_marker(lines[content[-1]]) or not is_parameter_line(lines[content[-1]]):
        return lines, []
    return lines[: content[-1]], lines[content[-1]:]


def _is_continued_request(head: list[str], verse: list[str]) -> bool:
    """'Compose a lullaby' + 'for my baby boy' + 'who is named Leo': one request sentence over several lines."""
    last = next((ln for ln in reversed(head) if ln.strip()), "")
    return bool(last and verse and is_request_line(last) and continues_sentence(last, verse[0])
                and all(re.match(r"\s*[a-z]", ln) for ln in verse))


def _sung_units(line: str) -> int:
    """Chinese characters plus other words: about the syllables a line sings, without syllabifying."""
    return len(re.findall(r"[\u3400-\u9fff]|[^\W\d_\u3400-\u9fff]+(?:'[a-z]+)?|\d+", line))


def _reads_as_couplet(verse: list[str]) -> bool:
    """Two verse-sized lines with no request or chat features ("想你的夜 / 月亮也失眠").

    Stricter than longer sheets, since two lines are easily a chat message ("make it faster / and add drums").
    """
    lo, hi = _COUPLET_UNITS
    return len(verse) == 2 and not continues_sentence(verse[0], verse[1]) and all(
        lo <= _sung_units(ln) <= hi and not is_request_line(ln) and not is_chat_line(ln) for ln in verse)


def _reads_as_verse(verse: list[str]) -> bool:
    """Enough short lines (one may be long), and few with strong request features."""
    if len(verse) < _MIN_VERSE_LINES:
        return _reads_as_couplet(verse)
    long_lines = [ln for ln in verse if len(ln.strip()) > _MAX_VERSE_LINE_CHARS]
    requesty = [ln for ln in verse if is_request_line(ln)]
    fits = len(long_lines) <= max(1, len(verse) // 5) and all(len(ln.strip()) <= _MAX_LONG_LINE_CHARS
                                                               for ln in long_lines)
    return fits and len(requesty) <= len(verse) // 3


def _join(*parts: list[str]) -> str:
    return "\n".join(ln for part in parts for ln in part).strip()


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
    lines = body.split("\n")
    explicit = _explicit_split(lines)
    if explicit:
        return explicit
    head, rest = _leading_instruction(lines)
    rest, tail = _closing_instruction(rest)
    if any(is_section_marker(ln) for ln in lines) and _verse_lines(rest):
        return _join(head, tail), "\n".join(rest).strip("\n")
    verse = _verse_lines(rest)
    if _is_continued_request(head, verse) or not _reads_as_verse(verse):
        return body.strip(), None
    return _join(head, tail), "\n".join(rest).strip("\n")
