"""Mood of lyrics as valence and arousal, from a small EN + ZH word list.

The lexicon (prompts/lyrics_sentiment.json) is data, not code: each word has a
valence (-1 sad .. +1 happy) and arousal (-1 calm .. +1 energetic). A negator
just before a word flips its valence ("not happy"); the result is the mean of
the matched words, shrunk towards neutral when few words matched, so three
happy words do not outweigh a request that says "sad".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class LyricMood:
    valence: float
    arousal: float
    matched: int  # sentiment words found

    @property
    def confidence(self) -> float:
        """0 with no matched words, towards 1 with many."""
        return self.matched / (self.matched + 3.0)


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return json.loads((_PROMPTS / "lyrics_sentiment.json").read_text(encoding="utf-8"))


def _tokens(text: str) -> list[tuple[str, str]]:
    """(language, token) pairs: English words, and jieba words for Chinese runs."""
    out: list[tuple[str, str]] = []
    for m in re.finditer(r"[\u3400-\u9fff]+|[A-Za-z']+", text):
        tok = m.group(0)
        if _HAN.match(tok):
            from lyrics.syllables import chinese_words

            out.extend(("zh", w) for w in chinese_words(tok))
        else:
            out.append(("en", tok.lower().strip("'")))
    return out


def _zh_lookup(word: str, table: dict) -> list[list[float]]:
    if word in table:
        return [table[word]]
    return [table[ch] for ch in word if ch in table]  # single characters inside unknown words


def lyrics_mood(text: str) -> LyricMood:
    """Valence and arousal of the words; (0, 0) when nothing matched."""
    if not isinstance(text, str) or not text.strip():
        return LyricMood(0.0, 0.0, 0)
    lex = lexicon()
    vals: list[float] = []
    ars: list[float] = []
    negate = 0
    boost = 1.0
    for lang, tok in _tokens(text[:20_000]):
        negators = lex["negators_zh"] if lang == "zh" else lex["negators_en"]
        intens = lex["intensifiers_zh"] if lang == "zh" else lex["intensifiers_en"]
        if tok in negators:
            negate = 3
            continue
        if tok in intens:
            boost = float(intens[tok])
            continue
        hits = _zh_lookup(tok, lex["zh"]) if lang == "zh" else ([lex["en"][tok]] if tok in lex["en"] else [])
        for v, a in hits:
            sign = -0.7 if negate else 1.0
            vals.append(max(-1.0, min(1.0, sign * v * boost)))
            ars.append(max(-1.0, min(1.0, a * boost)))
        negate = 0 if hits else max(0, negate - 1)  # a negator reaches the next sentiment word only
        boost = 1.0
    if not vals:
        return LyricMood(0.0, 0.0, 0)
    n = len(vals)
    shrink = n / (n + 2.0)
    return LyricMood(round(sum(vals) / n * shrink, 3), round(sum(ars) / n * shrink, 3), n)


def blend_mood(lyric: LyricMood, valence: float, arousal: float, request_named_mood: bool) -> tuple[float, float]:
    """Valence and arousal for the setting: the request leads when it names a mood, the words otherwise."""
    w = lyric.confidence * (0.4 if request_named_mood else 0.9)
    v = (1 - w) * valence + w * lyric.valence
    a = (1 - w) * arousal + w * lyric.arousal
    return round(max(-1.0, min(1.0, v)), 3), round(max(-1.0, min(1.0, a)), 3)
