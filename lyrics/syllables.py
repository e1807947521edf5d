"""Split a sung line into syllables, with English stress and Mandarin tones.

English words come from the CMU Pronouncing Dictionary (syllable count and
stress); words it lacks are tried as compounds of two dictionary words, then
counted by vowel groups, and spelled out with pyphen's hyphenation; a word
pronounced as two dictionary words is spelled at their boundary (fire-fly,
sky-scrap-er), and "fire" in it is one syllable as on its own. Numbers
and contractions are read as sung ("2024" twenty twenty-four, "waitin'" two
syllables). Chinese is one syllable per character, words from jieba, tones
from pypinyin. Punctuation and emoji are dropped.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lyrics.numbers_lib import NUMBER_TOKEN, number_to_chinese, number_to_english, spell_symbols
from lyrics.spelling_lib import split_spelling
from music.lyric_lib import karaoke_text  # noqa: F401  (re-exported: part of this module's API)

_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_VOWELS = "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ"
# A token: a run of Han characters, a number, or a Latin word with inner apostrophes.
_TOKEN = re.compile(
    rf"(?P<han>[{_HAN}]+)"
    r"|(?P<num>\d+(?::\d{2}|[.,]\d+)?(?:st|nd|rd|th|s)?(?![A-Za-z]))"
    rf"|(?P<word>'?[^\W\d_{_HAN}]+(?:'[^\W\d_{_HAN}]+)*'?)"  # a Latin word stops where Han characters begin
)
_SUNG_SHORT = frozenset({"every"})  # words sung with the dictionary's shorter pronunciation
_MAX_LINE_CHARS = 400  # a sung line longer than this is prose; the rest is ignored


@dataclass(frozen=True)
class Syllable:
    """One sung syllable; ``stress`` is English only (0/1/2), ``tone`` Mandarin only (1-5)."""

    text: str
    word: str
    stress: int | None = None
    tone: int | None = None
    word_start: bool = True
    word_end: bool = True

    @property
    def is_chinese(self) -> bool:
        return bool(_HAN_RE.match(self.text))


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Monosyllables sung unstressed (the, of, my, ...), from prompts/lyrics_function_words.json."""
    data = json.loads((_PROMPTS / "lyrics_function_words.json").read_text(encoding="utf-8"))
    return frozenset(data["words"])


@lru_cache(maxsize=1)
def _pyphen():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=1)
def _cmu() -> dict[str, list[str]]:
    import pronouncing

    pronouncing.init_cmu()
    return pronouncing.lookup


def cmu_stresses(word: str) -> str | None:
    """Stress digits of the first CMU pronunciation ('10' for 'wonder'), or None if unknown.

    "fire", "hour", "our" are sung as one syllable although CMU lists AY-ER first.
    """
    prons = _cmu().get(word.lower())
    if not prons:
        return None
    phones = prons[0]
    if word.lower() in _SUNG_SHORT:  # "every" is sung ev-ery, two syllables
        phones = min(prons, key=lambda p: sum(ch.isdigit() for ch in p))
    digits = "".join(ch for ch in phones if ch.isdigit())
    if re.search(r"(ire|ires|ired|our|ours)$", word.lower()) and re.search(r"(AY|AW)\d ER0", phones):
        shorter = min(prons, key=lambda p: sum(ch.isdigit() for ch in p))
        digits = "".join(ch for ch in shorter if ch.isdigit())
        if len(digits) == len("".join(ch for ch in phones if ch.isdigit())):
            digits = digits[:-1]
    return digits


# --------------------------------------------------------------------------- English


def vowel_group_count(word: str) -> int:
    """Syllables of a word the dictionary lacks, counted from its spelling."""
    w = re.sub(rf"[^a-z{_VOWELS}]", "", word.lower())
    if not w:
        return 0
    w = re.sub(rf"y(?=[{_VOWELS.replace('y', '')}])", "j", w)  # y before a vowel is a consonant: be-yon-cé
    groups = re.findall(rf"[{_VOWELS}]+", w)
    n = len(groups) + len(re.findall(rf"(?<=[{_VOWELS}])[äëïöüÿ]", w))  # a diaeresis opens a syllable: A-na-ïs
    if n > 1 and w.endswith("e") and w[-2] not in _VOWELS:
        if not (w.endswith("le") and len(w) > 2 and w[-3] not in _VOWELS + "l"):
            n -= 1
    elif n > 1 and w.endswith("ed") and len(w) > 2 and w[-3] not in "td" + _VOWELS:
        n -= 1
    elif n > 1 and w.endswith("es") and len(w) > 2 and w[-3] not in "sxzgc" + _VOWELS:
        n -= 0 if w.endswith(("shes", "ches")) else 1
    n += len(re.findall(r"(?<![qgtcs])(?:ia|io|iu|eo|ua|uo)(?!u)", w))  # hiatus: li-on, a-re-a (not -tion, -cial)
    return max(1, n)


