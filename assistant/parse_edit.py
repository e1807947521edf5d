"""Intents, and follow-up edits parsed relative to the current spec.

'faster' adds a tempo step, 'up a whole step' transposes by 2 semitones and
moves the key, 'use a violin instead' swaps the melody's program, 'add drums'
adds a part, 'happier' nudges valence. ``changes`` uses the keys the chat layer
understands (see ``assistant/parsed.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.lexicon import find_phrases, load_prompt
from assistant.parse_explicit import seconds_to_bars, user_spelling
from assistant.parse_followup import (
    dislike_only,
    fresh_description,
    lyrics_question,
    melody_source_question,
    names_a_piece,
    new_piece_requested,
    opinion_question,
    praise_only,
    question_topic,
    version_move,
    voice_asked,
    yes_no_question,
)
from assistant.parse_instruments import (
    BASS_PROGRAMS,
    CHORD_PROGRAMS,
    PAD_PROGRAMS,
    NamedInstrument,
    already_there_note,
    asks_for_more,
    instrument_words,
    mix_complaint_at,
    parts_named,
    substitution_note,
    too_loud_part,
)
from music.gm import GM_PROGRAMS
from music.score import beats_per_bar, parse_time_signature
from music.spec import TEMPO_RANGE, InstrumentSpec, MusicSpec
from music.theory import is_major_like, note_name_to_pc, spell_tonic


@dataclass
class IntentFound:
    intent: str
    target_version: int | None = None
    blend_versions: tuple[int, int] | None = None
    question: str | None = None
    explicit: bool = False  # the user asked for this (help) rather than it being a fallback
    notes: list[str] = field(default_factory=list)
    steps: int = 1  # "undo twice"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, object]:
    d = load_prompt("intents.json")
    out: dict[str, object] = {}
    for k, v in d.items():
        if isinstance(v, list):
            out[k] = [re.compile(p, re.IGNORECASE) for p in v]
        elif k == "question_topics":
            out[k] = {t: [re.compile(p, re.IGNORECASE) for p in ps] for t, ps in v.items()}
    return out


def _any(name: str, text: str) -> re.Match[str] | None:
    for p in _patterns()[name]:
        m = p.search(text)
        if m:
            return m
    return None


_BIG_DEGREE = ("way", "much", "far", "really", "so", "very")
_SMALL_DEGREE = ("a bit", "a little", "slightly", "a tad", "kind of", "kinda", "somewhat")


@lru_cache(maxsize=1)
def _complaint_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    d = load_prompt("intents.json")
    words = lambda table: "|".join(sorted(map(re.escape, table), key=len, reverse=True))  # noqa: E731
    degree = "|".join(_BIG_DEGREE + _SMALL_DEGREE)
    en = re.compile(rf"(?<!not )(?<!n't )(?<!nor )(?<!neither )\b(?:({degree}) )?too ({words(d['complaints_en'])})\b",
                    re.IGNORECASE)
    zh = re.compile(rf"(?<![不别要])(?:有点|有些|稍微|实在)?太({words(d['complaints_zh'])})了?")
    enough = re.compile(rf"\bnot ({words(d['not_enough_en'])}) enough\b", re.IGNORECASE)
    return en, zh, enough


def complaints_to_requests(text: str) -> str:
    """"It's too fast" -> "It's slower", "太长了" -> "短一点": a complaint asks for the opposite."""
    d = load_prompt("intents.json")
    en, zh, enough = _complaint_patterns()

    def en_sub(m: re.Match[str]) -> str:
        size = "much " if m.group(1) and m.group(1).lower() in _BIG_DEGREE else \
            "a bit " if m.group(1) else ""
        return size + d["complaints_en"][m.group(2).lower()]

    text = en.sub(en_sub, text)
    text = enough.sub(lambda m: d["not_enough_en"][m.group(1).lower()], text)
    return zh.sub(lambda m: d["complaints_zh"][m.group(1)], text)


@lru_cache(maxsize=1)
def _small_talk_patterns() -> dict[str, list[re.Pattern[str]]]:
    table = load_prompt("intents.json")["small_talk"]
    return {k: [re.compile(p, re.IGNORECASE) for p in v] for k, v in table.items()}


def small_talk(text: str) -> str | None:
    """"thanks!", "你好", "I don't like it", "repeat the chorus": about the conversation, not a musical edit."""
    for topic, pats in _small_talk_patterns().items():
        if any(p.search(text) for p in pats):
            return topic
    return None


_DEFINE = re.compile(r"\bwhat(?:'s| is| are)\s+(?:a|an)\b|\bwhat (?:does|do)\b.{1,40}\bmean\b|\bexplain\b|\bdefine\b|"
                     r"\bmeaning of\b|\bdifference between\b|\bwhat(?:'s| is| are) (?:the )?difference\b|"
                     r"\bwhat(?:'s| is| are)\s+(?!the\b|it\b|its\b|this\b|that\b|my\b|your\b)|"
                     r"什么是|什么叫|是什么意思|什么意思|的区别|有什么区别|有什么不同|啥是|解释一下|是啥")


@lru_cache(maxsize=1)
def _glossary_terms() -> list[tuple[str, str]]:
    """(term, entry) pairs, longest term first."""
    table = load_prompt("glossary.json")
    pairs = [(t.lower(), k) for k, v in table.items() if isinstance(v, dict) for t in v["terms"]]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def glossary_entry(text: str) -> str | None:
    """"what is a dominant seventh chord?", "大调和小调有什么区别": the glossary entry asked about."""
    if not _DEFINE.search(text):
        return None
    for term, entry in _glossary_terms():
        if (re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", text) if term.isascii() else term in text):
            return entry
    return None


def _one_of(text: str, first: str, second: str) -> str | None:
    """The cue list (of two opposites) that the text matches, or None when neither or both do."""
    a, b = _any(first, text), _any(second, text)
    return None if bool(a) == bool(b) else (first if a else second)


def reverb_change(text: str) -> int | None:
    """"more reverb" -> +25 on the reverb send, "drier" -> -25; None when not asked."""
    which = _one_of(text, "reverb_up", "reverb_down")
    return None if which is None else (25 if which == "reverb_up" else -25)


def ending_change(text: str) -> str | None:
    """"Make the ending stronger" -> "strong", "fade out at the end" -> "soft"; None when not asked or both."""
    which = _one_of(text, "ending_strong", "ending_soft")
    return None if which is None else which.removeprefix("ending_")


def injection(n) -> bool:
    return _any("injection", n.low) is not None


def _versions(text: str) -> list[int]:
    nums: list[int] = []
    for p in _patterns()["version"]:
        nums += [int(m.group(1)) for m in p.finditer(text)]
    m = re.search(r"\b(?:versions?|v|takes?|第)\s*(\d+)\s*(?:and|&|,|with|和|与|跟|及)\s*(?:version\s*|v|第)?\s*(\d+)", text)
    if m:
        nums = [int(m.group(1)), int(m.group(2))]
    ordinals = load_prompt("numbers.json")["ordinals_en"]
    for word, val in ordinals.items():
        if val > 0 and re.search(rf"\b{word} (?:version|take|one|draft)\b", text):
            nums.append(val)
    return nums


def detect_intent(n, a, current: MusicSpec | None) -> IntentFound:
    """What the message wants done; ``a`` is the message's Attributes."""
    text, num = n.low, n.num
    if not text.strip():
        return IntentFound("help")
    if _any("help", text):
        return IntentFound("help", explicit=True)
    entry = glossary_entry(text)
    if entry is not None:
        return IntentFound("chat", question=f"glossary:{entry}")
    talk = small_talk(text)
    if talk is not None and not (talk == "sections" and ending_change(text)):
        return IntentFound("chat", question=talk)
    if praise_only(text):  # "thanks, that sounds great" praises; it does not ask for a "great" mood
        return IntentFound("chat", question="thanks")
    if current is not None and dislike_only(text):
        return IntentFound("chat", question="dislike")
    if current is not None and melody_source_question(text):
        return IntentFound("question", question="melody_source")
    if current is not None and lyrics_question(text):
        return IntentFound("question", question="lyrics")
    if current is not None and voice_asked(text) and not _any("compose_verbs", text):
        return IntentFound("edit")
    if current is not None and opinion_question(text):
        return IntentFound("question", question="summary")
    if current is not None and yes_no_question(text):  # "is it in minor?" asks; it does not change the key
        return IntentFound("question", question=question_topic(text) or "summary")
    if current is not None and a.musical() and (
            (new_piece_requested(text) and (names_a_piece(text) or bool(a.styles)))
            or (fresh_description(text) and _any("edit_cues", text) is None and _any("variation", text) is None)):
        return IntentFound("compose")  # "ok now something totally different: a rock song", "a sea shanty"
    move = (version_move(text) or version_move(num)) if current is not None else None
    if move is not None:
        if move.intent == "compare":
            return IntentFound("question", question="compare", blend_versions=move.pair)
        if move.intent == "blend":
            return IntentFound("blend", blend_versions=move.pair)
        return IntentFound(move.intent, target_version=move.target, steps=move.steps)
    versions = _versions(num)
    if _any("blend", text) and (versions or re.search(r"version|版", text)):
        if len(versions) >= 2:
            return IntentFound("blend", blend_versions=(versions[0], versions[1]))
        return IntentFound("help", explicit=True, notes=[_note("blend_needs_two", n.lang)])
    if versions and _any("revert_verbs", text):
        return IntentFound("revert", target_version=versions[0])
    if _any("redo", text):
        return IntentFound("redo")
    if _any("undo", text):
        return IntentFound("undo")
    edit_cue = _any("edit_cues", text) is not None
    if current is not None and _any("files_request", text) and not a.musical():
        return IntentFound("question", question="files")  # "export it as sheet music": every version has files
    if current is not None and reverb_change(text):
        return IntentFound("edit")
    if current is not None and ending_change(text):
        return IntentFound("edit")  # "can you make the ending bigger?" is a request, not a question
    if current is not None and (_any("volume_down", text) or _any("volume_up", text)) and (
            a.instruments.named or a.drums is not None or _role_words(text, list(n.tokens) if n.tokens else None)):
        return IntentFound("edit")  # "the drums are too loud" is a request, not a question
    if _any("question_start", text):
        for topic, pats in _patterns()["question_topics"].items():
            if any(p.search(text) for p in pats) and not _is_request(text):
                return IntentFound("question", question=topic)
    for intent in ("variation", "regenerate", "longer", "shorter"):  # "another variation" is a variation
        if _any(intent, text):
            if current is None and intent != "variation":
                return IntentFound("compose")
            return IntentFound(intent if current is not None else "compose")
    if re.search(r"\b(new (song|piece|tune|one)|start over|from scratch)\b|新的一首|重新写|换一首新的", text):
        return IntentFound("compose")
    if current is not None and edit_cue:
        return IntentFound("edit")
    if _any("compose_verbs", text):
        return IntentFound("compose")
    if a.musical():
        return IntentFound("edit" if current is not None else "compose")
    if _nudges(n) or _tempo_step(n) is not None or find_transpose(n) is not None:
        return IntentFound("edit")
    if current is None and names_a_piece(text):  # "a song for my mom", "游戏bgm": a piece with the defaults
        return IntentFound("compose")
    return IntentFound("help")


