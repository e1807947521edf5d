"""Cut an English spelling into its sung syllables for display under the notes (pure).

The syllable count comes from the dictionary; this only decides where the
hyphens go, so a singer reads "migh-ty", "may-be", "ra-di-o", "com-for-ta-ble"
and "Le-o" rather than "mig-hty" or "L-eo". Consonant digraphs (gh, th, ch, sh,
ph, ck, ng) stay whole, a consonant before a vowel starts the next syllable,
"-ble" and "-tle" are syllables of their own, and vowel teams (ea, ou, ai)
stay together unless the count needs them apart (i-de-a).
"""

from __future__ import annotations

from collections.abc import Sequence

VOWELS = "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ"
_DIGRAPHS = ("tch", "gh", "th", "ch", "sh", "ph", "wh", "ck", "ng")
_NO_ONSET = ("tch", "gh", "ck", "ng", "x")  # never start a syllable: catch-ing, migh-ty, pock-et
_TEAMS = frozenset({
    "ai", "ay", "au", "aw", "ea", "ee", "ei", "ey", "eu", "ew", "ie", "oa", "oe", "oi", "oo", "ou", "ow", "oy",
    "ue", "ui", "uy", "ye",
})


def _vowel_mask(w: str) -> list[bool]:
    """Which letters act as vowels: y before a vowel (be-yond) and u after q (qui-et) are consonants."""
    mask = [ch in VOWELS for ch in w]
    for i, ch in enumerate(w):
        if ch == "y" and i + 1 < len(w) and w[i + 1] in VOWELS and w[i + 1] != "y":
            mask[i] = False
        if ch == "u" and i > 0 and w[i - 1] == "q" and i + 1 < len(w) and w[i + 1] in VOWELS:
            mask[i] = False
    return mask


def vowel_groups(word: str) -> list[tuple[int, int]]:
    """(start, end) of each run of vowel letters in the lower-case spelling."""
    w = word.lower()
    mask = _vowel_mask(w)
    spans: list[tuple[int, int]] = []
    for i, is_vowel in enumerate(mask):
        if is_vowel and spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1)
        elif is_vowel:
            spans.append((i, i + 1))
    return spans


def _units(cluster: str) -> list[str]:
    """Consonant letters between two vowels, with digraphs kept whole ("ght" -> gh, t)."""
    out: list[str] = []
    i = 0
    while i < len(cluster):
        unit = next((d for d in _DIGRAPHS if cluster.startswith(d, i)), cluster[i])
        out.append(unit)
        i += len(unit)
    return out


def cluster_cut(w: str, end: int, start: int) -> int:
    """Where the hyphen goes between a vowel ending at ``end`` and the next starting at ``start``."""
    cluster = w[end:start]
    if not cluster:
        return end
    if start == len(w) - 1 and w[start] == "e" and cluster.endswith("l") and len(cluster) >= 2:
        return start - 2  # ta-ble, lit-tle, peo-ple
    units = _units(cluster)
    if len(units) == 1:
        return end + len(units[0]) if units[0] in _NO_ONSET else end
    return end + len(units[0])  # com-for-ta-ble, hun-dred, migh-ty: the first consonant closes the syllable


def _silent_final_cut(w: str, spans: Sequence[tuple[int, int]], cuts: Sequence[int]) -> int | None:
    """The cut before a silent final e ("hope", "hopes", "loved"), which is no syllable of its own."""
    if len(spans) < 2 or not cuts:
        return None
    last_start, last_end = spans[-1]
    tail = w[last_start:]
    before = w[last_start - 1] if last_start else ""
    silent = (tail == "e" and before not in VOWELS and not (before == "l" and last_start >= 2
                                                           and w[last_start - 2] not in VOWELS + "l")) \
        or (tail == "es" and before not in "sxzgc" + VOWELS and not w.endswith(("shes", "ches"))) \
        or (tail == "ed" and before not in "td" + VOWELS)
    return cuts[-1] if silent and last_end - last_start == 1 else None


def _hiatus_cuts(w: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """Places inside vowel runs where two syllables meet (ra-di-o, Le-o), most likely first."""
    found: list[tuple[int, int]] = []
    for start, end in spans:
        for i in range(start + 1, end):
            team = w[i - 1:i + 1] in _TEAMS
            found.append((1 if team else 0, i if not team else -i))
    return [abs(i) for _, i in sorted(found)]


def _drop_to(cuts: list[int], count: int, preferred: Sequence[int], word_len: int) -> list[int]:
    """Remove cuts until ``count`` are left: those the hyphenation dictionary lacks, then the shortest piece."""
    cuts = sorted(cuts)
    while len(cuts) > count:
        bounds = [0, *cuts, word_len]
        sizes = {c: min(c - bounds[k], bounds[k + 2] - c) for k, c in enumerate(cuts)}
        cuts.remove(min(cuts, key=lambda c: (c in preferred, sizes[c])))
    return cuts


def orthographic_cuts(word: str, n: int, preferred: Sequence[int] = ()) -> list[int]:
    """``n - 1`` cut positions for a word sung in ``n`` syllables (fewer only if the spelling has no room)."""
    w = word.lower()
    spans = vowel_groups(w)
    cuts = [cluster_cut(w, a[1], b[0]) for a, b in zip(spans, spans[1:], strict=False)]
    silent = _silent_final_cut(w, spans, cuts)
    if len(cuts) > n - 1 and silent is not None:
        cuts.remove(silent)
    if len(cuts) > n - 1:
        cuts = _drop_to(cuts, n - 1, preferred, len(w))
    for extra in _hiatus_cuts(w, spans):
        if len(cuts) >= n - 1:
            break
        cuts.append(extra)
    return sorted(c for c in set(cuts) if 0 < c < len(w))


def split_spelling(word: str, n: int, dictionary_cuts: Sequence[int] = ()) -> list[str]:
    """The spelling of ``word`` cut into ``n`` non-empty pieces; ``dictionary_cuts`` are pyphen's hyphens."""
    if n <= 1 or len(word) < 2:
        return [word]
    n = min(n, len(word))
    cuts = sorted(set(dictionary_cuts))
    if len(cuts) != n - 1:
        cuts = orthographic_cuts(word, n, cuts)
    while len(cuts) < n - 1:  # a spelling with too few vowels ("mmm" sung as two): split the longest piece
        bounds = [0, *cuts, len(word)]
        i = max(range(len(bounds) - 1), key=lambda k: bounds[k + 1] - bounds[k])
        mid = (bounds[i] + bounds[i + 1]) // 2
        if mid in bounds:
            break
        cuts = sorted([*cuts, mid])
    bounds = [0, *cuts, len(word)]
    return [word[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]

