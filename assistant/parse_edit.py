"""Follow-up edits parsed relative to the current spec: tempo, key, mode, length, mood, ending, reverb.

'faster' adds a tempo step, 'up a whole step' transposes by 2 semitones and moves the key, 'happier'
nudges valence (and a minor piece goes to major); the part edits live in ``parse_parts`` and the
intent in ``parse_intent``.
"""

from __future__ import annotations

import re

from assistant.cues import cue, ending_change, note_text, reverb_change
from assistant.lexicon import find_phrases, load_prompt, mood_table, mood_words, style_table
from assistant.parse_explicit import seconds_to_bars, user_spelling
from assistant.parse_followup import (
    restore_fields,
    voice_asked,
)
from assistant.parse_instruments import style_instruments
from assistant.parse_parts import edit_parts, find_part_octave, role_words, volume_change
from music.score import beats_per_bar, parse_time_signature
from music.spec import TEMPO_RANGE, InstrumentSpec, MusicSpec
from music.theory import is_major_like, note_name_to_pc, spell_tonic

# ---- relative edits --------------------------------------------------------------------------

_INTERVALS = {"semitone": 1, "semitones": 1, "half step": 1, "half steps": 1, "half-step": 1, "half-steps": 1,
              "halfstep": 1, "half tone": 1, "whole step": 2, "whole steps": 2, "whole-step": 2, "whole tone": 2,
              "tone": 2, "step": 2, "steps": 2, "minor third": 3, "major third": 4, "third": 4, "fourth": 5,
              "fourths": 5, "tritone": 6, "fifth": 7, "fifths": 7, "minor sixth": 8, "sixth": 9, "major sixth": 9,
              "seventh": 10, "octave": 12, "octaves": 12, "key": 1, "keys": 1}
_INT_ALT = "|".join(sorted(_INTERVALS, key=len, reverse=True))
_TRANSPOSE_EN = re.compile(
    rf"\b(?P<dir>up|down|higher|lower|raise|lower it)\s+(?:it\s+)?(?:by\s+)?(?:(?P<count>a|an|one|\d+(?:\.\d+)?)\s+)?"
    rf"(?:perfect\s+)?(?P<unit>{_INT_ALT})\b"
    rf"|\b(?:(?P<count2>a|an|one|\d+(?:\.\d+)?)\s+)?(?:perfect\s+)?(?P<unit2>{_INT_ALT})\s+(?P<dir2>up|down|higher|lower)\b"
    rf"|\btranspose\s+(?:it\s+)?(?P<dir3>up|down)?\s*(?:by\s+)?(?P<count3>[+-]?\d+)(?!\s*(?:bpm|bars?))"
    rf"(?:\s*(?:perfect\s+)?(?P<unit3>{_INT_ALT})\b)?")
_TRANSPOSE_ZH = re.compile(
    r"(?P<dir>升高|升|提高|上移|调高|降低|降|下移|调低|移调)\s*(?:了)?\s*(?P<count>\d+|一|两|半)?\s*(?:个)?\s*"
    r"(?P<unit>半音|全音|八度|小二度|大二度|小三度|大三度|纯四度|增四度|纯五度|小六度|大六度|小七度|大七度|度|个调|调|key)")
_ZH_INTERVALS = {"半音": 1, "全音": 2, "八度": 12, "度": 1, "个调": 1, "调": 1, "key": 1, "小二度": 1, "大二度": 2,
                 "小三度": 3, "大三度": 4, "纯四度": 5, "增四度": 6, "纯五度": 7, "小六度": 8, "大六度": 9, "小七度": 10,
                 "大七度": 11}