def _is_request(text: str) -> bool:
    """'can you make it faster?' is an edit phrased as a question."""
    return bool(re.search(r"\b(can|could|would) you (make|change|add|remove|use|transpose|play|write|give)\b|"
                          r"\bhow about\b|能不能|可以.{0,4}(改|换|加|去|快|慢)", text))


def _note(name: str, lang: str, **kw) -> str:
    from assistant.parser import note
    from assistant.replies import ROLE_ZH

    if lang == "zh":  # "bass" in a Chinese reply reads 低音
        kw = {k: ROLE_ZH.get(v, v) if isinstance(v, str) else v for k, v in kw.items()}
    return note(name, lang, **kw)


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
    r"(?P<dir>升高|升|提高|上移|降低|降|下移|移调)\s*(?:了)?\s*(?P<count>\d+|一|两|半)?\s*(?:个)?\s*"
    r"(?P<unit>半音|全音|八度|度|个调|调)")


def find_transpose(n) -> int | None:
    m = _TRANSPOSE_EN.search(n.num)
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
    m = _TRANSPOSE_ZH.search(n.num)
    if m:
        sign = -1 if m.group("dir") in ("降低", "降", "下移") else 1
        count = m.group("count") or "1"
        k = {"一": 1, "两": 2, "半": 0.5}.get(count) or float(count)
        unit = {"半音": 1, "全音": 2, "八度": 12, "度": 1, "个调": 1, "调": 1}[m.group("unit")]
        if m.group("unit") == "度" and count.isdigit():  # 升高五度 = up a fifth
            unit, k = {2: 2, 3: 4, 4: 5, 5: 7, 6: 9, 7: 10, 8: 12}.get(int(count), 0), 1
        return int(round(sign * k * unit))
    vague = _any("key_change_vague", n.low)
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
                     r"提速|更快|快些|速度快|速度提高|加速|(?<![欢轻愉明爽凉痛])快(?=\s*(?:到|至)?\s*\d)")