def _heuristic_stresses(n: int) -> str:
    return "".join("1" if i == 0 else ("2" if i % 2 == 0 else "0") for i in range(n))


def _compound_stresses(word: str) -> str | None:
    """'heartbreaker' = heart + breaker: stresses of the two halves, the second demoted."""
    w = word.lower()
    for cut in range(4, len(w) - 3):  # both halves at least four letters: xio + mara is not a compound
        left, right = cmu_stresses(w[:cut]), cmu_stresses(w[cut:])
        if left and right:
            return left + right.replace("1", "2")
    return None


def _phones(word: str) -> list[str]:
    """The CMU pronunciations of a word without stress digits ("F AY ER F L AY")."""
    return [re.sub(r"\d", "", p) for p in _cmu().get(word.lower(), [])]


# Word endings that are also dictionary words: "meet|ing", "kit|ten" are not compounds.
_SUFFIX_HALVES = frozenset({
    "ing", "ting", "ding", "king", "ling", "ning", "ring", "sing", "ping", "ming", "ted", "ter", "ters", "ten",
    "son", "her", "hers", "ther", "tion", "sion", "ness", "less", "est", "ful", "ly", "ty", "ton", "ward", "wards",
})


def compound_cut(word: str) -> int | None:
    """Where a compound splits into two dictionary words that it is pronounced as ("fire|fly", "fire|place").

    The whole word's pronunciation must be the halves' pronunciations run together, so "father" is not
    fat + her; both halves have at least three letters and the second is not a suffix ("meet|ing").
    """
    w = word.lower()
    whole = set(_phones(w))
    if not whole:
        return None
    for cut in range(3, len(w) - 2):
        if w[cut:] in _SUFFIX_HALVES:
            continue
        left, right = _phones(w[:cut]), _phones(w[cut:])
        if any(f"{a} {b}" in whole for a in left for b in right):
            return cut
    return None


def _compound_word(word: str, stresses: str) -> tuple[tuple[str, int], ...] | None:
    """A compound spelled as its two words (fire-fly, not fi-ref-ly), with the whole word's stresses.

    Where the halves are sung in fewer syllables than the dictionary gives ("fire" is one), their
    stresses are used, the second half's demoted.
    """
    cut = compound_cut(word)
    hyphens = _pyphen().positions(word)
    if cut is None or (hyphens and cut not in hyphens):  # the hyphenation dictionary knows better: freez-ing
        return None
    left, right = english_word(word[:cut]), english_word(word[cut:])
    if not left or not right or len(left) + len(right) > len(stresses):  # "tac" spelled out is no half
        return None
    if len(left) + len(right) < len(stresses):
        return left + tuple((p, 2 if s == 1 else s) for p, s in right)
    return tuple((p, int(s)) for (p, _), s in zip(left + right, stresses, strict=True))


@lru_cache(maxsize=65536)
def english_word(word: str) -> tuple[tuple[str, int], ...]:
    """(spelling piece, stress) per syllable of one English word as sung."""
    key = word.lower().replace("\u2019", "'")
    stresses = cmu_stresses(key)
    if stresses is None and key.endswith("in'"):  # g-dropping: waitin' = waiting
        stresses = cmu_stresses(key[:-1] + "g")
    if stresses is None and key.strip("'") != key and re.search(rf"[{_VOWELS}]", key):
        stresses = cmu_stresses(key.strip("'"))  # 'til, 'cause (but th' is not "T-H")
    if stresses is None and "'" in key.strip("'"):
        head, _, tail = key.strip("'").partition("'")
        if tail in ("s", "d", "ll", "m", "re", "ve", "t"):  # unknown contraction: Jeannie's, Zoe'll
            stresses = cmu_stresses(head) or _heuristic_stresses(vowel_group_count(head))
        else:  # poetic elision: o'er, heav'n, e'en, pow'r, y'know -- the apostrophe drops a vowel
            stresses = _heuristic_stresses(vowel_group_count(key.replace("'", "")))
    if stresses is None:
        stresses = _compound_stresses(key.strip("'"))
    if stresses is None:
        stresses = _heuristic_stresses(vowel_group_count(key))
    if not stresses:
        return ()
    if len(stresses) == 1 and key in function_words():
        stresses = "0"
    if len(stresses) > 1 and "'" not in key and (compound := _compound_word(word, stresses)):
        return compound
    pieces = split_spelling(word, len(stresses), _pyphen().positions(word))
    if len(pieces) < len(stresses):  # a very short spelling ("mmm" sung as two): repeat the word
        pieces = pieces + [pieces[-1]] * (len(stresses) - len(pieces))
    return tuple((p, int(s)) for p, s in zip(pieces, stresses, strict=False))


