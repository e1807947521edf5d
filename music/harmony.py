"""Chord progressions for a spec: the learned n-gram, shaped by form, cadences and style.

``progression`` is the entry point the pipeline calls. Chords are sampled bar by
bar from the learned chord model (the GRU in numpy, ``music.chord_gru_lib``, or the
Kneser-Ney n-gram, ``music.chord_model_lib``; both trained on Bach chorales,
Roman-numeral analyses and folk chord symbols), restricted to chords that fit the
spec's mode, with cadences forced at phrase ends (half cadence mid-section,
authentic at section ends), then coloured by the style's vocabulary (sevenths for
jazz, power chords for rock, ...). Repeated sections reuse their chords. When the
model file is missing, ``rules`` templates stand in (``choose_degrees``).
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from typing import Protocol

from music.chord_gru_lib import GruScorer, load_gru
from music.chord_model_lib import BOS, PHRASE, ChordNgram, load_model
from music.chord_vocab_lib import parse_token, token, token_to_chord
from music.form_lib import form_plan, phrase_lengths
from music.score import ChordEvent, Section, beats_per_bar
from music.spec import MusicSpec
from music.style_data import style_arrangement
from music.theory import (
    CHORD_QUALITIES,
    MODES,
    chord_symbol,
    diatonic_parent,
    diatonic_triad,
    is_major_like,
    note_name_to_pc,
    uses_flats,
)

# Scale degrees per bar for the rules fallback; the last template bar of a phrase is a cadence.
MAJOR_TEMPLATES = ((1, 5, 6, 4), (1, 4, 5, 1), (1, 6, 4, 5), (1, 4, 1, 5), (6, 4, 1, 5), (1, 3, 4, 5))
MINOR_TEMPLATES = ((1, 6, 3, 7), (1, 4, 5, 1), (1, 7, 6, 5), (1, 4, 7, 3), (1, 6, 4, 5), (1, 3, 7, 4))

# Chords before the final chord of a cadence, per mode (key-relative tokens); the dominant first.
_PRE_CADENCE = {
    "major": ("7:maj", "7:7", "5:maj", "11:dim"),
    "minor": ("7:maj", "7:7", "5:min", "11:dim7"),
    "harmonic_minor": ("7:maj", "7:7", "5:min", "11:dim7"),
    "dorian": ("10:maj", "5:maj", "7:min", "7:maj"),
    "mixolydian": ("10:maj", "5:maj", "7:min"),
    "lydian": ("2:maj", "7:maj", "11:min"),
    "phrygian": ("1:maj", "10:min", "5:min"),
    "locrian": ("1:maj", "10:min"),
}
_HALF_CADENCE = {"major": ("7:maj", "7:7"), "minor": ("7:maj", "7:7"), "dorian": ("7:min", "10:maj"),
                 "mixolydian": ("10:maj", "7:min"), "lydian": ("2:maj", "7:maj"), "phrygian": ("1:maj", "10:min")}
# Leading-tone chords that a minor key borrows from harmonic minor.
_MINOR_DOMINANTS = ("7:maj", "7:7", "11:dim7", "11:dim")
TWELVE_BAR_BLUES = ((1, 4, 1, 1, 4, 4, 1, 1, 5, 4, 1, 5), (1, 1, 1, 1, 4, 4, 1, 1, 5, 4, 1, 1),
                    (1, 4, 1, 1, 4, 4, 1, 6, 2, 5, 1, 5))


class ChordScorer(Protocol):
    """What sampling needs from a chord model: the n-gram and the numpy GRU both provide it."""

    def prob(self, mode: str, history: Sequence[str], tok: str) -> float: ...


def chord_scorer(ngram: ChordNgram) -> ChordScorer:
    """The GRU when its exported weights load (lower held-out perplexity), else the n-gram.

    ``TUNESMITH_CHORD_MODEL=ngram`` forces the n-gram.
    """
    if os.environ.get("TUNESMITH_CHORD_MODEL", "gru") != "ngram":
        weights = load_gru()
        if weights is not None:
            return GruScorer(weights)
    return ngram


def _parent(mode: str) -> str:
    parent = diatonic_parent(mode)
    return parent if parent in MODES else "major"


def _family(mode: str) -> str:
    return "major" if is_major_like(mode) else "minor"


def allowed_tokens(model: ChordNgram, mode: str, borrowed: tuple[str, ...] = ()) -> list[str]:
    """Learned chords that fit the mode: diatonic ones, minor's raised dominants, the style's borrowed chords."""
    scale = set(MODES[_parent(mode)])
    extra = set(borrowed) | (set(_MINOR_DOMINANTS) if _parent(mode) in ("minor", "harmonic_minor") else set())
    out = []
    for tok in model.chord_vocab:
        iv, quality = parse_token(tok)
        if quality not in CHORD_QUALITIES:
            continue
        if tok in extra or all((iv + i) % 12 in scale for i in CHORD_QUALITIES[quality]):
            out.append(tok)
    return out


def tonic_token(mode: str) -> str:
    root, quality = diatonic_triad(0, _parent(mode), 1)
    return token(root, quality)


def _sample(model: ChordScorer, fam: str, history: list[str], cands: list[str], rng: random.Random,
            temperature: float, lookahead_phrase: bool = False) -> str:
    weights = []
    for c in cands:
        p = model.prob(fam, history, c)
        if lookahead_phrase:  # how likely the chord is to end a phrase, learned from fermatas and repeats
            p *= model.prob(fam, history + [c], PHRASE) + 0.05
        if history and c == history[-1]:
            p *= 0.15  # a bar-to-bar repeat is allowed but rare
        weights.append(p ** (1.0 / temperature))
    return rng.choices(cands, weights)[0]


def sample_phrase(model: ChordScorer, mode: str, slots: int, cadence: str, rng: random.Random,
                  history: list[str], allowed: list[str], temperature: float = 0.9,
                  avoid_tonic_start: bool = False) -> list[str]:
    """``slots`` chord tokens ending on a cadence: "authentic" (... V I), "half" (... V) or "open"."""
    fam = _family(mode)
    tonic = tonic_token(mode)
    pre = [t for t in _PRE_CADENCE.get(mode, _PRE_CADENCE[_parent(mode)]) if t in allowed] or [tonic]
    half = [t for t in _HALF_CADENCE.get(mode, _HALF_CADENCE[fam]) if t in allowed] or pre
    out: list[str] = []
    for i in range(slots):
        last = i == slots - 1
        hist = history + out
        if last and cadence == "authentic":
            tok = tonic
        elif last and cadence == "half":
            tok = _sample(model, fam, hist, half, rng, temperature, lookahead_phrase=True)
        elif i == slots - 2 and cadence == "authentic":
            tok = _sample(model, fam, hist, pre, rng, temperature)
        else:
            cands = allowed
            if i == 0 and avoid_tonic_start:
                cands = [t for t in allowed if t != tonic] or allowed
            tok = _sample(model, fam, hist, cands, rng, temperature)
        out.append(tok)
    return out


def colour_token(tok: str, colour: str, rng: random.Random, cadential: bool,
                 scale: frozenset[int] = frozenset(MODES["major"])) -> str:
    """Style vocabulary on top of the learned chord: sevenths, extensions, power chords, sus colour.

    Added sevenths come from the mode's scale (IV7 in dorian, Imaj7 in major), so
    the colour never clashes with the melody's notes.
    """
    iv, q = parse_token(tok)
    maj_sev = "maj7" if (iv + 11) % 12 in scale else "7"
    seventh = {"maj": maj_sev, "min": "min7", "dim": "m7b5"}
    if colour in ("jazz", "lofi"):
        q = "7" if (iv == 7 and q in ("maj", "7")) else seventh.get(q, q)
        if colour == "lofi" and q in ("maj7", "min7") and rng.random() < 0.45:
            q = {"maj7": "maj9", "min7": "min9"}[q]
        if colour == "jazz" and q == "7" and rng.random() < 0.35:
            q = "9"
    elif colour == "funk":
        q = {"maj": "7", "min": "min7", "maj7": "9", "7": "9"}.get(q, q)
    elif colour == "power":
        if q in ("dim", "m7b5", "dim7"):  # a power chord on vii would sound a tritone: use the dominant it implies
            iv = (iv - 4) % 12
        q = "5"
    elif colour == "pentatonic":
        q = {"dim": "min", "7": "maj", "maj7": "maj", "min7": "min7", "m7b5": "min", "dim7": "min"}.get(q, q)
        if q == "maj" and (iv + 4) % 12 not in scale:  # no raised leading tone: the modal minor dominant
            q = "min" if (iv + 3) % 12 in scale else "sus4"
        if q == "maj" and not cadential and rng.random() < 0.35:
            q = rng.choice(("sus2", "add9"))
    elif colour == "triads":
        q = {"maj7": "maj", "min7": "min", "m7b5": "dim", "dim7": "dim"}.get(q, q)
        q = q if (q != "7" or iv == 7 or rng.random() < 0.5) else "maj"
    elif colour == "blues":
        q = "7" if q in ("maj", "7", "maj7") else q
    return token(iv, q)


def _blues_tokens(bars: int, mode: str, rng: random.Random) -> list[str]:
    """Twelve-bar blues changes (dominant sevenths on I, IV, V), repeated and cut to length."""
    minor = mode in ("minor", "aeolian", "dorian", "harmonic_minor", "phrygian")
    pattern = rng.choice(TWELVE_BAR_BLUES)
    deg_tok = {1: "0:min7" if minor else "0:7", 4: "5:min7" if minor else "5:7", 5: "7:7", 6: "9:7", 2: "2:min7"}
    out = [deg_tok[pattern[b % 12]] for b in range(bars)]
    for b in range(bars):  # the usual blues colour: ninths, and the passing #iv diminished in bar 6
        if b % 12 == 5 and out[b] == deg_tok[4] and rng.random() < 0.35:
            out[b] = "6:dim7"
        elif out[b] in ("0:7", "5:7") and rng.random() < 0.25:
            out[b] = out[b].replace(":7", ":9")
    if bars >= 2:
        out[-2:] = ["7:7", deg_tok[1]]
    elif bars == 1:
        out[-1] = deg_tok[1]
    return out


def section_tokens(model: ChordScorer, spec: MusicSpec, sections: list[Section], rng: random.Random,
                   allowed: list[str], slots_per_bar: int) -> list[str]:
    """Tokens per slot over the form; a section name that comes back reuses its chords."""
    memo: dict[str, list[str]] = {}
    out: list[str] = [BOS, BOS]
    mode = spec.mode
    for idx, sec in enumerate(sections):
        is_last = idx == len(sections) - 1
        if sec.name in memo and len(memo[sec.name]) == sec.bars * slots_per_bar:
            toks = list(memo[sec.name])
            if is_last:  # a reprise at the very end must still close on the tonic
                toks[-2:] = sample_phrase(model, mode, 2, "authentic", rng, out + toks[:-2], allowed)
        else:
            toks = []
            lengths = phrase_lengths(sec.bars)
            for p, length in enumerate(lengths):
                last_phrase = p == len(lengths) - 1
                if sec.name == "intro":
                    cadence = "half"
                elif last_phrase:
                    next_name = sections[idx + 1].name if not is_last else None
                    cadence = "half" if next_name in ("A", "verse") and sec.name in ("B", "chorus") else "authentic"
                else:
                    cadence = "half" if p % 2 == 0 else "authentic"
                toks += sample_phrase(model, mode, length * slots_per_bar, cadence, rng, out + toks, allowed,
                                      avoid_tonic_start=sec.name in ("B", "chorus") and p == 0)
            memo.setdefault(sec.name, toks)
        out += toks
        out.append(PHRASE)
    return [t for t in out if t not in (BOS, PHRASE)]


def choose_degrees(spec: MusicSpec, rng: random.Random) -> list[int]:
    """``rules`` fallback: one scale degree per bar, phrases of four bars, ending on a V-I cadence."""
    templates = MAJOR_TEMPLATES if is_major_like(spec.mode) else MINOR_TEMPLATES
    phrase_a = list(rng.choice(templates))
    phrase_b = list(rng.choice(templates))
    degrees: list[int] = []
    for bar in range(spec.bars):
        phrase = phrase_a if (bar // 8) % 2 == 0 else phrase_b
        degrees.append(phrase[bar % 4])
    if spec.bars >= 2:
        degrees[-2], degrees[-1] = 5, 1
    elif spec.bars == 1:
        degrees[-1] = 1
    return degrees


def _rules_tokens(spec: MusicSpec, rng: random.Random) -> list[str]:
    parent = _parent(spec.mode)
    out = []
    for d in choose_degrees(spec, rng):
        root, quality = diatonic_triad(0, parent, d)
        if d == 5 and parent in ("minor", "harmonic_minor"):
            quality = "maj"
        out.append(token(root, quality))
    return out


def named_tokens(spec: MusicSpec) -> list[str]:
    """The named chords cycled over the bars; the last bar is the home chord when the user's chords hold it."""
    named = list(dict.fromkeys(token(int(iv), str(q)) for iv, q in spec.progression if str(q) in CHORD_QUALITIES))
    if not named:  # (a chord named twice, "F, Fm6, C, F, Fm6", is one chord of the loop)
        return []
    first_home = next((i for i, t in enumerate(named) if parse_token(t)[0] == 0), None)
    home = named[first_home] if first_home is not None else tonic_token(spec.mode)
    loop = named[first_home:] + named[:first_home] if first_home is not None else named
    # the piece starts and ends at home, so the key the user asked for is the key one hears
    if first_home is None:
        loop = [home] + loop
    phrase = max(4, len(loop))  # each phrase starts the chords again from home ("Eb Ab Bb7" -> Eb Ab Bb7 Eb)
    out = [loop[(b % phrase) % len(loop)] for b in range(spec.bars)]
    if spec.bars >= 2:
        out[-1] = home
    return out