def find_transpose(n) -> int | None:
    text = n.num
    if re.search(r"\b(?:semitones?|half[- ]?steps?|whole[- ]?steps?|tones?|thirds?|fourths?|fifths?|sixths?|sevenths?|"
                 r"octaves?|tritone)\b", text):  # "change the key up a fourth", "raise the key by a fifth"
        text = re.sub(r"\b(?:the\s+|its\s+)?keys?\b", lambda k: " " * len(k.group(0)), text)
    m = _TRANSPOSE_EN.search(text)
    if m:
        direction = m.group("dir") or m.group("dir2") or m.group("dir3") or "up"
        sign = -1 if direction in ("down", "lower", "lower it") else 1
        if m.group("count3"):
            unit3 = _INTERVALS[m.group("unit3")] if m.group("unit3") else 1
            return sign * int(float(m.group("count3"))) * unit3
        count = m.group("count") or m.group("count2") or "1"
        k = 1.0 if count in ("a", "an", "one") else float(count)
        unit = m.group("unit") or m.group("unit2")
        return int(round(sign * k * _INTERVALS[unit]))
    m = _TRANSPOSE_ZH.search(n.low) or _TRANSPOSE_ZH.search(n.num)  # 小三度 before the numerals become digits
    if m:
        sign = -1 if m.group("dir") in ("降低", "降", "下移", "调低") else 1
        count = m.group("count") or "1"
        k = {"一": 1, "两": 2, "半": 0.5}.get(count) or float(count)
        unit = _ZH_INTERVALS[m.group("unit")]
        if m.group("unit") == "度" and count.isdigit():  # 升高五度 = up a fifth
            unit, k = {2: 2, 3: 4, 4: 5, 5: 7, 6: 9, 7: 10, 8: 12}.get(int(count), 0), 1
        return int(round(sign * k * unit))
    vague = cue("key_change_vague", n.low)
    if vague:  # "lower the key", "换个调": a whole step
        return -2 if re.search(r"lower|drop|down|降|低", vague.group(0)) else 2
    if re.search(r"高八度", n.low):
        return 12
    if re.search(r"低八度", n.low):
        return -12
    return None


_MELODY_OCTAVE = re.compile(r"\b(?:raise|lift|move|put|shift|lower|drop|bring)\s+(?:the\s+)?(?:melody|tune|lead)\b"
                            r".{0,20}\boctave\b|旋律.{0,4}(?:高|低|升|降).{0,2}八度")
_FASTER = re.compile(r"\b(faster|quicker|speed (?:it |this |things )?up|pick up the (?:pace|tempo)|more tempo|"
                     r"up the tempo|increase the tempo|raise the tempo|tempo up|hurry)\b|(?<![欢轻愉明爽凉痛])快一点|"
                     r"(?<![欢轻愉明爽凉痛])快一些|(?<![欢轻愉明爽凉痛])快点|加快|再快|"
                     r"提速|更快|快些|速度快|速度提高|加速|(?<![欢轻愉明爽凉痛])快(?=\s*(?:到|至)?\s*\d)|"
                     r"\b(?:not so|not as|less) slow\b|(?:别|不要|没)那么慢")
_SLOWER = re.compile(r"\b(slower|slow (?:it |this |things )?down|less fast|lower the tempo|decrease the tempo|"
                     r"reduce the tempo|tempo down|take it easy)\b|慢一点|慢一些|慢点|放慢|减慢|再慢|降速|更慢|慢些|"
                     r"速度慢|速度降低|减速|慢(?=\s*(?:到|至)?\s*\d)|\b(?:not so|not as) fast\b|(?:别|不要|没)那么快")
_BIG = re.compile(r"\b(much|a lot|way|far|lots|significantly|really|a great deal)\b|很多|得多|多一些|大幅")
_SMALL = re.compile(r"\b(a (?:little|bit|tad|touch)|slightly|a little bit|somewhat|just a bit)\b|稍微|稍稍|一点点|略|一丢丢|丢丢")


_RITARDANDO = re.compile(r"\britardando\b|\brallentando\b|\brit\.|\b(?:slow(?:s|ing)? down|slower|get slower)\b.{0,20}"
                         r"\b(?:at|towards|near|by) the (?:end|ending|last)\b|\bslower ending\b|\bslow(?:er)? at the end\b|"
                         r"结尾.{0,4}慢|最后.{0,4}慢下来|渐慢")
