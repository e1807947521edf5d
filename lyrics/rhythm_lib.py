"""Sung rhythm from syllables and meter (pure).

Each line is cut into feet: an accented syllable and the unaccented ones after
it. Every foot starts on a strong beat (beats 1 and 3 of 4/4, the downbeat of
3/4 or 6/8), so stressed syllables land on strong beats and the others fill the
weak beats after them; unaccented syllables before the first accent are a
pickup at the end of the previous bar. Each line fills whole bars (2, 4, 6, 8
...), its last note is the longest of the line or is followed by a rest, and a
line repeated word for word gets exactly the same rhythm. A Chinese foot given
several strong beats puts a syllable on each, so a held note ends a word.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lyrics.syllables import Syllable
from music.score import beats_per_bar

_NICE_BARS = (1, 2, 4, 6, 8, 12, 16, 24, 32)
_GRID = 0.25
BREATH = 0.5  # beats of rest at the end of every sung line


@dataclass(frozen=True)
class SungEvent:
    """One syllable on one note: where it starts and how long it lasts, in beats."""

    syllable: Syllable
    start: float
    duration: float
    accented: bool  # placed at the start of a foot, on a strong beat
    line: int

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class LineRhythm:
    """A line's rhythm relative to its first bar; pickup notes have negative onsets."""

    onsets: tuple[float, ...]
    durations: tuple[float, ...]
    accented: tuple[bool, ...]
    bars: int
    pickup: float  # beats before the line's first bar taken by pickup notes


@dataclass(frozen=True)
class Layout:
    events: list[SungEvent]
    bars: int  # total bars including the lead-in bar
    line_bars: list[tuple[int, int]]  # (first bar, bars) of each line


# --------------------------------------------------------------------------- meter


def is_compound(meter: tuple[int, int]) -> bool:
    num, den = meter
    return den == 8 and num in (6, 9, 12)


def strong_positions(meter: tuple[int, int]) -> tuple[float, ...]:
    """Strong beats of a bar in quarter-note beats: the downbeat, plus mid-bar in 4-beat meters."""
    bar = beats_per_bar(meter)
    num, den = meter
    if (num, den) in ((4, 4), (2, 2), (12, 8), (6, 4), (4, 2), (8, 8)):
        return (0.0, bar / 2)
    if (num, den) == (5, 4):
        return (0.0, 3.0)
    return (0.0,)


def is_strong(beat_in_bar: float, meter: tuple[int, int]) -> bool:
    return any(abs(beat_in_bar - p) < 1e-6 for p in strong_positions(meter))


def beat_unit(meter: tuple[int, int]) -> float:
    """The counted beat: a quarter in 4/4, a dotted quarter in 6/8, a half in 2/2."""
    num, den = meter
    if is_compound(meter):
        return 1.5
    return 4.0 / den if den <= 4 else 0.5


def min_note_beats(tempo_bpm: float) -> float:
    """Shortest singable note on the grid: at least ~0.14 s per syllable."""
    for beats in (0.25, 0.5, 1.0):
        if beats * 60.0 / max(tempo_bpm, 1.0) >= 0.14:
            return beats
    return 1.0


def _slot_spans(meter: tuple[int, int]) -> list[float]:
    bar = beats_per_bar(meter)
    pos = list(strong_positions(meter))
    return [b - a for a, b in zip(pos, [*pos[1:], bar], strict=False)]


# --------------------------------------------------------------------------- accents


def _is_monosyllable(s: Syllable) -> bool:
    return s.word_start and s.word_end


def accents(syllables: Sequence[Syllable]) -> list[bool]:
    """Which syllables start a foot.

    English: primary stress (secondary when no neighbour has primary), so every
    stressed syllable gets a strong beat. Chinese: feet of two or three
    characters starting at word boundaries (or mid four-character idiom), never
    on a neutral tone. The last syllable of a line carries the phrase accent if
    it is a whole word.
    """
    n = len(syllables)
    acc = [False] * n
    since = 99  # Chinese syllables since the last accent
    for i, s in enumerate(syllables):
        if s.is_chinese:
            # Feet of two or three characters that start at word boundaries (or mid four-character idiom).
            since = since + 1 if i and syllables[i - 1].is_chinese else 99
            candidate = _position_in_word(syllables, i) in (0, 2)
            if s.tone != 5 and ((candidate and since >= 2) or since >= 4):
                acc[i] = True
                since = 0
        elif s.stress == 1:
            acc[i] = True
        elif s.stress == 2:
            left = syllables[i - 1].stress == 1 if i > 0 else False
            right = syllables[i + 1].stress == 1 if i + 1 < n else False
            acc[i] = not (left or right)
    if n and _is_monosyllable(syllables[-1]) and syllables[-1].tone != 5 and not (n > 1 and acc[-2]
                                                                                  and syllables[-1].is_chinese):
        acc[-1] = True
    return acc


