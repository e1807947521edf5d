"""What a message wants done: compose, edit, a question, small talk, or a move between versions.

Questions, praise and fresh requests are recognised before the edit finders (``parse_followup``),
because an edit finder reads "is it in minor?" as "in minor".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.cues import cue, cue_patterns, ending_change, note_text, reverb_change
from assistant.lexicon import load_prompt
from assistant.parse_edit import find_transpose, nudges_in, tempo_step
from assistant.parse_followup import (
    described_version,
    dislike_only,
    fresh_description,
    lyrics_question,
    melody_source_question,
    names_a_piece,
    new_piece_requested,
    nth_take,
    opinion_question,
    praise_only,
    question_topic,
    restore_fields,
    style_unnamed,
    version_move,
    version_question,
    voice_asked,
    why_question,
    yes_no_question,
)
from assistant.parse_parts import octaves_asked, role_words
from music.spec import MusicSpec


@dataclass
class IntentFound:
    intent: str
    target_version: int | None = None
    blend_versions: tuple[int, int] | None = None
    question: str | None = None
    explicit: bool = False  # the user asked for this (help) rather than it being a fallback
    notes: list[str] = field(default_factory=list)
    steps: int = 1  # "undo twice"


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


def injection(n) -> bool:
    return cue("injection", n.low) is not None


def _versions(text: str) -> list[int]:
    nums: list[int] = []
    for p in cue_patterns()["version"]:
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
    if cue("help", text):
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
    if current is not None:
        asked = version_question(text)
        if asked is not None:  # "第一版是什么调？" asks about version 1; it does not go back to it
            kind, refs = asked
            if kind == "compare":
                return IntentFound("question", question="compare", blend_versions=(refs[0], refs[1]))
            return IntentFound("question", question=question_topic(text) or "summary", target_version=refs[0])
        if why_question(text) and not _is_request(text):
            return IntentFound("question", question="why:" + (question_topic(text) or "summary"))
        if restore_fields(text):  # "恢复原来的速度": an edit back to the first version's tempo
            return IntentFound("edit")
        described = described_version(text)
        if described is not None:  # "back to the relaxing one": the version that fits those words
            return IntentFound("revert", question="find:" + described)
        take = nth_take(text)
        if take is not None:
            return IntentFound("revert", target_version=take)
        if style_unnamed(text) and not a.styles:
            return IntentFound("chat", question="which_style")
    if current is not None and lyrics_question(text):
        return IntentFound("question", question="lyrics")
    if current is not None and voice_asked(text) and not cue("compose_verbs", text):
        return IntentFound("edit")
    if current is not None and opinion_question(text):
        return IntentFound("question", question="summary")
    if current is not None and yes_no_question(text):  # "is it in minor?" asks; it does not change the key
        return IntentFound("question", question=question_topic(text) or "summary")
    if current is not None and a.musical() and (
            (new_piece_requested(text) and (names_a_piece(text) or bool(a.styles)))
            or (fresh_description(text) and cue("edit_cues", text) is None and cue("variation", text) is None)):
        return IntentFound("compose")  # "ok now something totally different: a rock song", "a sea shanty"
    move = (version_move(text) or version_move(num)) if current is not None else None
    if move is not None:
        if move.intent == "compare":
            return IntentFound("question", question="compare", blend_versions=move.pair)
        if move.intent == "blend":
            return IntentFound("blend", blend_versions=move.pair)
        return IntentFound(move.intent, target_version=move.target, steps=move.steps)
    versions = _versions(num)
    if cue("blend", text) and (versions or re.search(r"version|版", text)):
        if len(versions) >= 2:
            return IntentFound("blend", blend_versions=(versions[0], versions[1]))
        return IntentFound("help", explicit=True, notes=[note_text("blend_needs_two", n.lang)])
    if versions and cue("revert_verbs", text):
        return IntentFound("revert", target_version=versions[0])
    if cue("redo", text):
        return IntentFound("redo")
    if cue("undo", text):
        return IntentFound("undo")
    edit_cue = cue("edit_cues", text) is not None
    if current is not None and cue("files_request", text) and not a.musical():
        return IntentFound("question", question="files")  # "export it as sheet music": every version has files
    if current is not None and reverb_change(text):
        return IntentFound("edit")
    if current is not None and ending_change(text):
        return IntentFound("edit")  # "can you make the ending bigger?" is a request, not a question
    if current is not None and (cue("volume_down", text) or cue("volume_up", text)) and (
            a.instruments.named or a.drums is not None or role_words(text, list(n.tokens) if n.tokens else None)):
        return IntentFound("edit")  # "the drums are too loud" is a request, not a question
    if cue("question_start", text):
        for topic, pats in cue_patterns()["question_topics"].items():
            if any(p.search(text) for p in pats) and not _is_request(text):
                return IntentFound("question", question=topic)
    for intent in ("variation", "regenerate", "longer", "shorter"):  # "another variation" is a variation
        if cue(intent, text):
            if current is None and intent != "variation":
                return IntentFound("compose")
            return IntentFound(intent if current is not None else "compose")
    if re.search(r"\b(new (song|piece|tune|one)|start over|from scratch)\b|新的一首|重新写|换一首新的", text):
        return IntentFound("compose")
    if current is not None and edit_cue:
        return IntentFound("edit")
    if cue("compose_verbs", text):
        return IntentFound("compose")
    if a.musical():
        return IntentFound("edit" if current is not None else "compose")
    if nudges_in(n) or tempo_step(n) is not None or find_transpose(n) is not None or octaves_asked(n.low) is not None:
        return IntentFound("edit")
    if current is None and names_a_piece(text):  # "a song for my mom", "游戏bgm": a piece with the defaults
        return IntentFound("compose")
    return IntentFound("help")


def _is_request(text: str) -> bool:
    """'can you make it faster?' is an edit phrased as a question."""
    return bool(re.search(r"\b(can|could|would) you (make|change|add|remove|use|transpose|play|write|give)\b|"
                          r"\bhow about\b|能不能|可以.{0,4}(改|换|加|去|快|慢)", text))
