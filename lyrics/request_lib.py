"""Does one line of a message read as a request about music rather than a sung line? (pure)

Lyrics are full of words that also occur in requests ("please", "give me",
"piano", "请", "鼓"), so single words decide nothing here. A line counts as a
request only on a *strong* feature: a request verb with a music object
("compose a lullaby", "写一首"), a parameter (bpm, a real meter such as 3/4 but
not 24/7, "in D minor", "2 minutes"), a list bullet or a header
("Instruments:", "要求如下："), a Chinese request construct (来一首, 用琵琶,
加点, 时长, 适合…听), "it should be ...", "with a <instrument or style>", or a
line made only of instrument, style and tempo words ("soft and slow", "harp").
Instrument and style names are read from prompts/instruments.json and
prompts/styles.json.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"

# Instrument or style names that are also everyday lyric words ("with a voice so sweet"): no evidence.
_LYRIC_WORDS = frozenset({
    "voice", "voices", "vocal", "vocals", "singer", "keys", "bells", "horn", "horns", "pipe", "pipes", "pad",
    "dance", "house", "club", "world", "soul", "epic", "movie", "classic", "western", "cue", "mass", "parade",
    "march", "drone", "anthem", "bedtime", "to sleep", "for a baby", "international", "traditional", "indie",
    "alternative", "reel", "invention", "symphony", "cowboy", "humming", "whistle", "recorder", "string",
    "upright", "chimes", "party", "trailer", "thriller", "documentary", "rave", "yoga", "acoustic",
    "religious", "sacred", "carol", "psalm", "brushes", "with brushes", "snare", "sfx", "pizzicato",
})
# Tempo, loudness and feel words that make up a line such as "soft and slow" or "upbeat, with strings".
_FEEL_WORDS = (
    "soft", "softly", "gentle", "gently", "calm", "quiet", "loud", "slow", "slowly", "fast", "faster", "slower",
    "happy", "sad", "bouncy", "dreamy", "warm", "dark", "bright", "peaceful", "relaxing", "energetic", "mellow",
    "cheerful", "upbeat", "melancholy", "melancholic", "romantic", "playful", "lively", "smooth", "chill",
    "cozy", "cosy", "uplifting", "catchy", "simple", "short", "long", "big", "tempo", "feeling", "feel", "vibe",
    "vibes", "mood", "style", "instrumental", "minimal", "sparse", "lush", "moody", "groovy", "ambient",
)
_FILLERS = frozenset({
    "and", "or", "with", "a", "an", "some", "the", "plus", "also", "only", "just", "little", "bit", "of", "very",
    "more", "less", "solo", "lead", "no", "without", "but", "not", "too", "kind", "sort", "lots", "touch",
    "maybe", "then", "quite", "really", "extra", "&", "in", "please", "something", "anything",
})
_ZH_FILLERS = "和与跟及、，,。加配上的点一些再还要用带有请"
# What a style name is followed by in a header line ("摇滚风格", "民谣风", "中国风的感觉"): no lyric content.
_ZH_STYLE_SUFFIX = re.compile(r"曲风|风格|风味|味道|感觉|的?(?:歌|曲子?|版本?)|风|味|版")

_MUSIC_OBJ = (
    r"(?:song|songs|piece|pieces|tune|tunes|beat|beats|music|melody|melodies|track|lullaby|waltz|anthem|jingle|"
    r"instrumental|loop|theme|ballad|ditty|composition|soundtrack|accompaniment|arrangement|groove|riff|"
    r"bassline|chord\s+progression|chords|march)"
)
_VERB = (r"(?:compose|write|make|create|generate|produce|give|arrange|craft|record|need|want|explain"
         r"|(?:i'd|i\s+would|we'd)\s+like|(?:can|could)\s+(?:i|we)\s+(?:get|have|hear)"
         r"|(?:can|could|would|will)\s+you\s+(?:please\s+)?play|please\s+play)")
_NOT_FILLER = r"(?:to|you|your|i|it|that|we|they|he|she|him|her|them|and|but|when|if|in|on|of|for|was|is|are)"
_EN_STRONG = re.compile(
    rf"\b{_VERB}\s+(?:(?:me|us)\s+)?(?:(?:a|an|some|another|one|the|this|my|our|new)\s+)?"
    rf"(?:(?!{_NOT_FILLER}\b)[a-z'-]+\s+){{0,3}}{_MUSIC_OBJ}\b"
    r"|\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:also\s+)?(?:make|write|compose|create|play|do|generate)"
    r"\s+(?:me\s+|us\s+)?(?:something|anything|one)\b"
    r"|\bwhat(?:'s|\s+is)?\s+(?:the\s+)?(?:key|tempo|bpm|time\s+signature|chords?|scale)\b"
    rf"|^\s*(?:a|an|some)\s+(?:[a-z'-]+\s+){{0,3}}?{_MUSIC_OBJ}\s+(?:for|about|with|that|in|like|to|on)\b"
    r"|\b\d{2,3}\s*bpm\b|\bbpm\b|\btempo\b|\btime\s+signature\b|\bkey\s+of\b|\bchord\s+progression\b"
    r"|\baccompaniment\b|\borchestration\b"
    r"|\b\d+\s*(?:seconds?|secs?|minutes?|mins?|bars?|measures?)\b"
    r"|\b(?:about|around|roughly|under|over|at\s+least|at\s+most)\s+(?:one|two|three|four|five|a|half\s+a)\s+minutes?\b"
    r"|\bit\s+should\s+(?:be|sound|feel|have|last|start|end)\b|\bshould\s+sound\b",
    re.IGNORECASE | re.MULTILINE,
)
# "in D minor", "in G major", "in F#": the key letter must be a capital, so "in a minor key" stays a lyric.
_KEY = re.compile(r"\b(?:[Ii]n|key\s+of)\s+[A-G](?:#|b|♯|♭|\s+flat|\s+sharp)?(?:\s*(?:major|minor|maj|min)\b|\s*[,.;]|\s*$)")
# Real time signatures only: 24/7 and 9/11 are not meters.
_METER = re.compile(r"(?<![\d/])(?:2|3|4|5|6|7|9|12)/(?:2|4|8|16)(?![\d/])")
_BULLET = re.compile(r"^\s*(?:[-*•·]\s+|\d{1,2}[.)、](?!\d)\s*|[（(]\d{1,2}[)）]\s*)\S")
_HEADER = re.compile(
    r"^\s*(?:instruments?|instrumentation|style|genre|mood|tempo|key|length|duration|requirements?|notes?|vibe|"
    r"乐器|风格|曲风|情绪|速度|调性|时长|长度|要求|要求如下|具体要求|具体如下)\s*(?:如下)?\s*[:：]",
    re.IGNORECASE,
)
_ZH_STRONG = re.compile(
    r"来一?[首段支]|写一?[首段支]|作一?首|做一?[首段]|编一?首|帮我(?:写|作|编|谱)|给我(?:写|作|做|编|来)一?[首段支个]"
    r"|我?想要一?[首段支]|我要一[首段支]|想听一?[首段支]|生成|作曲|编曲|伴奏|时长|适合.{0,10}(?:听|的时候)"
    r"|加点|加一点|加些|每分钟.{0,4}拍|\d+\s*(?:拍|小节)|[A-G][#b♯♭]?\s*[大小]调|换成[大小]调|升调|降调"
    r"|(?:\d+|[一二两三四五六七八九十半]+)\s*(?:分钟|秒)(?:左右|以内|上下|长)"
    r"|(?:写|配|谱|编)(?:一|个|段|首)*(?:旋律|曲子|曲(?!折|线|径)|调子)|^做成.{0,4}(?:歌|曲)"  # 写个旋律, 配个曲
)
_WITH = r"\b(?:with|featuring|add|adding|bring\s+in|brings\s+in|bringing\s+in|using|use)\s+"
_WITH_DET = r"(?:(?:a|an|some|just|the|more|less|lots\s+of|plenty\s+of|soft|light|gentle|little|solo)\s+)?"
_WITH_AMOUNT = r"(?:(?:bit|touch|hint|dash|little)\s+of\s+)?"


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(English instrument and style phrases, Chinese ones), longest first, from prompts/."""
    inst = json.loads((_PROMPTS / "instruments.json").read_text(encoding="utf-8"))
    styles = json.loads((_PROMPTS / "styles.json").read_text(encoding="utf-8"))
    en: set[str] = set(inst.get("aliases", {})) | set(inst.get("substitutes", {})) | set(inst.get("drum_words_en", []))
    zh: set[str] = set(inst.get("zh", {})) | set(inst.get("zh_substitutes", {})) | set(inst.get("drum_words_zh", []))
    for name in (*inst.get("ensembles", {}), *inst.get("chinese_instruments", [])):
        (zh if re.search(r"[\u4e00-\u9fff]", name) else en).add(name)
    for key, entry in styles.items():
        if not key.startswith("_") and isinstance(entry, dict):
            en.update(entry.get("en", []))
            zh.update(entry.get("zh", []))
    by_length = lambda words: tuple(sorted({w.lower() for w in words if w.strip()}, key=lambda w: (-len(w), w)))  # noqa: E731
    return by_length(en), by_length(zh)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """Regular expressions built from the vocabulary (compiled once)."""
    en, zh = _vocabulary()
    names = "|".join(re.escape(w) for w in en if w not in _LYRIC_WORDS)
    zh_names = "|".join(re.escape(w) for w in zh)
    feel = "|".join(_FEEL_WORDS)
    return {
        "with": re.compile(rf"{_WITH}{_WITH_DET}{_WITH_AMOUNT}(?:{names})\b(?!\s+(?:of|in|on)\b)", re.IGNORECASE),
        "names_en": re.compile(rf"(?<![\w-])(?:{names})(?![\w-])", re.IGNORECASE),
        "only_en": re.compile(rf"(?<![\w-])(?:{names}|{feel})(?![\w-])", re.IGNORECASE),
        "zh_use": re.compile(rf"(?:用|加上?|换成|配上?|以)\s*(?:{zh_names})"),
        "only_zh": re.compile(rf"(?:{zh_names})"),
    }