_TEMPO_DOUBLE = re.compile(r"\b(twice as fast|double (?:the )?(?:tempo|speed)|double[- ]time|(?:two|2) times (?:faster|as "
                           r"fast))\b|快一倍|快1倍|速度加倍|速度翻倍|(?<![长度间])翻倍|(?<![长度间])加倍|快两倍|快2倍")
_TEMPO_TRIPLE = re.compile(r"\b(?:three|3) times (?:faster|as fast)\b|快两倍|快三倍|快3倍")
_TEMPO_HALVE = re.compile(r"\b(half (?:the )?(?:speed|tempo)|half[- ]time|half as fast|twice as slow|half that)\b|慢一倍|"
                          r"慢1倍|速度减半|慢一半|(?<![长度间])减半|速度降一半")
# "speed up to 140", "加快到140", "速度降到60", "提到140": the number is where the tempo should land
_TEMPO_TO = re.compile(r"(?:\bto|到|至)\s*(?:about\s+|around\s+|roughly\s+|maybe\s+|大约|大概|约)?(\d{2,3}(?:\.\d+)?)"
                       r"(?!\s*(?:%|bars?|measures?|小节|秒|分钟|seconds?|minutes?|semitones?|个半音))")
_TEMPO_ABOUT = re.compile(r"(?:around|about|roughly|like|maybe|~)\s*(\d{2,3})\b|(\d{2,3})\s*(?:左右|上下|ish\b)")
# "快10bpm", "再快20拍", "10 bpm faster", "slower by 20", "like 5 bpm": a number of bpm added or taken away
_TEMPO_BY = re.compile(r"(?:by\s+)?(\d+(?:\.\d+)?)\s*(?:bpm|beats)?\s*(?:faster|slower|quicker)|(?:faster|slower|quicker|"
                       r"up|down)\s+by\s+(\d+(?:\.\d+)?)|(?:加快|放慢|减慢|提高|降低|快|慢)\s*(\d+)\s*(?:个)?\s*"
                       r"(?:bpm|拍|下)?(?!\d)")
_TEMPO_UNIT_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(?:bpm|beats per minute|拍)")
_TEMPO_VERB_ZH = re.compile(r"(?:速度|节奏|拍速)?(?:提|升|降|调|减|加)(?:速)?(?=到|至)")


def tempo_step(n) -> tuple[str, float] | None:
    """('mul', 2.0) for 'twice as fast', ('add', +12) for 'faster', ('set', 140) for 'speed up to 140'.

    None when the message asks for no relative tempo. A bare number beside 'faster' is read as a target
    when it could be a tempo (30 and up) and as an amount otherwise ('faster, like 5 bpm').
    """
    text, low = n.num, n.low
    if _TEMPO_TRIPLE.search(low):
        return ("mul", 3.0)
    if _TEMPO_DOUBLE.search(low) or _TEMPO_DOUBLE.search(text):
        return ("mul", 2.0)
    if _TEMPO_HALVE.search(low) or _TEMPO_HALVE.search(text):
        return ("mul", 0.5)
    up, down = _FASTER.search(text), _SLOWER.search(text)
    if not up and not down:
        if _TEMPO_VERB_ZH.search(text) and (m := _TEMPO_TO.search(text)):  # "速度降到60", "提到140"
            return ("set", float(m.group(1)))
        return None
    sign = 1.0 if up and (not down or up.start() < down.start()) else -1.0
    m = _TEMPO_TO.search(text)
    if m:
        return ("set", float(m.group(1)))
    m = _TEMPO_BY.search(text)
    if m:
        return ("add", sign * float(next(g for g in m.groups() if g)))
    m = re.search(r"(\d+(?:\.\d+)?)\s*%\s*(?:faster|slower)?", text)
    if m:
        return ("mul", 1.0 + sign * float(m.group(1)) / 100.0)
    m = _TEMPO_ABOUT.search(text) or _TEMPO_UNIT_NUMBER.search(text)
    if m:
        value = float(next(g for g in m.groups() if g))
        return ("set", value) if value >= 30 else ("add", sign * value)
    d = load_prompt("tempo_terms.json")
    step = float(d["edit_step"])
    if _BIG.search(text):
        step *= float(d["edit_big_factor"])
    elif _SMALL.search(text):
        step *= float(d["edit_small_factor"])
    return ("add", sign * step)