def _position_in_word(syllables: Sequence[Syllable], i: int) -> int:
    pos = 0
    while i - pos > 0 and not syllables[i - pos].word_start:
        pos += 1
    return pos


def feet(acc: Sequence[bool], max_per_foot: int) -> tuple[int, list[list[int]]]:
    """(pickup syllable count, feet as syllable indices); long runs are split evenly."""
    n = len(acc)
    heads = [i for i in range(n) if acc[i]]
    pickup = heads[0] if heads else 0
    if pickup > 3:  # a long unaccented opening: sing it on the beat instead
        heads = [0, *heads]
        pickup = 0
    if not heads:
        heads = [0]
    groups: list[list[int]] = []
    for h, nxt in zip(heads, [*heads[1:], n], strict=False):
        idx = list(range(h, nxt))
        while len(idx) > max_per_foot:
            parts = math.ceil(len(idx) / max_per_foot)
            size = math.ceil(len(idx) / parts)
            groups.append(idx[:size])
            idx = idx[size:]
        groups.append(idx)
    return pickup, groups


# --------------------------------------------------------------------------- durations


def _split(d: float, compound: bool) -> tuple[float, float]:
    """Split a note value in two, the first part at least as long."""
    dotted = d / 1.5
    if compound and abs(dotted - round(dotted)) < 1e-9 and round(dotted) >= 2:
        n = round(dotted)  # whole dotted beats: halves, or 2 + 1 beats in 9/8
        return (d / 2, d / 2) if n % 2 == 0 else ((n - 1) * 1.5, 1.5)
    if abs(d - 1.5) < 1e-9 or abs(d - 0.75) < 1e-9:
        return d * 2 / 3, d / 3
    if abs(d / 3 - round(d / 3)) < 1e-9:  # three beats: long-short
        return d * 2 / 3, d / 3
    grid = 0.5 if d >= 1 else _GRID  # 7/8 = 2 + 1.5 quarters, not two double-dotted notes
    half = math.ceil(d / 2 / grid - 1e-9) * grid
    return half, d - half


def foot_durations(k: int, span: float, compound: bool, min_dur: float) -> list[float]:
    """k note values filling ``span``: the accented first note is never shorter than the rest."""
    durs = [span]
    while len(durs) < k:
        longest = max(durs)
        i = max(j for j, d in enumerate(durs) if abs(d - longest) < 1e-9)
        a, b = _split(durs[i], compound)
        if b < min_dur - 1e-9 and longest / 2 < min_dur - 1e-9:
            a, b = durs[i] - _GRID, _GRID  # beyond the tempo's comfort: the grid minimum
        if b <= 0:
            break
        durs[i:i + 1] = [a, b]
    return durs


def _nice_bars(bars: int) -> int:
    return next((b for b in _NICE_BARS if b >= bars), bars)


def line_rhythm(
    syllables: Sequence[Syllable], meter: tuple[int, int], tempo_bpm: float, reserve: float = 0.0,
    min_bars: int = 0,
) -> LineRhythm:
    """Rhythm of one line; ``reserve`` beats at its end are left for the next line's pickup."""
    n = len(syllables)
    if n == 0:
        return LineRhythm((), (), (), max(min_bars, 1), 0.0)
    compound = is_compound(meter)
    min_dur = min_note_beats(tempo_bpm)
    spans = _slot_spans(meter)
    max_per_foot = max(1, min(int(min(spans) / min_dur + 1e-9), 4 if min(spans) <= 2 else 6))
    acc = accents(syllables)
    pickup_n, groups = feet(acc, max_per_foot)
    pickup_note = _pickup_note(pickup_n, meter, min_dur)
    pickup = pickup_n * pickup_note

    slots_per_bar = len(spans)
    extra_slot = 0
    while True:
        slots = len(groups) + extra_slot
        bars = max(_nice_bars(math.ceil(slots / slots_per_bar)), min_bars)
        spread = [all(syllables[i].is_chinese for i in g) for g in groups]
        onsets, placed, accented = _place(groups, bars, spans, compound, min_dur, reserve, spread)
        durs = take_breath(onsets, placed, bars * sum(spans) - reserve)
        ends_well = phrase_end_ok(placed, _rest_after(onsets, placed, bars, spans, reserve))
        if (ends_well and _rest_after(onsets, durs, bars, spans, reserve)) or extra_slot > slots_per_bar + 1:
            break
        extra_slot += 1
    pick_onsets = [-pickup + i * pickup_note for i in range(pickup_n)]
    flags = [False] * pickup_n + [j == 0 for g in groups for j in range(len(g))]
    return LineRhythm(
        tuple(pick_onsets + onsets), tuple([pickup_note] * pickup_n + durs), tuple(flags), bars, pickup,
    )