def _only_vocabulary(line: str) -> bool:
    """A line made only of instrument, style and tempo words: "soft and slow", "upright bass", "中国风"."""
    pats = _patterns()
    if re.search(r"[\u4e00-\u9fff]", line):
        rest, hits = pats["only_zh"].subn("", line)
        rest = _ZH_STYLE_SUFFIX.sub("", rest) if hits else rest
        return hits > 0 and not re.sub(rf"[{_ZH_FILLERS}\s\W]", "", rest)
    rest, hits = pats["only_en"].subn(" ", line.lower())
    words = re.findall(r"[a-z'&]+", rest)
    return hits > 0 and all(w in _FILLERS for w in words) and len(line.split()) <= 8


def is_bullet(line: str) -> bool:
    """'- piano', '1. 中国风', '2、用琵琶': list items belong to requests, not to verse."""
    return bool(_BULLET.match(line))


def is_parameter_line(line: str) -> bool:
    """A line that only sets something (tempo, meter, key, length, instruments): safe to read as the request."""
    text = line.strip()
    return bool(
        _METER.search(text) or _KEY.search(text) or _HEADER.match(text) or _only_vocabulary(text)
        or re.search(r"\b\d{2,3}\s*bpm\b|\btempo\b|每分钟.{0,4}拍", text, re.IGNORECASE)
    )