def nudges_in(n) -> dict[str, float]:
    table = load_prompt("intents.json")["nudges"]
    out: dict[str, float] = {}
    for m in find_phrases(n.low, tuple(table), list(n.tokens) if n.tokens else None):
        if m.phrase in ("higher", "lower") and re.search(r"\b(?:up|down)\b|transpose|octave|semitone|step|key",
                                                         n.low):
            continue
        scale = 1.5 if _BIG.search(n.low[max(0, m.start - 12):m.start]) else 1.0
        for dim, v in table[m.phrase].items():
            out[dim] = round(out.get(dim, 0.0) + scale * v, 3)
    return out


def apply_edits(n, a, base: MusicSpec, lang: str, intent: str = "edit") -> tuple[MusicSpec, dict, list[str]]:
    """The current spec with the message's changes applied, the ``changes`` dict, and notes."""
    changes: dict = {}
    notes: list[str] = []
    spec = base
    text = n.low
    toks = list(n.tokens) if n.tokens else None
    # tempo
    restore = restore_fields(text)
    if restore:  # "恢复原来的速度", "change the key back": the chat takes them from the first version
        changes["restore"] = restore
        return spec, changes, notes
    step = tempo_step(n)
    if a.tempo is not None and a.tempo.source == "number" and (step is None or step[0] not in ("add", "set")):
        spec = spec.with_(tempo_bpm=a.tempo.bpm)
        changes["tempo_bpm"] = a.tempo.bpm
    elif step is not None:
        kind, v = step
        new = spec.tempo_bpm * v if kind == "mul" else spec.tempo_bpm + v if kind == "add" else v
        lo, hi = TEMPO_RANGE
        if (new > hi and spec.tempo_bpm >= hi) or (new < lo and spec.tempo_bpm <= lo):
            notes.append(note_text("tempo_limit", lang, edge=("upper" if new > hi else "lower") if lang != "zh"
                               else ("上" if new > hi else "下"), bpm=spec.tempo_bpm))
        new = float(round(min(max(new, lo), hi)))
        if new != spec.tempo_bpm:
            spec = spec.with_(tempo_bpm=new)
            changes["tempo_bpm"] = new
    elif a.tempo is not None:
        spec = spec.with_(tempo_bpm=a.tempo.bpm)
        changes["tempo_bpm"] = a.tempo.bpm
    if "tempo_bpm" in changes and re.search(
            r"\b(only|just)\b.{0,20}\b(middle|beginning|start|end|ending|intro|outro|chorus|verse|bridge|section|"
            r"part)\b|只.{0,6}(中间|开头|结尾|副歌|主歌|前奏|尾奏|这一段)", text):
        notes.append(note_text("tempo_whole_piece", lang))
    if _RITARDANDO.search(text) and ending_change(text) is None:
        # "slow down at the end": one tempo per piece here, so say so instead of slowing the whole piece
        changes.pop("tempo_bpm", None)
        spec = spec.with_(tempo_bpm=base.tempo_bpm)
        notes.append(note_text("ritardando", lang))
    # key, transposition and mode
    semis = find_transpose(n)
    one_part = find_part_octave(a, spec, text, toks)
    if one_part is not None:  # "can the violin play an octave higher?": that part moves, the key stays
        if one_part.get("part"):
            changes["part_octave"] = one_part
        else:
            notes.append(note_text("no_such_part", lang, part=one_part.get("word", "")))
        semis = None
    melody_only = _MELODY_OCTAVE.search(text)
    if melody_only or (semis and semis % 12 == 0 and any(r == "melody" for r, _ in role_words(text, toks))):
        # "put the melody an octave higher", "旋律高八度": the tune moves, the accompaniment stays
        up = semis > 0 if semis else not re.search(r"lower|drop|down|降|低", melody_only.group(0))
        changes["melody_octave"] = (abs(semis) // 12 if semis else 1) * (1 if up else -1)
        semis = None
    if semis is not None and semis != 0:
        if abs(semis) > 24:
            used = (24 if semis > 0 else -24) if semis % 12 == 0 else (1 if semis > 0 else -1) * (12 + abs(semis) % 12)
            notes.append(note_text("transpose_clamped", lang, asked=semis, used=used))
            changes["transpose_requested"] = semis  # the engine refuses it and keeps the piece as it was
            semis = used
        pc = note_name_to_pc(spec.key) if _is_note(spec.key) else 0
        spec = spec.with_(key=spell_tonic((pc + semis) % 12, spec.mode))
        changes["transpose"] = semis
    else:
        tonics = [k for k in a.keys if k.tonic_pc is not None]
        modes = [k.mode for k in a.keys if k.mode]
        if len(tonics) > 1 and re.search(r"改成|换成|变成|转成|转到|改为|\bto\b|\binto\b",
                                         n.raw[tonics[0].start:tonics[-1].start]):
            tonics = tonics[-1:]  # "E调改成G调", "from E to G": the key after the verb is the new one
        if tonics:
            mode = tonics[0].mode or (modes[0] if modes else spec.mode)
            spec = spec.with_(key=user_spelling(tonics[0], mode), mode=mode)
            changes["key"] = spec.key
            if mode != base.mode:
                changes["mode"] = mode
        elif modes and modes[0] != base.mode:
            mode = modes[0]
            if base.mode.endswith("_pentatonic") and mode in ("major", "minor"):
                mode = f"{mode}_pentatonic"  # "换成小调" on a pentatonic tune keeps it pentatonic
            if mode != base.mode:
                spec = spec.with_(mode=mode, key=spell_tonic(note_name_to_pc(spec.key) if _is_note(spec.key) else 0,
                                                             mode))
                changes["mode"] = mode
    if a.meter is not None and a.meter.time_signature != base.time_signature:
        spec = spec.with_(time_signature=a.meter.time_signature)
        changes["time_signature"] = a.meter.time_signature
    # length
    bpb = beats_per_bar(parse_time_signature(spec.time_signature))
    target = (seconds_to_bars(a.length.seconds, spec.tempo_bpm, bpb)
              if a.length is not None and a.length.seconds is not None else None)  # "加长到一分钟", "shorter, 20 s"
    relative = re.search(r"再加|多加|增加|\bmore\b|\banother\b|\bextra\b|\badditional\b|\bby\b", text) and not re.search(
        r"到|\bto\b", text)
    if intent == "longer" and target is not None and relative:
        target = spec.bars + seconds_to_bars(a.length.seconds, spec.tempo_bpm, bpb)  # "再加两分钟": two minutes more
    if intent == "longer":
        extra = spec.bars if re.search(r"twice as long|double|长一倍|加长一倍|翻倍|加倍|两倍|2倍|\b(?:two|2) times\b", text) else 8
        m = re.search(r"(\d+)\s*(?:more\s+)?(?:bars?|measures?|个?小节)", n.num)
        if m:
            extra = int(m.group(1))
            if not re.search(r"more|extra|another|additional|by|再|多", n.num) and extra > spec.bars:
                extra = extra - spec.bars
        elif target is not None and target > spec.bars:
            extra = target - spec.bars
        extra = max(1, min(extra, 128 - spec.bars)) if spec.bars < 128 else 0
        spec = spec.with_(bars=spec.bars + extra)
        changes["extra_bars"] = extra
    elif intent == "shorter":
        m = re.search(r"(\d+)\s*(?:bars?|measures?|个?小节)", n.num)
        bars = int(m.group(1)) if m else target if target is not None and target < spec.bars else _half(spec.bars)
        if m and re.search(r"删|减少|减掉|去掉|少|砍|\bfewer\b|\bremove\b|\bcut\b|\bdrop\b|\bless\b|\bby\b|\blose\b", text):
            bars = spec.bars - int(m.group(1))  # "删掉最后4小节", "cut 4 bars": that many fewer
        bars = max(1, min(bars, spec.bars))
        spec = spec.with_(bars=bars)
        changes["bars"] = bars
    elif a.length is not None and a.length.bars is not None and a.length.bars != spec.bars:
        spec = spec.with_(bars=a.length.bars)
        changes["bars"] = a.length.bars
    elif target is not None:  # "make it 2 minutes long"
        bars = target
        if bars != spec.bars:
            spec = spec.with_(bars=bars)
            changes["bars"] = bars
    voice = voice_asked(text)
    if voice is not None:  # "换成女声": the sung line moves into that voice's range
        changes["voice"] = voice
    reverb = reverb_change(text)
    if reverb is not None:
        changes["reverb"] = reverb
    ending = ending_change(text)
    if ending is not None:  # "a more epic ending" reshapes the ending; it is not a style or a mood
        changes["ending"] = ending
        spec, part_changes, part_notes = edit_parts(n, a, spec, lang, text, toks)
        changes.update(part_changes)
        return spec, changes, notes + part_notes
    # style and mood
    if a.styles and a.styles[0].style != base.style:
        spec = spec.with_(style=a.styles[0].style)
        changes["style"] = a.styles[0].style
        sd = style_table()[spec.style]
        if a.mood is None and abs(float(sd["arousal"]) - base.arousal) > 0.8:
            # "make it a punk rock song" on a calm piece: the new style's own energy, not a "calm rock" piece
            spec = spec.with_(mood="neutral", valence=float(sd["valence"]), arousal=float(sd["arousal"]))
        lo, hi = (float(x) for x in sd["tempo"])
        if "tempo_bpm" not in changes and not lo <= spec.tempo_bpm <= hi:  # a 70-bpm ballad made punk: punk's tempo
            spec = spec.with_(tempo_bpm=float(round(min(max(spec.tempo_bpm, lo), hi))))
            changes["tempo_bpm"] = spec.tempo_bpm
        spec = _restyled_band(base, spec, a, changes)
    simpler = _simpler_part(text, toks)
    if simpler is not None:  # "make the drums less busy": that part is thinned; the melody stays
        changes["simplify"] = simpler
        return spec, changes, notes
    volume = volume_change(n, a, spec, text, toks)
    if volume is None and not a.instruments.named:
        dyn = _dynamics(text)
        if dyn is not None:  # "softer overall", "加个渐强": how hard it is played, the same notes
            changes["dynamics"] = dyn
            return spec, changes, notes
    if volume is not None:
        if volume.get("part"):
            changes["volume"] = volume
        else:
            notes.append(note_text("nothing_to_change_volume", lang, part=volume["word"]))
        return spec, changes, notes
    nudge = nudges_in(n)
    lessened = not nudge and bool(_less_of_a_mood(text))  # "a bit less sad" stays in its key
    nudge = nudge or _less_of_a_mood(text)
    if "transpose" in changes or "melody_octave" in changes:  # "调子高一点" raised the key; the tune keeps its shape
        nudge.pop("register", None)
    if nudge:
        spec = spec.with_(**{k: round(max(-1.0 if k in ("valence", "arousal") else 0.0,
                                          min(1.0, getattr(spec, k) + v)), 3) for k, v in nudge.items()})
        changes["nudge"] = nudge
    elif a.mood is not None and a.mood.mood != base.mood and not (a.mood.guessed and (
            changes or a.instruments.named or a.instruments.excluded or a.drums is not None)):
        # a guessed mood never rides along with a stated change ("thanks, now make it faster")
        spec = spec.with_(mood=a.mood.mood, valence=a.mood.valence, arousal=a.mood.arousal)
        changes["mood"] = a.mood.mood
    spec = _mood_moves_mode(base, spec, changes, bool(a.keys) or lessened)
    if a.seed is not None:
        spec = spec.with_(seed=a.seed)
        changes["seed"] = a.seed
    spec, part_changes, part_notes = edit_parts(n, a, spec, lang, text, toks)
    changes.update(part_changes)
    notes += part_notes
    return spec, changes, notes


_SIMPLER = re.compile(r"\b(?:less busy|simpler|simplify|simplified|sparser|more sparse|lighter|fewer notes|thin(?:ner)?(?: out)?|"
                      r"calmer|less (?:going on|notes)|too busy|too much|a bit much)\b|简单|稀疏|别那么密|没那么密|太密|太满")
_SIMPLER_ROLES = {"drums": r"\bdrums?\b|\bbeat\b|\bpercussion\b|鼓", "chords": r"\bchords?\b|\bleft hand\b|\baccompaniment\b|"
                  r"\bcomping\b|伴奏|和弦|左手", "bass": r"\bbass(?:line| line)?\b|贝斯|低音"}
_DYNAMICS = (("crescendo", r"\bcrescendo\b|\bbuild(?:s)? up\b|\bbuild(?:ing)? to\b|\bgrow(?:s)? louder\b|渐强|越来越强|越来越响"),
             ("softer", r"^\W*(?:play(?:ed)? (?:it )?)?(?:a (?:bit|little) )?(?:softer|more softly|more gently|gentler|quieter)"
                        r"(?: overall| please| playing)?\W*$|\b(?:softer|quieter|gentler) overall\b|\bplay (?:it )?(?:more )?"
                        r"(?:softly|gently)\b|\band softer\b|弹得轻一点|轻一点弹|整体轻一点"),
             ("harder", r"^\W*(?:play(?:ed)? (?:it )?)?(?:a (?:bit|little) )?(?:harder|more forcefully|with more force)\W*$|"
                        r"\bplay (?:it )?(?:harder|more forcefully|with more punch)\b|弹得重一点|更有力度|力度大一点"))


_METER_STYLES = frozenset({"waltz", "lullaby", "march", "celtic"})  # styles whose meter is part of what they are


def _restyled_band(base: MusicSpec, spec: MusicSpec, a, changes: dict) -> MusicSpec:
    """"Make it jazz": the tune keeps its instrument, the rest of the band becomes the new style's (unless the
    user chose the band), and a waltz or lullaby brings its meter."""
    old_sd, sd = style_table()[base.style], style_table()[spec.style]
    if a.meter is None and spec.style in _METER_STYLES and sd["meter"] != base.time_signature:
        spec = spec.with_(time_signature=sd["meter"])
        changes["time_signature"] = sd["meter"]
    if a.instruments.named or a.instruments.excluded or not spec.accompany:
        return spec
    defaults = {int(p) for p, _ in old_sd.get("instruments", [])}
    if any(i.program not in defaults for i in base.instruments if not i.is_drum and i.role != "melody"):
        return spec  # the user picked these parts: they stay
    lead = next((i for i in base.instruments if i.role == "melody" and not i.is_drum), None)
    band = [i for i in style_instruments(sd) if i.role != "melody"]
    drums = bool(sd["drums"]) if a.drums is None else a.drums
    instruments = ([lead] if lead is not None else style_instruments(sd)[:1]) + band
    instruments += [InstrumentSpec.drums()] if drums else []
    changes["instruments"] = [i.name for i in instruments]
    return spec.with_(instruments=instruments, drums=drums)


def _simpler_part(text: str, toks) -> str | None:
    """"make the drums less busy", "simplify the chords", "左手简单点": the part to thin, or None."""
    if not _SIMPLER.search(text):
        return None
    return next((role for role, words in _SIMPLER_ROLES.items() if re.search(words, text)), None)


def _dynamics(text: str) -> str | None:
    """"softer overall" -> 'softer', "play it harder" -> 'harder', "build up" -> 'crescendo'."""
    return next((kind for kind, words in _DYNAMICS if re.search(words, text)), None)


_LESS = re.compile(r"\b(?:a (?:bit|little) )?(?:less|not so|not as|not quite so)\s+([a-z]+)|"
                   r"(?:不那么|没那么|别那么|不要那么|少一点|少点)([\u4e00-\u9fff]{1,3})")


def _less_of_a_mood(text: str) -> dict[str, float]:
    """"a bit less sad", "没那么悲伤": a step away from that mood, not a jump to its opposite."""
    m = _LESS.search(text)
    if m is None:
        return {}
    word = m.group(1) or m.group(2)
    words = mood_words()
    label = words.get(word) or next((words[w] for w in words if len(w) > 1 and word.startswith(w)), None)
    if label is None or label == "neutral":
        return {}
    d = mood_table()[label]
    out = {k: round(-0.3 if float(d[k]) > 0 else 0.3, 3) for k in ("valence", "arousal") if abs(float(d[k])) >= 0.3}
    return out


_PARALLEL = {"major": "minor", "minor": "major", "major_pentatonic": "minor_pentatonic",
             "minor_pentatonic": "major_pentatonic", "lydian": "minor", "mixolydian": "dorian", "dorian": "major",
             "aeolian": "major", "phrygian": "major", "harmonic_minor": "major", "blues": "major"}


def _mood_moves_mode(base: MusicSpec, spec: MusicSpec, changes: dict, key_named: bool) -> MusicSpec:
    """"Sadder" on a major piece goes to minor, "换成欢快的" on a minor one to major (the same tonic), and a new
    mood moves the tempo with its energy: without that, a sad piece "made happy" sounds just as sad."""
    if "mode" in changes and "mood" not in changes:  # "换成小调" on a happy piece: the label follows the music
        return _relabelled(base, spec, changes["mode"])
    if key_named or "transpose" in changes:
        return spec
    lift = spec.valence - base.valence
    if "mood" in changes or "valence" in changes.get("nudge", {}):
        major = is_major_like(spec.mode)
        if "mood" in changes:  # a named mood: its own sign decides ("romantic" stays major, "sad" goes minor)
            flip = (spec.valence < -0.1 and major) or (spec.valence > 0.1 and not major)
        else:  # "sadder" / "happier": the direction asked for decides
            flip = (lift < 0 and major) or (lift > 0 and not major)
        if flip:
            mode = _PARALLEL.get(spec.mode)
            if mode is not None:
                pc = note_name_to_pc(spec.key) if _is_note(spec.key) else 0
                spec = spec.with_(mode=mode, key=spell_tonic(pc, mode))
                changes["mode"] = mode
                if "mood" not in changes:
                    spec = _relabelled(base, spec, mode)
    if "mood" in changes and "tempo_bpm" not in changes:
        bpm = float(round(min(max(spec.tempo_bpm + 24.0 * (spec.arousal - base.arousal), TEMPO_RANGE[0]), TEMPO_RANGE[1])))
        if abs(bpm - base.tempo_bpm) >= 4:
            spec = spec.with_(tempo_bpm=bpm)
            changes["tempo_bpm"] = bpm
    return spec


def _relabelled(base: MusicSpec, spec: MusicSpec, mode: str) -> MusicSpec:
    """The mood label and valence after a move to minor or major (prompts/moods.json ``mode_flip``)."""
    moods = load_prompt("moods.json")
    to = "to_major" if is_major_like(mode) else "to_minor"
    label = moods["mode_flip"][to].get(base.mood)
    if label is None or is_major_like(mode) == is_major_like(base.mode):
        return spec
    return spec.with_(mood=label, valence=float(moods[label]["valence"]))


def _half(bars: int) -> int:
    """About half the length, ending on a four-bar phrase (14 -> 8, 12 -> 8, 10 -> 4, 16 -> 8)."""
    half = bars / 2
    phrases = [c for c in range(4, bars, 4) if abs(c - half) <= 2]
    return min(phrases, key=lambda c: (abs(c - half), -c)) if phrases else max(1, round(half))


def _is_note(name: str) -> bool:
    try:
        note_name_to_pc(name)
    except ValueError:
        return False
    return True