def take_breath(onsets: Sequence[float], durations: Sequence[float], line_end: float) -> list[float]:
    """Shorten a long last note so the singer breathes (BREATH beats of rest) before the next line.

    The last note keeps at least half a beat; a shorter one is left alone (the
    caller then gives the line more room).
    """
    out = list(durations)
    if not out:
        return out
    missing = BREATH - (line_end - (onsets[-1] + out[-1]))
    if missing > 1e-9 and out[-1] - missing >= 0.5 - 1e-9:
        out[-1] = round(out[-1] - missing, 6)
    return out


def phrase_end_ok(durations: Sequence[float], rest_after: bool) -> bool:
    """A phrase ends on a long note (longest of the line and above its mean) or on a rest."""
    if rest_after or len(durations) < 2:
        return True
    others = durations[:-1]
    return durations[-1] >= max(others) - 1e-9 and durations[-1] > sum(others) / len(others) + 1e-9


def _pickup_note(n: int, meter: tuple[int, int], min_dur: float) -> float:
    """Pickup notes: a beat each if they fit in half a bar, else shorter (an eighth in 6/8)."""
    if n == 0:
        return 0.0
    unit = beat_unit(meter)
    room = max(beats_per_bar(meter) / 2, unit)
    candidates = (0.5, 0.25) if is_compound(meter) else (unit, unit / 2, unit / 4)
    for c in candidates:
        if c >= min_dur - 1e-9 and n * c <= room + 1e-9:
            return c
    return min_dur


def _rest_after(onsets: list[float], durs: list[float], bars: int, spans: list[float], reserve: float) -> bool:
    end_of_line = bars * sum(spans) - reserve
    return end_of_line - (onsets[-1] + durs[-1]) >= BREATH - 1e-9


def spread_slots(feet_count: int, slots: int) -> list[int]:
    """Strong-beat slots per foot: one each, a spare one to the last foot, the rest spread evenly."""
    share = [1] * feet_count
    spare = slots - feet_count
    if feet_count == 0 or spare <= 0:
        return share
    share[-1] += 1
    spare -= 1
    while spare > 0:
        r = min(spare, feet_count - 1)
        if r == 0:
            share[-1] += spare
            break
        for i in sorted({min(feet_count - 2, int((k + 0.5) * (feet_count - 1) / r)) for k in range(r)}):
            if spare:
                share[i] += 1
                spare -= 1
    return share


def spread_foot(k: int, slot_lens: Sequence[float], compound: bool, min_dur: float) -> list[float]:
    """A Chinese foot over several strong-beat slots: one syllable per slot, the last taking what is left.

    Extra syllables share the first slot. Mandarin has no stressed syllable to hold, so the long note
    goes to the word's end (早上 as 早 half, 上 half) rather than inside the word (早 dotted half, 上).
    """
    slots = len(slot_lens)
    if k <= slots:
        return [*slot_lens[:k - 1], sum(slot_lens[k - 1:])]
    return [*foot_durations(k - slots + 1, slot_lens[0], compound, min_dur), *slot_lens[1:]]