_SLOWER = re.compile(r"\b(slower|slow (?:it |this |things )?down|less fast|lower the tempo|decrease the tempo|"
                     r"reduce the tempo|tempo down|take it easy)\b|慢一点|慢一些|慢点|放慢|减慢|再慢|降速|更慢|慢些|"
                     r"速度慢|速度降低|减速|慢(?=\s*(?:到|至)?\s*\d)")
_BIG = re.compile(r"\b(much|a lot|way|far|lots|significantly|really|a great deal)\b|很多|得多|多一些|大幅")
_SMALL = re.compile(r"\b(a (?:little|bit|tad|touch)|slightly|a little bit|somewhat|just a bit)\b|稍微|稍稍|一点点|略")


_TEMPO_DOUBLE = re.compile(r"\b(twice as fast|double (?:the )?(?:tempo|speed)|double[- ]time)\b|快一倍|快1倍|速度加倍|"
                           r"速度翻倍|翻倍|加倍|快两倍|快2倍")
_TEMPO_HALVE = re.compile(r"\b(half (?:the )?(?:speed|tempo)|half[- ]time|half as fast|twice as slow)\b|慢一倍|慢1倍|"
                          r"速度减半|慢一半|减半|速度降一半")
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


def _tempo_step(n) -> tuple[str, float] | None:
    """('mul', 2.0) for 'twice as fast', ('add', +12) for 'faster', ('set', 140) for 'speed up to 140'.

    None when the message asks for no relative tempo. A bare number beside 'faster' is read as a target
    when it could be a tempo (30 and up) and as an amount otherwise ('faster, like 5 bpm').
    """
    text, low = n.num, n.low
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


def _nudges(n) -> dict[str, float]:
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


_SWAP_CUE = re.compile(r"\binstead\b|\breplace\b|\bswitch\b|\bchange\b.{0,30}\b(?:to|into|for)\b|\bswap\b|"
                       r"\bturn\b.{0,30}\binto\b|\bmake the \w+ (?:a|an)\b|\b(?:be replaced|be swapped) (?:by|with|for)\b|"
                       r"\b(?:should|could|must|can)\s+be\s+(?:a|an)\s+(?!little\b|bit\b|tad\b|lot\b|touch\b)\w+|"
                       r"\bplay (?:it |this )?on\b|\buse (?:a|an|the)?\s*\w+|\bwith (?:a|an)\s+\w+ (?:lead|melody)|"
                       r"换成|改成|改用|换为|改为|换用|用.{1,6}(?:演奏|弹|拉|吹|来)|代替|替换|替代|变成")