def progression_tokens(spec: MusicSpec, seed: int) -> tuple[list[str], int]:
    """Key-relative tokens for the whole piece and the number of chord slots per bar."""
    rng = random.Random(seed * 7919 + 17)
    style = style_arrangement(spec.style)
    model = load_model()
    num, den = spec.meter
    slots = style.harmonic_rhythm if (num in (2, 4) and den in (2, 4)) else 1
    if spec.progression:  # "a chord progression of G, C, D, G": the user's chords, a bar each, over and over
        return named_tokens(spec), 1
    if style.colour == "blues":
        return _blues_tokens(spec.bars, spec.mode, rng), 1
    if model is None:
        return _rules_tokens(spec, rng), 1
    allowed = allowed_tokens(model, spec.mode, style.borrowed)
    if style.colour == "pentatonic" or spec.mode in ("major_pentatonic", "minor_pentatonic"):
        penta = set(MODES["major_pentatonic" if is_major_like(spec.mode) else "minor_pentatonic"])
        allowed = [t for t in allowed if parse_token(t)[0] in penta and parse_token(t)[1] != "dim"] or allowed
    toks = section_tokens(chord_scorer(model), spec, form_plan(spec.bars, style.song or bool(spec.lyrics)), rng,
                          allowed, slots)
    final = len(toks) - 1
    scale = frozenset(MODES[_parent(spec.mode)])
    return [colour_token(t, style.colour, rng, i >= final - 1, scale) for i, t in enumerate(toks)], slots


def progression(spec: MusicSpec, seed: int) -> list[ChordEvent]:
    """Chords for the whole piece (one or two per bar), deterministic from ``seed``."""
    bpb = beats_per_bar(spec.meter)
    try:
        tonic = note_name_to_pc(spec.key)
    except ValueError:
        tonic = 0
    try:
        toks, slots = progression_tokens(spec, seed)
    except (KeyError, ValueError, IndexError):  # a malformed model file must not break a turn
        toks, slots = _rules_tokens(spec, random.Random(seed)), 1
    flats = uses_flats(tonic, spec.mode if spec.mode in MODES else "major")
    span = bpb / slots
    chords = []
    for i, tok in enumerate(toks):
        root, quality = token_to_chord(tok, tonic)
        chords.append(ChordEvent(chord_symbol(root, quality, flats), root, quality, i * span, span))
    return chords


def chord_at(chords: list[ChordEvent], beat: float) -> ChordEvent | None:
    for c in chords:
        if c.start <= beat < c.start + c.duration:
            return c
    return chords[-1] if chords else None
