"""Vocabularies from ``prompts/`` (JSON data, not code) and phrase matching over them.

English phrases match on word boundaries; Chinese phrases match whole jieba
tokens (or runs of tokens), so that 快 (fast) is not found inside 快乐 (happy)
and 鼓 (drum) is not found inside 鼓励 (encourage).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@cache
def load_prompt(name: str) -> dict:
    """One JSON vocabulary file from ``prompts/`` (cached, read-only by convention)."""
    with open(PROMPTS_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class Match:
    """A vocabulary phrase found in a text: character span and the phrase itself."""

    start: int
    end: int
    phrase: str


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def has_cjk(text: str) -> bool:
    return any(_is_cjk(c) for c in text)


@lru_cache(maxsize=64)
def _en_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation, longest phrase first, bounded so 'bass' never matches inside 'bassoon'."""
    words = sorted({p for p in phrases if p and not has_cjk(p)}, key=len, reverse=True)
    if not words:
        return None
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![A-Za-z0-9#])({alt})(?:s|es)?(?![A-Za-z0-9])", re.IGNORECASE)


def find_en(text: str, phrases: tuple[str, ...]) -> list[Match]:
    """Non-overlapping English phrase matches, leftmost-longest, case-insensitive; plurals map to the word."""
    pat = _en_pattern(phrases)
    if pat is None:
        return []
    return [Match(m.start(), m.end(), m.group(1).lower()) for m in pat.finditer(text)]


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba tokenizer that knows every Chinese vocabulary word (no global jieba state)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for word in sorted(all_zh_words()):
        tok.add_word(word, freq=200000)
    return tok


def zh_tokens(text: str) -> list[tuple[str, int]]:
    """jieba tokens with their start offsets (only called when the text has Chinese)."""
    out, pos = [], 0
    for tok in _tokenizer().cut(text, HMM=False):
        out.append((tok, pos))
        pos += len(tok)
    return out


# jieba keeps '钢琴曲' (piano piece) or '二胡独奏' (erhu solo) as one word; the instrument is the stem.
_ZH_SUFFIXES = ("协奏曲", "独奏", "合奏", "伴奏", "音乐", "曲子", "曲", "声", "版", "乐", "手")


@lru_cache(maxsize=64)
def _zh_phrases(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p for p in phrases if has_cjk(p))


def find_zh(text: str, phrases: tuple[str, ...], tokens: list[tuple[str, int]] | None = None) -> list[Match]:
    """Chinese phrase matches aligned to jieba tokens (runs of up to four tokens)."""
    if not has_cjk(text):
        return []
    wanted = _zh_phrases(phrases)
    if not wanted:
        return []
    toks = tokens if tokens is not None else zh_tokens(text)
    out: list[Match] = []
    i = 0
    while i < len(toks):
        hit = None
        for n in (4, 3, 2, 1):
            if i + n > len(toks):
                continue
            s = "".join(t for t, _ in toks[i:i + n])
            if s in wanted:
                hit = (n, s)
                break
        if hit is None and toks[i][0] not in all_zh_words():  # 快乐 is a word (happy), not 快 (fast) + 乐
            tok = toks[i][0]
            for suffix in _ZH_SUFFIXES:
                if tok.endswith(suffix) and tok[:-len(suffix)] in wanted:
                    hit = (1, tok[:-len(suffix)])
                    break
        if hit:
            n, s = hit
            start = toks[i][1]
            out.append(Match(start, start + len(s), s))
            i += n
        else:
            i += 1
    return out


def find_phrases(text: str, phrases: tuple[str, ...], tokens: list[tuple[str, int]] | None = None) -> list[Match]:
    """English and Chinese matches together, in text order."""
    return sorted(find_en(text, phrases) + find_zh(text, phrases, tokens), key=lambda m: m.start)


@lru_cache(maxsize=1)
def all_zh_words() -> frozenset[str]:
    """Every Chinese phrase in every vocabulary, for the jieba user dictionary."""
    words: set[str] = set()

    def walk(obj) -> None:
        if isinstance(obj, str):
            if has_cjk(obj) and len(obj) <= 8:
                words.add(obj)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(k)
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    for name in ("instruments.json", "styles.json", "moods.json", "tempo_terms.json", "meters.json", "occasions.json"):
        walk(load_prompt(name))
    return frozenset(words)


# ---- typed views over the data files -------------------------------------------------


@lru_cache(maxsize=1)
def instrument_table() -> dict[str, tuple[int, bool, str]]:
    """Phrase -> (GM program, is_substitute, display name) for every instrument word, EN and ZH."""
    from music.gm import GM_PROGRAMS

    d = load_prompt("instruments.json")
    table: dict[str, tuple[int, bool, str]] = {}
    for prog, name in enumerate(GM_PROGRAMS):
        table[name.lower()] = (prog, False, name)
    for key in ("aliases", "zh"):
        for phrase, prog in d[key].items():
            table[phrase.lower()] = (int(prog), False, GM_PROGRAMS[int(prog)])
    for key in ("substitutes", "zh_substitutes"):
        for phrase, (prog, label) in d[key].items():
            table[phrase.lower()] = (int(prog), True, label)
    return table


@lru_cache(maxsize=1)
def ensemble_table() -> dict[str, tuple[tuple[int, str], ...]]:
    d = load_prompt("instruments.json")["ensembles"]
    return {k.lower(): tuple((int(p), r) for p, r in v) for k, v in d.items()}


@lru_cache(maxsize=1)
def style_table() -> dict[str, dict]:
    return {k: v for k, v in load_prompt("styles.json").items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def style_words() -> dict[str, str]:
    """Word -> style label (English and Chinese)."""
    out: dict[str, str] = {}
    for style, d in style_table().items():
        for w in d.get("en", []) + d.get("zh", []):
            out.setdefault(w.lower(), style)
    return out


@lru_cache(maxsize=1)
def mood_table() -> dict[str, dict]:
    return {k: v for k, v in load_prompt("moods.json").items() if not k.startswith("_") and isinstance(v, dict)
            and "valence" in v}


@lru_cache(maxsize=1)
def mood_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for mood, d in mood_table().items():
        for w in d.get("en", []) + d.get("zh", []):
            out.setdefault(w.lower(), mood)
    return out


@lru_cache(maxsize=1)
def energy_words() -> dict[str, float]:
    d = load_prompt("moods.json")
    return {**{k.lower(): float(v) for k, v in d["energy_en"].items()}, **d["energy_zh"]}


@lru_cache(maxsize=1)
def tempo_words() -> dict[str, float]:
    d = load_prompt("tempo_terms.json")
    return {**{k: float(v) for k, v in d["italian"].items()}, **{k: float(v) for k, v in d["plain_en"].items()},
            **{k: float(v) for k, v in d["plain_zh"].items()}}


@lru_cache(maxsize=1)
def italian_tempo_terms() -> frozenset[str]:
    return frozenset(k.lower() for k in load_prompt("tempo_terms.json")["italian"])


@lru_cache(maxsize=1)
def meter_words() -> dict[str, str]:
    d = load_prompt("meters.json")
    return {**d["words_en"], **d["words_zh"]}


@lru_cache(maxsize=1)
def genre_meter_words() -> dict[str, str]:
    d = load_prompt("meters.json")
    return {**d["genre_en"], **d["genre_zh"]}


def keys_tuple(d: dict) -> tuple[str, ...]:
    """Dictionary keys as a hashable tuple for the cached matchers."""
    return tuple(d.keys())