_ADD_CUE = re.compile(r"\b(?:add|adding|bring in|put in|throw in|layer|include|plus|also|too|as well|more|"
                      r"(?:duet|trio|quartet) with|joined by|accompanied by|backed by|alongside|together with)\b|"
                      r"加上|加入|添加|加个|加点|再加|配上|加一个|加一段|加一些|多一点|多点|多一些|加")
_REMOVE_CUE = re.compile(r"\b(?:remove|drop|lose|take out|get rid of|mute|without|no more|cut|delete|kill|no)\b|"
                         r"去掉|删掉|拿掉|删除|不要(?!太)|去除|取消|静音")
_ROLE_WORDS = {"bass": "bass", "bass line": "bass", "bassline": "bass", "chords": "chords", "accompaniment": "chords",
               "comping": "chords", "pad": "pad", "pads": "pad", "counter-melody": "counter", "countermelody": "counter",
               "counter melody": "counter", "melody": "melody", "lead": "melody", "drums": "drums", "drum": "drums",
               "percussion": "drums", "beat": "drums", "低音": "bass", "贝斯": "bass", "伴奏": "chords", "和弦": "chords",
               "铺底": "pad", "副旋律": "counter", "旋律": "melody", "主旋律": "melody", "鼓": "drums", "鼓点": "drums"}
_TRUE_BASS = frozenset(range(32, 40)) | {43, 58}
_ROLE_DEFAULT_PROGRAM = {"bass": 33, "chords": 0, "pad": 89, "counter": 73, "melody": 0}


_TARGET_CUE = re.compile(r"\b(?:to|into|with|for|by)\b|(?<=\w )an?(?= \w)|换成|改成|改为|换为|变成|改用|换用")
_SOURCE_CUE = re.compile(r"\binstead of\b|代替|替代|取代")


def _swap_sides(text: str, named: list[NamedInstrument],
                roles: list[tuple[str, int]]) -> tuple[list[tuple[int, str | None, str]], list[NamedInstrument]]:
    """Which mentioned part is replaced and which instruments replace it, by where they stand.

    "change the flute to violin", "replace X with Y", "把X换成Y": the part before the cue is
    replaced; "use Y instead of X", "用Y代替X": the part after "instead of" / 代替 is. Sources
    are (program or -1, role word's role or None, the user's word).
    """
    role_at = {start: role for role, start in roles}
    items = sorted([(n.start, n.program, role_at.get(n.start), n.word) for n in named]
                   + [(start, -1, role, role) for role, start in roles
                      if role != "melody" and not any(n.start == start for n in named)])
    m = _SOURCE_CUE.search(text)
    if m:
        src = [x for x in items if x[0] >= m.end()][:1]
        targets = [n for n in named if not src or n.start != src[0][0]]
    else:
        src, targets = [], list(named)
        for cue in _TARGET_CUE.finditer(text):
            after = [n for n in named if n.start >= cue.end()]
            before = [x for x in items if x[0] < cue.start()]
            if after:
                if before:
                    src, targets = before[-1:], after
                break
    return [(x[1], x[2], x[3]) for x in src], targets or list(named)


def _role_of_program(program: int) -> str:
    if program in BASS_PROGRAMS:
        return "bass"
    if program in PAD_PROGRAMS:
        return "pad"
    if program in CHORD_PROGRAMS:
        return "chords"
    return "counter"


def _with_instrument(spec: MusicSpec, role: str, program: int) -> list[InstrumentSpec]:
    new = InstrumentSpec(GM_PROGRAMS[program], program, role)
    out, done = [], False
    for inst in spec.instruments:
        if inst.role == role and not done:
            out.append(new)
            done = True
        else:
            out.append(inst)
    return out if done else out + [new]


def _role_words(text: str, tokens) -> list[tuple[str, int]]:
    return [(_ROLE_WORDS[m.phrase], m.start) for m in find_phrases(text, tuple(_ROLE_WORDS), tokens)]