def is_request_line(line: str) -> bool:
    """Whether a line reads as a request about music (strong features only, see the module docstring)."""
    text = line.strip()
    if not text:
        return False
    pats = _patterns()
    return bool(
        is_parameter_line(text) or is_bullet(text) or _EN_STRONG.search(text) or _ZH_STRONG.search(text)
        or pats["with"].search(text) or pats["zh_use"].search(text)
    )


# Chat with the assistant, not verse: questions, thanks, edits of the piece ("make it faster", "再快一点").
_CHAT_EN = re.compile(
    r"[?？]|^\s*(?:please\s+)?(?:make|add|remove|drop|change|turn|use|try|give|play|undo|redo|switch|swap|replace"
    r"|speed|transpose|export|show|can|could|would|will|what|why|how|thanks|thank|ok|okay|cool|nice|great|also)\b"
    r"|\b(?:faster|slower|louder|quieter|softer|tempo|bpm|drums?|bass|piano|guitar|melody|version|octave|volume"
    r"|instruments?|music|song|tune|piece|track|thanks|please|make\s+it|can\s+you|could\s+you|sounds?\s+(?:good|great)"
    r"|something|anything|birthday|wedding|party|video|game|studying|workout|background|i\s+(?:need|want)|i'd\s+like|let's\s+(?:try|hear|make|go\s+back)|ending|intro|chorus|verse"
    r"|beat|rhythm|chords?|key|harmony|mix|notes?|bars?|seconds|minutes|minor|major"
    r"|too\s+(?:slow|fast|loud|quiet|soft|long|short|high|low|busy|boring|sad|happy|much|sudden))\b",
    re.IGNORECASE,
)
_CHAT_ZH = re.compile(
    r"[?？吗呢]|一点|一些|点儿|谢谢|不错|好听|难听|版|音乐|旋律|曲子|歌曲|伴奏|鼓|节奏|速度|音量|声音|调|快点|慢点|太快|太慢"
    r"|换|加|去掉|删|改|重新|再来|能不能|可以|帮我|给我|我要|想要|想听|来点|来个|来首|请|撤销|回到|女声|男声"
    r"|结尾|开头|前奏|副歌|高潮|和弦|低音|乐器|效果|感觉|有点|太.{1,3}了|那种|适合"
)


def is_chat_line(line: str) -> bool:
    """Whether a line reads as talk to the assistant (a question, thanks, an edit, a lowercase
    continuation, an instrument or style name) rather than as verse.

    Only used where little else tells the two apart: a message of just two lines.
    """
    text = line.strip()
    pats = _patterns()
    return bool(text) and bool(
        _CHAT_EN.search(text) or _CHAT_ZH.search(text) or re.match(r"[a-z]", text)
        or pats["names_en"].search(text) or pats["only_zh"].search(text))


_CONNECTIVES = frozenset({
    "for", "who", "whose", "which", "that", "and", "with", "about", "to", "in", "on", "like", "so", "but",
    "featuring", "using", "where", "when", "or", "maybe", "then", "something",
})


def continues_sentence(previous: str, line: str) -> bool:
    """'Compose a lullaby' / 'for my baby boy': the next line carries on the same sentence in lowercase."""
    prev = previous.rstrip()
    if not prev or prev.endswith((".", "!", "?", ":", "：", "。", "！", "？")):
        return False
    first = re.match(r"\s*([a-z][a-z']*)", line)
    return bool(first and first.group(1) in _CONNECTIVES)