def _acronym(word: str) -> tuple[tuple[str, int], ...] | None:
    """'NYC', 'KTV' are spelled letter by letter when the dictionary lacks them (W is three syllables)."""
    if not (word.isupper() and 2 <= len(word) <= 5 and word.isalpha() and word.isascii()):
        return None
    if cmu_stresses(word.lower()) is not None and re.search(r"[AEIOUY]", word):
        return None
    out: list[tuple[str, int]] = []
    for i, ch in enumerate(word):
        stress = 1 if i == len(word) - 1 else 2
        out.extend([("dou", 2), ("ble", 0), ("U", stress)] if ch == "W" else [(ch, stress)])
    return tuple(out)


def _english_syllables(word: str) -> list[Syllable]:
    parts = _acronym(word) or english_word(word)
    out = []
    for i, (text, stress) in enumerate(parts):
        out.append(Syllable(text, word, stress, None, i == 0, i == len(parts) - 1))
    return out


# --------------------------------------------------------------------------- Chinese


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def chinese_words(text: str) -> list[str]:
    """jieba's word segmentation of a Chinese run (dictionary loaded once, quietly)."""
    return _jieba().lcut(text, HMM=True)


@lru_cache(maxsize=8192)
def chinese_run(run: str) -> tuple[Syllable, ...]:
    """One syllable per character of a run of Han characters, grouped into jieba words."""
    from pypinyin import Style, lazy_pinyin

    words = chinese_words(run)
    readings = lazy_pinyin(
        run, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True, errors=lambda c: ["?"] * len(c)
    )
    tones = [int(r[-1]) if r and r[-1] in "12345" else None for r in readings]
    if len(tones) != len(run):
        tones = [None] * len(run)
    out: list[Syllable] = []
    pos = 0
    for word in words:
        for i, ch in enumerate(word):
            out.append(Syllable(ch, word, None, tones[pos + i], i == 0, i == len(word) - 1))
        pos += len(word)
    return tuple(out)


# --------------------------------------------------------------------------- lines


def _normalise(line: str) -> str:
    text = unicodedata.normalize("NFKC", line)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = spell_symbols(re.sub(r"(?<=\d)\s*%", " percent", text))  # sung words for symbols between words
    return re.sub(r"(?<=\w)\s*&\s*(?=\w)", " and ", text)


def _numbers_in_chinese(text: str) -> str:
    """Digits touching Han characters are read in Chinese (2024年 -> 二零二四年)."""
    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if _HAN_RE.match(before) or _HAN_RE.match(after):
            return number_to_chinese(m.group(0), after)
        return m.group(0)

    return NUMBER_TOKEN.sub(repl, text)


def syllabify_line(line: str) -> list[Syllable]:
    """Syllables of one sung line, English, Chinese or mixed; never raises."""
    if not isinstance(line, str):
        return []
    text = _numbers_in_chinese(_normalise(line[: _MAX_LINE_CHARS * 2])[:_MAX_LINE_CHARS])
    out: list[Syllable] = []
    for m in _TOKEN.finditer(text):
        if m.group("han"):
            out.extend(chinese_run(m.group("han")))
        elif m.group("num"):
            for w in re.split(r"[\s-]+", number_to_english(m.group("num"))):
                if w:
                    out.extend(_english_syllables(w))
        else:
            word = m.group("word")
            if word.strip("'"):
                out.extend(_english_syllables(word))
    return out


def syllable_count(line: str) -> int:
    return len(syllabify_line(line))


def syllable_lyric(syl: Syllable) -> str:
    """Lyric text for a note, with hyphens joining syllables of one word (music21/MusicXML convention)."""
    if syl.is_chinese or syl.stress is None:
        return syl.text
    return ("" if syl.word_start else "-") + syl.text + ("" if syl.word_end else "-")


def format_syllables(syllables: list[Syllable]) -> str:
    """'Twin-kle twin-kle lit-tle star' / '床·前 明·月·光' for the chat reply."""
    out = ""
    for i, s in enumerate(syllables):
        if i and s.word_start:
            out += " "
        elif i:
            out += "·" if s.is_chinese else "-"
        out += s.text
    return out