def apply_edits(n, a, base: MusicSpec, lang: str, intent: str = "edit") -> tuple[MusicSpec, dict, list[str]]:
    """The current spec with the message's changes applied, the ``changes`` dict, and notes."""
    changes: dict = {}
    notes: list[str] = []
    spec = base
    text = n.low
    toks = list(n.tokens) if n.tokens else None
    # tempo
    step = _tempo_step(n)
    if a.tempo is not None and a.tempo.source == "number" and (step is None or step[0] not in ("add", "set")):
        spec = spec.with_(tempo_bpm=a.tempo.bpm)
        changes["tempo_bpm"] = a.tempo.bpm
    elif step is not None:
        kind, v = step
        new = spec.tempo_bpm * v if kind == "mul" else spec.tempo_bpm + v if kind == "add" else v
        lo, hi = TEMPO_RANGE
        if (new > hi and spec.tempo_bpm >= hi) or (new < lo and spec.tempo_bpm <= lo):
            notes.append(_note("tempo_limit", lang, edge=("upper" if new > hi else "lower") if lang != "zh"
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
        notes.append(_note("tempo_whole_piece", lang))
    # key, transposition and mode
    semis = find_transpose(n)
    melody_only = _MELODY_OCTAVE.search(text)
    if melody_only or (semis and semis % 12 == 0 and any(r == "melody" for r, _ in _role_words(text, toks))):
        # "put the melody an octave higher", "旋律高八度": the tune moves, the accompaniment stays
        up = semis > 0 if semis else not re.search(r"lower|drop|down|降|低", melody_only.group(0))
        changes["melody_octave"] = (abs(semis) // 12 if semis else 1) * (1 if up else -1)
        semis = None
    if semis is not None and semis != 0:
        if abs(semis) > 24:
            used = (24 if semis > 0 else -24) if semis % 12 == 0 else (1 if semis > 0 else -1) * (12 + abs(semis) % 12)
            notes.append(_note("transpose_clamped", lang, asked=semis, used=used))
            changes["transpose_requested"] = semis  # the engine refuses it and keeps the piece as it was
            semis = used
        pc = note_name_to_pc(spec.key) if _is_note(spec.key) else 0
        spec = spec.with_(key=spell_tonic((pc + semis) % 12, spec.mode))
        changes["transpose"] = semis
    else:
        tonics = [k for k in a.keys if k.tonic_pc is not None]
        modes = [k.mode for k in a.keys if k.mode]
        if tonics:
            mode = tonics[0].mode or (modes[0] if modes else spec.mode)
            spec = spec.with_(key=user_spelling(tonics[0], mode), mode=mode)
            changes["key"] = spec.key
            if mode != base.mode:
                changes["mode"] = mode
        elif modes and modes[0] != base.mode:
            spec = spec.with_(mode=modes[0], key=spell_tonic(note_name_to_pc(spec.key) if _is_note(spec.key) else 0,
                                                              modes[0]))
            changes["mode"] = modes[0]
    if a.meter is not None and a.meter.time_signature != base.time_signature:
        spec = spec.with_(time_signature=a.meter.time_signature)
        changes["time_signature"] = a.meter.time_signature
    # length
    bpb = beats_per_bar(parse_time_signature(spec.time_signature))
    target = (seconds_to_bars(a.length.seconds, spec.tempo_bpm, bpb)
              if a.length is not None and a.length.seconds is not None else None)  # "加长到一分钟", "shorter, 20 s"
    if intent == "longer":
        extra = spec.bars if re.search(r"twice as long|double|长一倍|加长一倍", text) else 8
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
        spec, part_changes, part_notes = _edit_parts(n, a, spec, lang, text, toks)
        changes.update(part_changes)
        return spec, changes, notes + part_notes
    # style and mood
    if a.styles and a.styles[0].style != base.style:
        spec = spec.with_(style=a.styles[0].style)
        changes["style"] = a.styles[0].style
    volume = _volume_change(n, a, spec, text, toks)
    if volume is not None:
        if volume.get("part"):
            changes["volume"] = volume
        else:
            notes.append(_note("nothing_to_change_volume", lang, part=volume["word"]))
        return spec, changes, notes
    nudge = _nudges(n)
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
    spec = _mood_moves_mode(base, spec, changes, bool(a.keys))
    if a.seed is not None:
        spec = spec.with_(seed=a.seed)
        changes["seed"] = a.seed
    spec, part_changes, part_notes = _edit_parts(n, a, spec, lang, text, toks)
    changes.update(part_changes)
    notes += part_notes
    return spec, changes, notes


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
        if (lift < 0 and major) or (lift > 0 and not major):
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


def _edit_parts(n, a, spec: MusicSpec, lang: str, text: str, toks) -> tuple[MusicSpec, dict, list[str]]:
    """Swap, add and remove parts, and drums on/off: every part the message names, not only the first."""
    named: list[NamedInstrument] = list(a.instruments.named)
    excluded: list[NamedInstrument] = list(a.instruments.excluded)
    roles = _role_words(text, toks)
    keep = _keep_only_start(text)
    if keep is not None and (named or excluded or roles):  # "everything except the piano" negates it
        kept_named = [x for x in named + excluded if x.start >= keep] or named + excluded
        kept_roles = [r for r in roles if r[1] >= keep] or roles
        return _keep_only(spec, kept_named, kept_roles, lang)
    if _SWAP_CUE.search(text) and named:  # replace X with Y / change X to Y / 把X换成Y / use Y instead of X
        return _swap_parts(spec, text, named, roles, lang)
    remove, adding = _REMOVE_CUE.search(text), _ADD_CUE.search(text)
    drums_off = a.drums is False or (bool(remove) and any(r == "drums" for r, _ in roles) and not named)
    removable = [x for x in named if remove and x.start > remove.start()] if not (adding or drums_off) else []
    victims = excluded or removable  # "delete the piano"; in "no drums, piano" the piano stays
    role_victims = [r for r, _ in roles if r not in ("drums", "melody")] if remove and not victims else []
    spec, changes, notes = _remove_parts(spec, victims, role_victims, drums_off, lang)
    newcomers = [x for x in named if x not in victims] if adding else []
    role_only = [r for r, _ in roles if r not in ("drums", "melody")] if adding and not named and not victims else []
    spec, added, more = _add_parts(spec, newcomers, roles, role_only, a.drums is True, text, lang)
    if added:
        changes["add_part"] = added[0] if len(added) == 1 else added
    notes += more
    if named and not changes and not notes and not (remove or adding):
        return _named_takes_the_melody(spec, named, roles, lang)
    return spec, changes, notes


def _keep_only_start(text: str) -> int | None:
    """Where a keep-only request begins: 'only keep', '只留', 'everything except', or a message that is just
    'only' / 'just' and a list of parts ('only piano and bass', 'just the guitar and drums please')."""
    m = _any("keep_only", text)
    if m is not None:
        return m.start()
    listed = re.fullmatch(r"\s*(?:(?:ok(?:ay)?|now|then|so)[,\s]+)?(?:only|just)\s+(.+?)[\s.!]*", text)
    if listed is None:
        return None
    words = set(instrument_words()) | set(_ROLE_WORDS)
    pieces = re.split(r"\s*(?:,|&|\+|\band\b|\bplus\b)\s*", re.sub(r"\s*\bplease\b", "", listed.group(1)))
    bare = [re.sub(r"^(?:the|a|an)\s+", "", p).strip() for p in pieces]
    return 0 if len(bare) > 1 and all(b in words or b.rstrip("s") in words for b in bare) else None


def _remove_parts(spec: MusicSpec, victims: list[NamedInstrument], role_victims: list[str], drums_off: bool,
                  lang: str) -> tuple[MusicSpec, dict, list[str]]:
    """Take out every named part ('lose the bass', 'no more harp', 'no synths': each synth part); the tune is
    handed to another part rather than lost, and a part that is not there is said to be missing."""
    changes: dict = {}
    notes: list[str] = []
    targets: list[InstrumentSpec] = []
    missing: list[str] = []
    for v in victims:
        hit = _parts_for(spec, v)
        targets += [h for h in hit if h not in targets]
        missing += [] if hit else [v.word]
    for r in role_victims:
        hit = [i for i in spec.instruments if i.role == r and not i.is_drum]
        targets += [h for h in hit if h not in targets]
        missing += [] if hit else [r]
    for word in dict.fromkeys(missing):
        notes.append(_note("nothing_to_remove", lang, part=word))
    spec, targets, moved = _hand_on_the_melody(spec, targets, lang, notes)
    if moved:
        changes["swap"] = moved
    labels = [_removal_label(spec, t, targets) for t in targets]
    spec = spec.with_(instruments=[i for i in spec.instruments if i not in targets])
    if drums_off and spec.drums:
        spec = spec.with_(drums=False, instruments=[i for i in spec.instruments if not i.is_drum])
        labels.append("drums")
    elif drums_off:
        notes.append(_note("nothing_to_remove", lang, part="drums" if lang != "zh" else "鼓"))
    labels = list(dict.fromkeys(labels))
    if labels:
        changes["remove_part"] = labels[0] if len(labels) == 1 else labels
    return spec, changes, notes


def _hand_on_the_melody(spec: MusicSpec, targets: list[InstrumentSpec], lang: str,
                        notes: list[str]) -> tuple[MusicSpec, list[InstrumentSpec], dict | None]:
    """'Remove the piano' when the piano sings: the tune moves to the next part, or stays with a note."""
    melody = next((t for t in targets if t.role == "melody"), None)
    if melody is None:
        return spec, targets, None
    heir = next((i for r in ("counter", "chords", "accompaniment", "pad") for i in spec.instruments
                 if i.role == r and not i.is_drum and i not in targets), None)
    rest = [t for t in targets if t is not melody]
    if heir is None:
        notes.append(_note("melody_only_part", lang))
        return spec, rest, None
    notes.append(_note("melody_moved", lang, instrument=GM_PROGRAMS[heir.program]))
    spec = spec.with_(instruments=_with_instrument(spec, "melody", heir.program))
    return spec, rest, {"role": "melody", "program": heir.program, "name": GM_PROGRAMS[heir.program]}


def _removal_label(spec: MusicSpec, part: InstrumentSpec, targets: list[InstrumentSpec]) -> str:
    """The role when the whole role goes, else the instrument's name (one of two counter lines)."""
    shared = any(i.role == part.role and i not in targets for i in spec.instruments)
    return GM_PROGRAMS[part.program].lower() if shared else part.role


def _add_parts(spec: MusicSpec, newcomers: list[NamedInstrument], roles: list[tuple[str, int]], role_only: list[str],
               drums_on: bool, text: str, lang: str) -> tuple[MusicSpec, list[str], list[str]]:
    """Add every named part ('加鼓和贝斯', '加个小提琴和大提琴'); one the piece has is said, not doubled,
    and a new low string beside an existing bass gets its own line instead of doubling the bass."""
    added: list[str] = []
    notes: list[str] = []
    if drums_on and not spec.drums:
        spec = spec.with_(drums=True, instruments=[*spec.instruments, InstrumentSpec.drums()])
        added.append("drums")
    role_word = next((r for r, _ in roles if r not in ("melody", "drums")), None) if len(newcomers) == 1 else None
    another = re.search(r"\b(?:another|second|extra|one more)\b|再加一|第二", text)
    for item in newcomers:
        if parts_named(spec.instruments, item.program, item.word) and not another:
            notes.append(already_there_note(item.word, lang))
            continue
        role = role_word or _role_of_program(item.program)
        if role == "melody" or (role == "bass" and any(i.role == "bass" for i in spec.instruments)):
            role = "counter"
        spec = spec.with_(instruments=[*spec.instruments, InstrumentSpec(GM_PROGRAMS[item.program], item.program, role)])
        added.append(role)
        if item.substitute:
            notes.append(substitution_note(item, lang))
    for role in role_only[:1]:  # "add a pad", "add a counter-melody": the role's usual instrument
        spec = spec.with_(instruments=_with_instrument(spec, role, _ROLE_DEFAULT_PROGRAM.get(role, 0)))
        added.append(role)
    return spec, added, notes


def _named_takes_the_melody(spec: MusicSpec, named: list[NamedInstrument], roles: list[tuple[str, int]],
                            lang: str) -> tuple[MusicSpec, dict, list[str]]:
    """'On violin', '用小提琴' with no other cue: the named instrument takes the melody. Naming a part the piece
    already has, without asking for the tune ('the bass ...', 'the guitar and the violin ...'), changes nothing."""
    target = named[0]
    if any(i.role == "melody" and i.program == target.program for i in spec.instruments):
        return spec, {}, []  # already so
    present = parts_named(spec.instruments, target.program, target.word)
    asks_for_tune = any(r == "melody" for r, _ in roles)
    if present and not asks_for_tune and (len(named) > 1 or any(p.role == "bass" for p in present)):
        return spec, {}, []
    spec = spec.with_(instruments=_with_instrument(spec, "melody", target.program))
    notes = [substitution_note(target, lang)] if target.substitute else []
    return spec, {"swap": {"role": "melody", "program": target.program, "name": GM_PROGRAMS[target.program]}}, notes


def _swap_parts(spec: MusicSpec, text: str, named: list[NamedInstrument], roles: list[tuple[str, int]],
                lang: str) -> tuple[MusicSpec, dict, list[str]]:
    """Replace the part named first with the instrument named after it; a plain word swaps every part of its
    family ('吉他换成尤克里里' changes both guitars)."""
    changes: dict = {}
    notes: list[str] = []
    sources, targets = _swap_sides(text, named, roles)
    src_role = None
    family: list[InstrumentSpec] = []
    if sources:
        program, word_role, word = sources[0]
        family = _parts_for(spec, NamedInstrument(program, word, False, -1)) if program >= 0 and not word_role else []
        src_role = word_role or (family[0].role if family else None)
        if src_role == "drums":
            notes.append(_note("drums_not_swappable", lang, instrument=GM_PROGRAMS[targets[0].program]))
            return spec, changes, notes
        if src_role is None or not any(i.role == src_role for i in spec.instruments):
            notes.append(_note("nothing_to_replace", lang, part=word))
            return spec, changes, notes
    explicit_role = next((r for r, _ in roles if r not in ("drums",)), None)
    if not src_role and explicit_role and explicit_role != "melody":
        src_role = explicit_role if any(i.role == explicit_role for i in spec.instruments) else None
    first = targets[0]
    role = src_role or ("bass" if first.program in _TRUE_BASS and explicit_role != "melody"
                        and any(i.role == "bass" for i in spec.instruments) else "melody")
    plan = [(role, first)] + [(p.role, first) for p in family if p.role != role]
    if not sources and len(targets) >= 2:  # "换成钢琴和大提琴": the second takes the accompaniment
        plan.append((_role_of_program(targets[1].program), targets[1]))
    swaps = []
    for r, t in dict.fromkeys(plan):
        if next((i.program for i in spec.instruments if i.role == r), None) == t.program:
            continue  # already so
        spec = spec.with_(instruments=_with_instrument(spec, r, t.program))
        swaps.append({"role": r, "program": t.program, "name": GM_PROGRAMS[t.program]})
        if t.substitute and substitution_note(t, lang) not in notes:
            notes.append(substitution_note(t, lang))
    if swaps:
        changes["swap"] = swaps[0] if len(swaps) == 1 else swaps
    return spec, changes, notes


def _parts_for(spec: MusicSpec, item: NamedInstrument) -> list[InstrumentSpec]:
    """The parts a mention names; a word that is also a role ('the pad', 'the bass') names whoever plays it."""
    hit = parts_named(spec.instruments, item.program, item.word)
    role = _ROLE_WORDS.get(item.word)
    return hit or ([i for i in spec.instruments if i.role == role and not i.is_drum] if role else [])


def _keep_only(spec: MusicSpec, named: list[NamedInstrument], roles: list[tuple[str, int]],
               lang: str) -> tuple[MusicSpec, dict, list[str]]:
    """"Everything except the piano", "只留钢琴", "只保留吉他和鼓": the named parts stay (a plain 'guitar' is every
    guitar), the rest go; the tune is never lost."""
    changes: dict = {}
    notes: list[str] = []
    chosen = [p for x in named for p in _parts_for(spec, x)]
    found_bass = any(x.program in BASS_PROGRAMS and _parts_for(spec, x) for x in named)
    wanted_roles = {r for r, _ in roles} - ({"bass"} if found_bass else set())
    kept = [i for i in spec.instruments if (not i.is_drum and i in chosen) or i.role in wanted_roles]
    if not kept:
        word = named[0].word if named else roles[0][0]
        notes.append(_note("nothing_to_replace", lang, part=word))
        return spec, changes, notes
    if not any(i.role == "melody" for i in kept):
        heir = next((i for i in kept if not i.is_drum), None)
        if heir is not None:
            changes["swap"] = {"role": "melody", "program": heir.program, "name": GM_PROGRAMS[heir.program]}
            kept = [i for i in kept if i is not heir] + [InstrumentSpec(heir.name, heir.program, "melody")]
    keep_roles = {i.role for i in kept}
    gone = sorted({i.role for i in spec.instruments if i.role not in keep_roles})
    if gone:
        changes["remove_part"] = gone
    instruments = [i for i in spec.instruments if i.role in keep_roles]
    if "swap" in changes:
        instruments = _with_instrument(spec.with_(instruments=instruments), "melody", changes["swap"]["program"])
    return spec.with_(instruments=instruments, drums=any(i.is_drum for i in instruments)), changes, notes


def _volume_change(n, a, spec: MusicSpec, text: str, toks) -> dict | None:
    """"Make the strings quieter" / "鼓声小一点": {part, db}, or {part: None, word} when the part isn't there.

    Only when a part is named: "quieter" alone stays a mood nudge (calmer). A mix complaint that names two
    parts moves the one it blames ('the guitar is drowning out the violin': the guitar comes down), and
    'the bass softer and the cello louder' is read clause by clause (the first part named is moved).
    """
    named = list(a.instruments.named) + list(a.instruments.excluded)
    loud = too_loud_part(text, sorted(named, key=lambda x: x.start))
    if loud is not None:
        return _named_volume(spec, loud, -6.0)
    over = mix_complaint_at(text)
    loud_role = next((r for r, at in _role_words(text, toks) if over is not None and at < over), None)
    if loud_role is not None:  # "the drums are drowning out the melody"
        present = spec.drums if loud_role == "drums" else any(i.role == loud_role for i in spec.instruments)
        return {"part": loud_role, "db": -6.0} if present else {"part": None, "word": loud_role}
    down, up = _any("volume_down", text), _any("volume_up", text) or asks_for_more(text)
    if down and up:
        return _clause_volume(spec, text, named)
    if not (down or up):
        return None
    roles = [r for r, _ in _role_words(text, toks)]
    if a.drums is not None and "drums" not in roles:
        roles.append("drums")
    if not named and not roles:
        return None
    much = re.search(r"\b(much|a lot|way|far|really)\b|很多|非常|太", text)
    more_of = bool(up) and bool(re.search(r"\bmore\b|再加|多一点|多点|多一些", text))  # "more strings"
    db = (10.0 if much else 6.0) * (1 if up else -1)
    if named:
        change = _named_volume(spec, named[0], db)
        if change["part"] is not None:
            return change
        if more_of:
            return None  # "more strings" with no strings: add them
        if not roles:  # "the bass" may name the bass part even when a cello plays it
            return change
    role = roles[0]
    present = spec.drums if role == "drums" else any(i.role == role for i in spec.instruments)
    if not present and more_of:
        return None  # "more strings" with no strings: add them
    return {"part": role, "db": db} if present else {"part": None, "word": role}


def _named_volume(spec: MusicSpec, item: NamedInstrument, db: float) -> dict:
    """The volume change for one named part, or {part: None, word} when the piece has no such part."""
    hit = _parts_for(spec, item)
    if not hit:
        return {"part": None, "word": item.word}
    return {"part": hit[0].role, "program": hit[0].program, "db": db}  # that part, not every part of its role


def _clause_volume(spec: MusicSpec, text: str, named: list[NamedInstrument]) -> dict | None:
    """'Could the bass be a little softer and the cello a bit louder?': the first clause that names a part
    and one direction decides (one volume change per message)."""
    cuts = [0] + [m.end() for m in re.finditer(r",|，|;|；|\bbut\b|\band\b|但是?|而且?|同时", text)] + [len(text)]
    found: list[dict] = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        clause = text[lo:hi]
        down, up = _any("volume_down", clause), _any("volume_up", clause) or asks_for_more(clause)
        item = next((x for x in sorted(named, key=lambda x: x.start) if lo <= x.start < hi), None)
        if item is not None and bool(down) != bool(up):
            much = re.search(r"\b(much|a lot|way|far|really)\b|很多|非常|太", clause)
            found.append(_named_volume(spec, item, (10.0 if much else 6.0) * (1 if up else -1)))
    if not found:
        return None
    first, rest = found[0], [f for f in found[1:] if f.get("part")]
    return {**first, "also": rest} if rest else first  # each clause moves its own part
