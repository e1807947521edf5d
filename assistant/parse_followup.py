"""Follow-up messages that must not become edits: yes/no questions, praise, and a fresh request.

Each is a pure function of the lower-cased message. They run before the edit finders, because
an edit finder reads "is it in minor?" as "in minor" and "thanks, that sounds great" as a mood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "is it in minor?", "does it have a bass line?", "are there drums?": a question, never an edit
_YES_NO_EN = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|hmm+|um+|wait)[\s,]+)?(?:is|are|does|do|did|was|were|has|have|isn'?t|aren'?t|"
    r"doesn'?t|don'?t)\s+(?:it|this|that|there|the|its|any|my|your|these|those|this one|that one)\b")
# "is it possible to make it faster?", "is there a way to add drums?" ask for a change
_ASKS_FOR_CHANGE_EN = re.compile(r"\b(?:possible|a way|any way|any chance)\b|\bcan you\b|\bcould you\b|\bplease\b")
_YES_NO_ZH = re.compile(r"(?:吗|么|嘛)\s*[？?]?\s*$|是不是|有没有|是否")
# "能加个鼓吗", "可以快一点吗", "把它改成小调好吗": requests phrased as questions
_ASKS_FOR_CHANGE_ZH = re.compile(
    r"^\W*(?:能不能|能否|可不可以|可以|能|麻烦|请|帮我|帮忙|给我|把|再|让)|(?:能|可以|可不可以|行不行|好不好|好吗|行吗)"
    r".{0,2}\s*[？?]?\s*$|(?:能|可以).{1,12}(?:吗|么)")

# Topics of a yes/no question, from its words (the answer names what the piece has or is)
_TOPIC_WORDS = (
    ("melody_source", r"\bwho\b.{0,12}\b(?:wrote|write|made|make|composed|compose|created|generated)\b|"
                      r"\bhow (?:did|do) you (?:make|write|compose|create|generate)\b|\b(?:is it|was it) (?:ai|a "
                      r"computer|human|real|original)\b|谁(?:写|作|做|创作)的|怎么(?:写|做|生成|创作)的|是ai|是人"),
    ("key", r"\b(?:major|minor|key|scale|mode)\b|大调|小调|调性|什么调|调式"),
    ("meter", r"\b(?:time signature|meter|metre|waltz time|\d/\d)\b|拍号|几拍|拍子"),
    ("tempo", r"\b(?:fast|faster|slow|slower|quick|tempo|bpm|speed)\b|速度|(?<![欢轻愉明爽凉痛])快|慢"),
    ("bars", r"\b(?:long|short|length|bars|minutes?|seconds?)\b|多长|长度|时长|小节"),
    ("instruments", r"\b(?:bass|drums?|piano|guitar|strings?|violin|cello|flute|melody|instruments?|played|"
                    r"playing|synths?|horns?|brass|sax\w*|trumpet|voice|vocals?)\b|乐器|鼓|贝斯|低音|钢琴|吉他|弦乐|"
                    r"小提琴|大提琴|笛|旋律|人声"),
    ("chords", r"\b(?:chords?|harmony|progression)\b|和弦|和声"),
    ("style", r"\b(?:style|genre|jazz|rock|pop|folk|classical|blues)\b|风格|曲风"),
    ("mood", r"\b(?:mood|happy|sad|feel|feeling|emotion\w*)\b|情绪|感觉|心情|欢快|悲伤"),
)


def yes_no_question(text: str) -> bool:
    """A question that asks what the piece is ("is it in minor?", "有鼓吗？"), not for a change."""
    t = text.strip()
    if _YES_NO_EN.search(t):
        return not _ASKS_FOR_CHANGE_EN.search(t)
    if _YES_NO_ZH.search(t):
        return not _ASKS_FOR_CHANGE_ZH.search(t)
    return False


def question_topic(text: str) -> str | None:
    """What a question is about, from its words; None when it names nothing we can answer specifically."""
    for topic, pattern in _TOPIC_WORDS:
        if re.search(pattern, text):
            return topic
    return None


def opinion_question(text: str) -> bool:
    """"what do you think?", "你觉得怎么样？": answered with what the piece is."""
    return bool(re.search(r"\bwhat do you think\b|\bhow does it sound\b|\bdo you like it\b|你觉得(?:怎么样|如何|好听吗|呢)|"
                          r"你怎么看", text))


def melody_source_question(text: str) -> bool:
    """"who wrote the melody?", "谁写的？": asks how the piece was made."""
    return bool(re.search(_TOPIC_WORDS[0][1], text))


# Praise and thanks, with the fillers people wrap around them ("thanks, that sounds great!")
_PRAISE_EN = frozenset(
    "thanks thank thx ty cheers great perfect awesome nice cool lovely brilliant excellent fantastic amazing "
    "wonderful beautiful gorgeous superb incredible sweet neat good love like best fab fabulous stunning "
    "bravo wow yay impressive enjoy loves".split())
_FILLER_EN = frozenset(
    "you so much very a lot that that's thats it it's its this is sounds sound really ok okay oh yes yeah i "
    "you're youre are the job well done exactly what wanted just right spot on truly totally absolutely pretty "
    "quite super man dude mate buddy all indeed now song tune piece track music one version she he they we "
    "loves liked likes enjoyed enjoys my mom dad wife husband kids friend friends".split())
_PRAISE_ZH = ("谢谢你", "谢谢", "多谢", "感谢", "谢啦", "太棒了", "很棒", "真棒", "好棒", "棒", "很好听", "真好听", "好好听",
              "太好听了", "好听", "不错", "挺好", "很好", "非常好", "太好了", "完美", "喜欢", "满意", "厉害", "牛", "赞",
              "就这样吧", "就这样", "可以了", "好了", "好的", "行了", "辛苦了", "辛苦")
_FILLER_ZH = re.compile(r"[\s，,。.！!~～、?？…]|[了啊呀哦嗯吧啦哈呢的很真太非常挺这个首曲子歌我你们它]")


def praise_only(text: str) -> bool:
    """Thanks or praise and nothing else: "thanks, that sounds great", "不错！很好听", "好了，就这样吧，谢谢"."""
    t = text.strip().lower()
    if not t:
        return False
    if re.search(r"[\u4e00-\u9fff]", t):
        rest = t
        hit = False
        for word in sorted(_PRAISE_ZH, key=len, reverse=True):
            if word in rest:
                hit = True
                rest = rest.replace(word, " ")
        return hit and not _FILLER_ZH.sub("", rest)
    words = re.findall(r"[a-z']+", t)
    if not words or len(words) > 14 or re.search(r"\bbut\b|\bnot\b|n't\b|\bcould\b|\bcan\b|\bmake\b", t):
        return False
    return any(w in _PRAISE_EN for w in words) and all(w in _PRAISE_EN or w in _FILLER_EN for w in words)


_DISLIKE_ZH = re.compile(r"^\W*(?:这个|这首|这版|感觉|有点|有些|太|真|好|实在|还是)*(?:难听|不好听|无聊|没意思|一般般?|不怎么样|"
                         r"不太行|不行|不喜欢|不好|单调|乏味|没感觉)[了啊呀吧的\W]*$")


_PRAISE_LEAD = re.compile(
    r"^\W*(?:(?:i\s+|we\s+)?(?:really\s+)?(?:love|like|adore)\s+(?:it|this|that|this one|the\s+\w+)|"
    r"(?:that'?s|this is|it'?s)\s+(?:great|nice|lovely|perfect|beautiful|awesome|amazing)|nice(?:\s+one)?|great|perfect|"
    r"awesome|cool|lovely|beautiful|brilliant|wow|thanks?(?:\s+you)?|cheers|不错|很好|好听|太棒了|真棒|谢谢|喜欢)"
    r"[^.!?,;，。！？；]{0,20}[.!?,;，。！？；]+\s*(?:but\s+|now\s+|and\s+|但是?|不过|现在)?", re.IGNORECASE)


def without_praise(text: str) -> str:
    """"love it! can you add drums?" -> "can you add drums?": praise in front of a request is not a mood."""
    m = _PRAISE_LEAD.match(text)
    if m is None or not text[m.end():].strip() or praise_only(text):
        return text
    return text[m.end():]


def dislike_only(text: str) -> bool:
    """"太难听了", "这个不好听", "有点无聊": the user wants a different take."""
    return bool(_DISLIKE_ZH.search(text.strip()))


# A new piece asked for in the middle of a conversation
_NEW_PIECE = re.compile(
    r"\b(?:something|anything)\s+(?:totally\s+|completely\s+|entirely\s+|very\s+)?(?:different|else|new)\b|"
    r"\b(?:another|a different|a new|a second|one more|next)\s+(?:\w+\s+){0,3}(?:song|piece|tune|track|composition|"
    r"one)\b|\bdifferent\s+(?:song|piece|tune|track)\b|\bforget\s+(?:that|it|this|about (?:it|that|this))\b|"
    r"\bscrap\s+(?:that|it|this)\b|\bnever ?mind\b|^\W*next\s*[:,]|\blet'?s do\b|\bnew idea\b|\bstart (?:fresh|"
    r"again|anew)\b|\bfresh start\b|重新开始|换个思路|从头来|\bnow (?:write|compose|make|give "
    r"me|do|play)\b|\bhow about (?:a|an|some)\b|\binstead of (?:this|that|it)\b|\bswitch gears\b|"
    r"换一首|另一首|再来一首|再写一首|重新来一首|来首别的|换个别的|另外一首|别的曲子|别的歌|新的一首|重新写一首|换首")
# article-led requests that are edits, not pieces: "a bit faster", "an octave higher", "a sadder version"
_EDIT_NOUNS = re.compile(r"^\W*(?:a|an)\s+(?:bit|little|lot|tad|touch|octave|step|half|whole|fifth|fourth|third|"
                         r"semitone|tone|notch|few|couple)\b|\b(?:version|variation|take|one|it|its)\b")
_PIECE_NOUN_EN = re.compile(r"\b(?:song|tune|piece|track|music|melody|beat|jingle|theme|soundtrack|instrumental|"
                            r"lullaby|waltz|march|ballad|anthem|shanty|jig|reel|hymn|serenade|nocturne|etude|"
                            r"sonata|fugue|groove|loop|bgm|intro|outro|score|number|composition|chorale|ditty)s?\b")
_PIECE_NOUN_ZH = re.compile(r"曲子|歌曲|音乐|歌|曲|bgm|背景乐|配乐|旋律|调调|小调儿")


def new_piece_requested(text: str) -> bool:
    """"ok now something totally different: a rock song", "forget that, compose a bossa nova", "换一首新的"."""
    return bool(_NEW_PIECE.search(text))


def fresh_description(text: str) -> bool:
    """A bare description of a piece ("a sea shanty", "a song about the ocean"), not an edit of the current one."""
    t = text.strip().lower()
    if _EDIT_NOUNS.search(t):
        return False
    return bool(re.match(r"^\W*(?:a|an|some)\s+\w", t)) and bool(_PIECE_NOUN_EN.search(t))


def names_a_piece(text: str) -> bool:
    """The message asks for some music, however vaguely ("a song for my mom", "游戏bgm", "帮我写首曲子")."""
    t = text.lower()
    return bool(_PIECE_NOUN_EN.search(t) or _PIECE_NOUN_ZH.search(t))


# ---- moving between versions ---------------------------------------------------------------------------------
_ORIGINAL = re.compile(r"\b(?:the\s+)?(?:original|very first|first (?:one|version|take|draft))\b(?!\s+(?:tempo|key|speed|"
                       r"instruments?|melody|mood|style))|最初|最开始|原版|原来的版本|原来那版|第一版|^\W*还原\W*$|"
                       r"还原到?最初")
_PREVIOUS = re.compile(r"\b(?:the\s+)?(?:one|version|take)\s+before\b|\bprevious\s+(?:one|version|take)\b|"
                       r"\bput it back\b|\bthe last one was better\b|\bgo back one\b|上一个版本|上一版|上个版本|"
                       r"上上个?版本?|退回去|后退一步|回退|退一步|退回上一")
_STEPS = re.compile(r"\bundo\b.{0,20}?\b(?:(twice|two times|2 times|three times|thrice|3 times)|last\s+(two|2|three|3)"
                    r"\s+(?:changes|edits|steps|versions))\b|撤销\s*([两2三3])\s*(?:次|步)|撤回\s*([两2三3])\s*(?:次|步)")
_STEP_WORDS = {"twice": 2, "two times": 2, "2 times": 2, "three times": 3, "thrice": 3, "3 times": 3, "two": 2, "2": 2,
               "three": 3, "3": 3, "两": 2, "三": 3}
_VERSION_ONLY = re.compile(r"^\W*(?:(?:let'?s\s+)?(?:go|stick)\s+with\s+|(?:i\s+)?(?:prefer|like|choose|pick|want|keep)"
                           r"\s+|(?:switch|jump|go|move|skip)\s+(?:back\s+)?to\s+|(?:show|play)\s+(?:me\s+)?|"
                           r"(?:还是|就用|就要|切换到|切到|换回|用回|选|要|返回到?|回到)\s*)?(?:the\s+)?(?:version|ver\.?|v|"
                           r"take|draft|版本)\s*#?\s*(\d+)(?:\s+(?:again|please|instead|is better|was better|then))?\W*$|"
                           r"^\W*(?:还是|就用|就要|切换到|切到|换回|用回|选|要|返回到?|回到)?\s*第\s*(\d+)\s*(?:个)?(?:版|版本)"
                           r"(?:吧|好|更好|好一点|比较好)?\W*$")
_BACK_TO_NUMBER = re.compile(r"^\W*(?:go back|return|revert|back|switch back|switch|go|jump)\s+to\s+(\d{1,3})\W*$")
_BLEND_NUMBERS = re.compile(r"\b(?:blend|mix|merge|combine|morph)\w*\s+(\d+)\s*(?:and|&|with|,)\s*(\d+)\b|"
                            r"(?:融合|混合|合并)\s*(\d+)\s*(?:和|与|跟|及)\s*(\d+)")
_COMPARE = re.compile(r"\b(?:compare|difference|differences|what changed|what's changed)\b.*?(\d+)\D+?(\d+)|"
                      r"第?\s*(\d+)\s*版?\s*(?:和|跟|与)\s*第?\s*(\d+)\s*版?\s*(?:有)?(?:什么|哪些|啥)(?:区别|不同|差别)|"
                      r"(?:比较|对比)\s*第?\s*(\d+)\s*版?\s*(?:和|跟|与)\s*第?\s*(\d+)")


def _numbers(m: re.Match[str]) -> list[int]:
    return [int(g) for g in m.groups() if g and g.isdigit()]


@dataclass(frozen=True)
class VersionMove:
    """'go back to the original' -> revert to 1; 'undo twice' -> undo 2 steps; 'blend 1 and 4' -> a pair."""

    intent: str  # revert, undo, blend or compare
    target: int | None = None
    steps: int = 1
    pair: tuple[int, int] | None = None


def version_move(text: str) -> VersionMove | None:
    """How the message moves between versions, or None when it is not about versions."""
    t = text.strip().lower()
    m = _COMPARE.search(t)
    if m and len(_numbers(m)) >= 2:
        a, b = _numbers(m)[:2]
        return VersionMove("compare", pair=(a, b))
    m = _BLEND_NUMBERS.search(t)
    if m:
        a, b = _numbers(m)[:2]
        return VersionMove("blend", pair=(a, b))
    m = _STEPS.search(t)
    if m:
        word = next(g for g in m.groups() if g)
        return VersionMove("undo", steps=_STEP_WORDS.get(word, 2))
    if re.search(r"上上个?版本?", t):
        return VersionMove("undo", steps=2)
    m = _VERSION_ONLY.search(t) or _BACK_TO_NUMBER.search(t) or re.search(r"(?:用回|换回|切到|切换到)\s*v\s*(\d+)", t)
    if m:
        return VersionMove("revert", target=_numbers(m)[0])
    if _ORIGINAL.search(t) and not re.search(r"\b(?:make|add|change|faster|slower)\b", t):
        return VersionMove("revert", target=1)
    if _PREVIOUS.search(t):
        return VersionMove("undo")
    return None


# ---- who sings ---------------------------------------------------------------------------------------------
_FEMALE = re.compile(r"\b(?:female|woman'?s?|women'?s?|girl'?s?|soprano|mezzo|alto|lady'?s?)\s+(?:voice|vocals?|singer)\b|"
                     r"\bsung by a (?:woman|girl|lady)\b|\bfor a (?:woman|girl|female singer)\b|女声|女生唱|女孩唱|女歌手|"
                     r"女高音|女中音|女的唱")
_MALE = re.compile(r"\b(?:male|man'?s?|men'?s?|boy'?s?|tenor|baritone|bass)\s+(?:voice|vocals?|singer)\b|"
                   r"\bsung by a (?:man|guy|boy)\b|\bfor a (?:man|guy|male singer)\b|男声|男生唱|男孩唱|男歌手|男高音|"
                   r"男中音|男低音|男的唱")


def voice_asked(text: str) -> str | None:
    """"换成女声", "sing it with a male voice": 'female' or 'male' (the sung line moves to that range)."""
    female, male = _FEMALE.search(text), _MALE.search(text)
    if female and not male:
        return "female"
    if male and not female:
        return "male"
    return None


def lyrics_question(text: str) -> bool:
    """"what are the lyrics?", "歌词是什么": show the words of the song."""
    return bool(re.search(r"\b(?:what are|show me|give me|read me|print|tell me)\b.{0,12}\b(?:lyrics|words)\b|"
                          r"\blyrics\s*\?|歌词是什么|歌词呢|看看歌词|显示歌词|给我歌词|歌词给我", text))


# ---- questions about why, and about one version ---------------------------------------------------------------
_WHY = re.compile(r"^\W*(?:but\s+|so\s+)?(?:why|how come)\b|^\W*(?:为什么|为啥|怎么会|怎么这么|咋这么|干嘛)")
_ZH_ORDINAL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NTH = r"(\d+|[一二两三四五六七八九十])"
_VERSION_REF = re.compile(rf"第\s*{_NTH}\s*(?:个)?(?:版|版本|稿)|\b(?:version|v)\s*(\d+)\b|\bthe (first|second|third) "
                          r"(?:version|one|take)\b")
_QUESTION_FORM = re.compile(r"[?？]\s*$|吗\s*$|\b(?:what|which|how|who|is|are|does|do)\b|什么|哪|几|多少|怎么样|如何|区别|不同|"
                            r"差别")
_THIS_VERSION = re.compile(r"这一?版|这个版本|现在的?|当前的?|\bthis (?:one|version)\b|\bthe current\b")
_NTH_TAKE = re.compile(rf"第\s*{_NTH}\s*个(?!小节|版)")
_TAKE_FILLER = re.compile(r"[我还是更喜欢用要选回到就吧好比较的那个一点些啊呀了\s，,。.!！]|\bi\b|\blike\b")
_BASED_ON = re.compile(rf"(?:在|从|用|基于)\s*第\s*{_NTH}\s*(?:个|版|版本)?\s*(?:的)?(?:基础上|上面|上)|\b(?:based on|from|on top of|"
                       r"starting from)\s+(?:version|v|take)\s*(\d+)\b")
_EN_ORD = {"first": 1, "second": 2, "third": 3}


def _nth(word: str) -> int:
    return int(word) if word.isdigit() else _ZH_ORDINAL.get(word) or _EN_ORD.get(word, 0)


def why_question(text: str) -> bool:
    """"为什么没有鼓？", "why is it so slow?": asks for a reason; never carried out as an edit."""
    return bool(_WHY.search(text.strip()))


def version_question(text: str) -> tuple[str, tuple[int, ...]] | None:
    """"第一版是什么调？" -> ('ask', (1,)); "这一版和第一版有什么不同？" -> ('compare', (0, 1)) with 0 = the current one."""
    refs = [_nth(next(g for g in m.groups() if g)) for m in _VERSION_REF.finditer(text)]
    refs = [r for r in refs if r > 0]
    if not refs or not _QUESTION_FORM.search(text):
        return None
    if _THIS_VERSION.search(text) and len(refs) == 1:
        return ("compare", (0, refs[0])) if re.search(r"区别|不同|差别|differen|compare|变化", text) else ("ask", refs[:1])
    if len(refs) >= 2:
        return ("compare", (refs[0], refs[1]))
    return ("ask", (refs[0],))


def nth_take(text: str) -> int | None:
    """"我还是喜欢第2个", "用第二个", "第二个好": the Nth version (a take, in conversation)."""
    m = _NTH_TAKE.search(text)
    if m is None or _TAKE_FILLER.sub("", text[:m.start()] + text[m.end():]):
        return None
    return _nth(m.group(1))


def based_on_version(text: str) -> int | None:
    """"在第2个基础上加鼓", "from version 2, add drums": the version an edit starts from."""
    m = _BASED_ON.search(text)
    return _nth(next(g for g in m.groups() if g)) if m else None


def style_unnamed(text: str) -> bool:
    """"换个风格", "a different style": which one is not said."""
    return bool(re.search(r"换(?:个|一个|一种|种)风格|\b(?:a |another |different )(?:style|genre)\b|\bchange the (?:style|genre)\b",
                          text))


# ---- "change it back" ----------------------------------------------------------------------------------------
_RESTORE_VERB = r"(?:恢复|改回|换回|变回|调回|回到|还原)"
_RESTORE_FIELDS = {
    "tempo": r"速度|节奏|快慢|\btempo\b|\bspeed\b",
    "key": r"原调|调性|音调|调子|\bkey\b",
}


def restore_fields(text: str) -> list[str]:
    """"恢复原来的速度", "速度改回来", "put the tempo back", "the original key": what to take from the first version."""
    out = []
    back = re.search(_RESTORE_VERB + r"|改回来|换回来|改回去|调回去|\bback\b|\boriginal\b|\brestore\b|\bas (?:it|before)\b",
                     text)
    if back is None:
        return out
    for field, words in _RESTORE_FIELDS.items():
        if re.search(words, text):
            out.append(field)
    return out


_DESCRIBED = re.compile(
    r"\b(?:go(?:ing)? back to|back to|return to|revert to|switch back to|i (?:liked|preferred|prefer|like)|bring back)\s+"
    r"the\s+(.+?)\s+(?:one|version|take|piece)\b|\bthe (?:one|version) (?:with|that had|in) (?:the\s+)?(.+?)\W*$|"
    r"(?:回到|还是|换回|用回)(?:刚才|之前|上次)?(?:那个|那版)?(.{1,12}?)的那(?:个|版|一版)")


def described_version(text: str) -> str | None:
    """"back to the relaxing one", "the one with the harmonica", "回到爵士的那版": the words that pick a version."""
    m = _DESCRIBED.search(text)
    if m is None:
        return None
    words = next(g for g in m.groups() if g).strip()
    return None if re.fullmatch(r"(?:first|last|previous|original|other|\d+|new|current)", words) else words
