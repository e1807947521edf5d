"""Where to break an over-long sung line into phrases (pure).

A singer breathes at commas, before "where", "and", "but", after a place word
such as 上 or 里, never right after "the", "of", "in" or "my", and never
inside a Chinese word or before a particle (的, 了, 着). The cut points are
chosen together (dynamic programming) so the phrases are also of similar
length and none is longer than the limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lyrics.numbers_lib import NUMBER_WORDS, ZH_NUMERALS
from lyrics.syllables import Syllable

# A phrase never ends on these: articles, prepositions, possessives, conjunctions.
NO_END_EN = frozenset({
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "with", "by", "into", "onto", "upon", "about",
    "my", "your", "his", "her", "our", "their", "its", "this", "that", "these", "those", "and", "or", "but",
    "nor", "as", "than", "if", "through", "across", "under", "over", "between", "without", "i", "we", "they",
    "he", "she", "i'm", "you're", "we're", "they're",
})
# A phrase may well start on these: conjunctions and relative words.
GOOD_START_EN = frozenset({
    "where", "when", "while", "and", "but", "that", "which", "who", "because", "so", "if", "till", "until",
    "though", "although", "or", "as", "like", "then", "now", "yet", "before", "after", "since",
})
# Chinese words that lean on what follows (prepositions, demonstratives) or on what precedes (particles).
NO_END_ZH = frozenset({
    "在", "把", "被", "和", "跟", "与", "从", "向", "对", "给", "往", "朝", "为", "这", "那", "这个", "那个",
    "这条", "那条", "这些", "那些", "一个", "一条", "一片", "一种", "我的", "你的", "他的", "她的",
})
NO_START_ZH = frozenset({"的", "地", "得", "了", "着", "过", "上", "下", "里", "中", "们", "吗", "呢", "吧", "啊", "呀"})
PAUSE_AFTER_ZH = frozenset({"上", "里", "中", "下", "外", "了", "吧", "呢", "啊", "呀", "吗"})

_FORBIDDEN = 100.0
_GOOD = 10.0
_PUNCTUATION = 30.0
_EXTRA_PHRASE = 10.0


def _is_number(word: str) -> bool:
    """A sung number word ("forty", "five", 四十五): numbers are not broken across phrases."""
    return bool(word) and (all(w in NUMBER_WORDS for w in word.split("-")) or all(ch in ZH_NUMERALS for ch in word))


def cut_cost(syllables: Sequence[Syllable], i: int, pauses: frozenset[int]) -> float:
    """Cost of starting a new phrase at syllable ``i`` (lower is better; inside a word is impossible)."""
    prev, nxt = syllables[i - 1], syllables[i]
    if not nxt.word_start:
        return math.inf
    before, after = prev.word.lower().strip("'"), nxt.word.lower().strip("'")
    cost = 0.0
    if before in NO_END_EN or before in NO_END_ZH or (prev.is_chinese and before.endswith("的")):
        cost += _FORBIDDEN
    if nxt.is_chinese and (after in NO_START_ZH or after[:1] in NO_START_ZH):
        cost += _FORBIDDEN
    if prev.is_chinese and len(before) > 1 and before[-1] in "里中上":
        cost += _GOOD / 2  # 心里, 梦中: a place word that opens what follows ("心里想着")
    if _is_number(before) and _is_number(after):
        cost += _FORBIDDEN
    if i in pauses:
        cost -= _PUNCTUATION
    if after in GOOD_START_EN or (prev.is_chinese and before in PAUSE_AFTER_ZH):
        cost -= _GOOD
    return cost


def _best_split(syllables: Sequence[Syllable], parts: int, max_len: int,
                pauses: frozenset[int]) -> tuple[float, list[int]]:
    """(cost, cut indices) of the best split into exactly ``parts`` phrases of at most ``max_len``."""
    n = len(syllables)
    target = n / parts
    costs = [0.0] + [cut_cost(syllables, i, pauses) for i in range(1, n)]
    best: list[dict[int, tuple[float, list[int]]]] = [{0: (0.0, [])}]
    for _ in range(parts):
        layer: dict[int, tuple[float, list[int]]] = {}
        for start, (cost, cuts) in best[-1].items():
            for end in range(start + 1, min(n, start + max_len) + 1):
                step = (end - start - target) ** 2 / 2 + (costs[end] if end < n else 0.0)
                if math.isinf(step):
                    continue
                total = cost + step
                if end not in layer or total < layer[end][0]:
                    layer[end] = (total, [*cuts, end] if end < n else cuts)
        best.append(layer)
    return best[-1].get(n, (math.inf, []))


def phrase_cuts(syllables: Sequence[Syllable], max_len: int, pauses: frozenset[int] = frozenset()) -> list[int]:
    """Indices where each new phrase of an over-long line starts; ``pauses`` are syllables after punctuation."""
    n = len(syllables)
    if n <= max_len:
        return []
    parts = math.ceil(n / max_len)
    options = [_best_split(syllables, k, max_len, pauses) for k in (parts, parts + 1)]
    cost, cuts = min((c + _EXTRA_PHRASE * k, cuts) for k, (c, cuts) in enumerate(options))
    return cuts if not math.isinf(cost) else []