def _place(
    groups: list[list[int]], bars: int, spans: list[float], compound: bool, min_dur: float, reserve: float,
    spread: Sequence[bool] = (),
) -> tuple[list[float], list[float], list[bool]]:
    """Give each foot one or more strong-beat slots; spare slots lengthen the end, then the middle.

    ``spread`` marks feet (Chinese) whose syllables take a slot each inside the line (see spread_foot).
    """
    slot_starts: list[float] = []
    slot_lens: list[float] = []
    bar_len = sum(spans)
    for b in range(bars):
        pos = b * bar_len
        for s in spans:
            slot_starts.append(pos)
            slot_lens.append(s)
            pos += s
    f = len(groups)
    share = spread_slots(f, len(slot_starts))
    onsets: list[float] = []
    durs: list[float] = []
    flags: list[bool] = []
    slot = 0
    for gi, g in enumerate(groups):
        start = slot_starts[slot]
        span = sum(slot_lens[slot:slot + share[gi]])
        slot += share[gi]
        last = gi == f - 1
        if last:
            span -= reserve
        base = min(span, slot_lens[slot - share[gi]]) if len(g) > 1 else span
        if not last and share[gi] > 1 and gi < len(spread) and spread[gi]:
            values = spread_foot(len(g), slot_lens[slot - share[gi]:slot], compound, min_dur)
        else:
            values = foot_durations(len(g), base, compound, min_dur)
            # Spare time lengthens the line's last syllable, elsewhere the accented one,
            # so unaccented syllables stay on weak beats.
            values[-1 if last else 0] += span - base
        if last and share[gi] > 1 and values[-1] > slot_lens[0]:
            breath = max(0.5, math.floor(slot_lens[0] / 2 / 0.5) * 0.5)  # breathe before the next line
            values[-1] -= min(breath, values[-1] - slot_lens[0])
        t = start
        for j, d in enumerate(values):
            onsets.append(t)
            durs.append(d)
            flags.append(j == 0)
            t += d
    return onsets, durs, flags


# --------------------------------------------------------------------------- layout


def line_key(syllables: Sequence[Syllable]) -> str:
    return " ".join(s.text.lower() for s in syllables)


def phrase_lengths(bars: Sequence[int], stanzas: Sequence[int]) -> list[int]:
    """Lines of one stanza share a phrase length (the longest) when they are within a factor of 1.5.

    A wider gap would stretch short lines into held notes several beats long.
    """
    out = list(bars)
    for st in set(stanzas):
        idx = [i for i, s in enumerate(stanzas) if s == st]
        longest, shortest = max(bars[i] for i in idx), min(bars[i] for i in idx)
        if 2 * longest <= 3 * shortest:
            for i in idx:
                out[i] = longest
    return out


def layout_lines(
    lines: Sequence[Sequence[Syllable]], meter: tuple[int, int], tempo_bpm: float, lead_in_bars: int = 1,
    stanzas: Sequence[int] | None = None,
) -> Layout:
    """Place the lines one after another; repeated lines reuse their rhythm.

    With ``stanzas`` (a stanza id per line), the lines of a stanza get equal phrase lengths.
    """
    bar_len = beats_per_bar(meter)
    first = [line_rhythm(s, meter, tempo_bpm) for s in lines]
    if stanzas is not None and len(stanzas) == len(lines):
        target = phrase_lengths([r.bars for r in first], stanzas)
        first = [r if r.bars == t else line_rhythm(s, meter, tempo_bpm, min_bars=t)
                 for r, s, t in zip(first, lines, target, strict=True)]
    events: list[SungEvent] = []
    line_bars: list[tuple[int, int]] = []
    cache: dict[tuple[str, float], LineRhythm] = {}
    bar = lead_in_bars
    for i, syls in enumerate(lines):
        reserve = first[i + 1].pickup if i + 1 < len(lines) else 0.0
        key = (line_key(syls), reserve)
        if key not in cache:
            cache[key] = line_rhythm(syls, meter, tempo_bpm, reserve=reserve, min_bars=first[i].bars)
        r = cache[key]
        origin = bar * bar_len
        for syl, on, d, a in zip(syls, r.onsets, r.durations, r.accented, strict=False):
            events.append(SungEvent(syl, round(origin + on, 6), round(d, 6), a, i))
        line_bars.append((bar, r.bars))
        bar += r.bars
    return Layout(events, max(bar, 1), line_bars)


def stressed_on_strong_share(events: Sequence[SungEvent], meter: tuple[int, int]) -> tuple[int, int]:
    """(stressed syllables on strong beats, stressed syllables) for English primary stress."""
    bar_len = beats_per_bar(meter)
    hits = total = 0
    for e in events:
        if e.syllable.stress == 1:
            total += 1
            hits += is_strong(round(e.start % bar_len, 6), meter)
    return hits, total
