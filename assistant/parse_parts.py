"""Follow-up edits of the parts: add, remove, swap, keep only, and the balance between them.

'use a violin instead' swaps the melody's program, 'add drums and bass' adds both, 'only piano and
bass' keeps those, 'the guitar is drowning out the violin' turns the guitar down. ``changes`` uses the
keys the chat layer understands (see ``assistant/parsed.py``).
"""

from __future__ import annotations

import re

from assistant.cues import cue, note_text
from assistant.lexicon import find_phrases, has_cjk, load_prompt, zh_tokens
from assistant.parse_instruments import (
    BASS_PROGRAMS,
    CHORD_PROGRAMS,
    PAD_PROGRAMS,
    NamedInstrument,
    already_there_note,
    asks_for_more,
    family_programs,
    instrument_label,
    instrument_words,
    kit_note,
    loudness_complaint,
    mix_complaint_at,
    parts_named,
    style_program,
    substitution_note,
    too_loud_part,
)
from music.gm import GM_PROGRAMS
from music.spec import InstrumentSpec, MusicSpec

_SWAP_CUE = re.compile(r"\binstead\b|\breplace\b|\bswitch\b|\bchange\b.{0,30}\b(?:to|into|for)\b|\bswap\b|"
                       r"\bturn\b.{0,30}\binto\b|\bmake the \w+ (?:a|an)\b|\b(?:be replaced|be swapped) (?:by|with|for)\b|"
                       r"\b(?:should|could|must|can)\s+be\s+(?:a|an)\s+(?!little\b|bit\b|tad\b|lot\b|touch\b)\w+|"
                       r"\bplay (?:it |this )?on\b|\buse (?:a|an|the)?\s*\w+|\bwith (?:a|an)\s+\w+ (?:lead|melody)|"
                       r"^\W*(?:and|now|then|also|plus)\s+(?:the|that|this|my)\s+(?:\w+\s+){1,3}?(?:with|for|to|into)\s+"
                       r"(?:a|an|the|some)\b|"  # "and the guitar with a banjo", after "replace the harmonica with ..."
                       r"换成|改成|改用|换为|改为|换用|用.{1,6}(?:演奏|弹|拉|吹|来)|代替|替换|替代|变成")
# "now a guitar", "and a flute too" after other edits: one more part
_ELLIPTIC_ADD = re.compile(r"^\W*(?:(?:and|ok|okay|so)[,\s]+)?(?:now|then|and|plus)\s+(?:a|an|some)\s+[\w\s-]{1,30}?"
                           r"(?:\s+(?:please|too|as well))?\W*$")
# "the strings should be brass": no article, so the word after "be" must be an instrument
_SHOULD_BE = re.compile(r"\b(?:should|could|must|can|would)\s+(?:rather\s+)?be\s+(?:a\s+|an\s+|the\s+|some\s+)?")
_ADD_CUE = re.compile(r"\b(?:add|adding|bring in|put in|throw in|layer|include|plus|also|too|as well|more|"
                      r"(?:duet|trio|quartet) with|joined by|accompanied by|backed by|alongside|together with|"
                      r"bring back|put back|back in|bring (?:the|a|an|my) \w+(?: \w+)? back|harmoni[sz]e\w*)\b|"
                      r"加上|加入|添加|加个|加点|再加|配上|加一个|加一段|加一些|多一点|多点|多一些|加回|来点|来些|来一点|"
                      r"来一些|整点|加")
_REMOVE_CUE = re.compile(r"\b(?:remove|drop|lose|take out|get rid of|mute|without|no more|cut|delete|kill|no)\b|"
                         r"去掉|删掉|拿掉|删除|不要(?!太)|去除|取消|静音")
_ROLE_WORDS = {"bass": "bass", "bass line": "bass", "bassline": "bass", "chords": "chords", "accompaniment": "chords",
               "comping": "chords", "pad": "pad", "pads": "pad", "counter-melody": "counter", "countermelody": "counter",
               "counter melody": "counter", "melody": "melody", "lead": "melody", "drums": "drums", "drum": "drums",
               "percussion": "drums", "beat": "drums", "低音": "bass", "贝斯": "bass", "伴奏": "chords", "和弦": "chords",
               "铺底": "pad", "副旋律": "counter", "旋律": "melody", "主旋律": "melody", "鼓": "drums", "鼓点": "drums",
               "扫弦": "chords", "strumming": "chords", "strummed": "chords", "strum": "chords"}
_ZH_ROLE_ENDINGS = ("伴奏", "铺底", "和弦", "扫弦")  # '钢琴伴奏' is one jieba token: the role is at its end
_HARMONY = ("chords", "pad", "counter", "bass")
_SOUND_VARIANTS = ("piano", "organ", "guitar", "bass", "sax")  # families whose members are one instrument's sounds
_TRUE_BASS = frozenset(range(32, 40)) | {43, 58}
_ROLE_DEFAULT_PROGRAM = {"bass": 33, "chords": 0, "pad": 89, "counter": 73, "melody": 0}


_REMOVE_VERB = re.compile(r"\b(?:remove|delete|get rid of|take out)\b|去掉|删掉|拿掉|删除|去除")
_TARGET_CUE = re.compile(r"\b(?:to|into|with|for|by|(?:should|could|must|can|would) be)\b|(?<=\w )an?(?= \w)|"
                         r"换成|改成|改为|换为|变成|改用|换用")
_SOURCE_CUE = re.compile(r"\binstead of\b|代替|替代|取代")


def _swap_sides(text: str, named: list[NamedInstrument],
                roles: list[tuple[str, int]]) -> tuple[list[tuple[int, str | None, str, int]], list[NamedInstrument]]:
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
    return [(x[1], x[2], x[3], x[0]) for x in src], targets or list(named)


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


def role_words(text: str, tokens) -> list[tuple[str, int]]:
    """(role, where its word starts) for each role word ('the bass line', '伴奏', '铺底'), in text order."""
    found = [(_ROLE_WORDS[m.phrase], m.start) for m in find_phrases(text, tuple(_ROLE_WORDS), tokens)]
    return sorted(found + _role_endings(text, tokens, {at for _, at in found}), key=lambda r: r[1])


def _role_endings(text: str, tokens, taken: set[int]) -> list[tuple[str, int]]:
    """Role words at the end of a longer jieba token: '换成钢琴伴奏' is 换成 + 钢琴伴奏, and the accompaniment
    is what the message changes."""
    if not has_cjk(text):
        return []
    out = []
    for tok, start in tokens if tokens is not None else zh_tokens(text):
        word = next((w for w in _ZH_ROLE_ENDINGS if tok != w and tok.endswith(w)), None)
        if word is not None and start + len(tok) - len(word) not in taken:
            out.append((_ROLE_WORDS[word], start + len(tok) - len(word)))
    return out


def edit_parts(n, a, spec: MusicSpec, lang: str, text: str, toks) -> tuple[MusicSpec, dict, list[str]]:
    """Swap, add and remove parts, and drums on/off: every part the message names, not only the first."""
    named: list[NamedInstrument] = _without_role_qualifiers(list(a.instruments.named), text)
    excluded: list[NamedInstrument] = list(a.instruments.excluded)
    roles = role_words(text, toks)
    octave = find_part_octave(a, spec, text, toks)
    if octave is not None:  # "make the bass an octave lower": that part moves; nothing is swapped
        return spec, ({"part_octave": octave} if octave["part"] else {}), []  # apply_edits says what is missing
    keep = _keep_only_start(text)
    if keep is not None and (named or excluded or roles):  # "everything except the piano" negates it
        kept_named = [x for x in named + excluded if x.start >= keep] or named + excluded
        kept_roles = [r for r in roles if r[1] >= keep] or roles
        return _keep_only(spec, kept_named, kept_roles, lang, tune_refused=bool(_NO_TUNE.search(text[:keep])))
    replaced = _refused_then_named(spec, text, named, excluded)
    if replaced is not None:  # "actually no piano, a flute"
        source = replaced[0]
        return _swap_into(spec, [(source.program, None, source.word, source.start)], [replaced[1]], roles, lang, text)
    if (_SWAP_CUE.search(text) or _should_be_named(text, named)) and named:  # replace X with Y / 把X换成Y
        return _swap_parts(spec, text, named, roles, lang)
    remove, adding = _REMOVE_CUE.search(text), _ADD_CUE.search(text) or _ELLIPTIC_ADD.search(text)
    drums_off = a.drums is False or (bool(remove) and any(r == "drums" for r, _ in roles) and not named)
    removable = [x for x in named if remove and x.start > remove.start()] if not (adding or drums_off) else []
    victims = excluded or removable  # "delete the piano"; in "no drums, piano" the piano stays
    role_victims = [r for r, _ in roles if r not in ("drums", "melody")] if remove and not victims else []
    spec, changes, notes = _remove_parts(spec, victims, role_victims, drums_off, lang, text)
    newcomers = [x for x in named if x not in victims] if adding else []
    role_only = [r for r, _ in roles if r not in ("drums", "melody")] if adding and not named and not victims else []
    had_drums = spec.drums
    spec, added, more = _add_parts(spec, newcomers, roles, role_only, a.drums is True, text, lang)
    if added:
        changes["add_part"] = added[0] if len(added) == 1 else added
    notes += more
    if a.drums is True:
        notes += _percussion_notes(a.instruments, text, had_drums, bool(adding), lang)
    if named and not changes and not notes and not (remove or adding):
        return _named_takes_the_melody(spec, named, roles, lang)
    return spec, changes, notes


def _percussion_notes(found, text: str, had_drums: bool, adding: bool, lang: str) -> list[str]:
    """What a request for percussion got: 'add handclaps', 'and a shaker', '加点锣鼓' are played by the drum kit
    (said, whether the kit is new or was there), and '加点打击乐' on a piece with drums says the kit is there
    already, never a bare "the piece already is that way". 'instead of cajon use congas': the congas."""
    source = _SOURCE_CUE.search(text)
    words = [w for w in found.kit_stand_ins
             if not (source and text[source.end():].lstrip().startswith(w) and len(found.kit_stand_ins) > 1)]
    if words:
        return [kit_note(w, lang, already=had_drums) for w in words]
    if had_drums and adding:
        return [already_there_note("鼓组" if lang == "zh" else "drum kit", lang)]
    return []


_OCTAVE_COUNT = {"a": 1, "an": 1, "one": 1, "1": 1, "two": 2, "2": 2, "three": 3, "3": 3, "一": 1, "两": 2, "二": 2,
                 "三": 3}
_OCTAVE_EN = re.compile(
    r"\b(?:(?P<n>a|an|one|two|three|[123])\s+)?octaves?\s+(?P<dir>higher|lower|up|down)\b|"
    r"\b(?P<dir2>up|down|higher|lower)\s+(?:by\s+)?(?P<n2>a|an|one|two|three|[123])\s+octaves?\b|"
    r"\b(?P<dir3>raise|lift|lower|drop|move|shift)\b.{0,30}?\b(?P<how3>up|down)?\s*by\s+(?P<n3>a|an|one|two|[12])\s+"
    r"octaves?\b")
_OCTAVE_ZH = re.compile(r"(?P<dir>升高|降低|提高|调高|调低|升|降|高|低)\s*(?P<n>一|两|二|三|[123])?\s*个?\s*八度")


def octaves_asked(text: str) -> int | None:
    """Whole octaves up (+) or down (-) a message asks for: 'an octave higher', 'down two octaves',
    'lower it by an octave', '低八度', '升高一个八度'."""
    m = _OCTAVE_EN.search(text)
    if m is not None:
        word = m.group("dir") or m.group("dir2") or m.group("how3") or m.group("dir3")
        count = _OCTAVE_COUNT.get(m.group("n") or m.group("n2") or m.group("n3") or "a", 1)
        return -count if word in ("lower", "down", "drop") else count
    m = _OCTAVE_ZH.search(text)
    if m is not None:
        count = _OCTAVE_COUNT.get(m.group("n") or "一", 1)
        return -count if m.group("dir") in ("降低", "调低", "降", "低") else count
    return None


def find_part_octave(a, spec: MusicSpec, text: str, toks) -> dict | None:
    """``part_octave`` for a message's attributes ``a``: what ``apply_edits`` asks before it reads 'an octave
    higher' as a transposition of the whole piece."""
    named = _without_role_qualifiers(list(a.instruments.named), text)
    return part_octave(text, named, role_words(text, toks), spec)


def part_octave(text: str, named: list[NamedInstrument], roles: list[tuple[str, int]], spec: MusicSpec) -> dict | None:
    """'Can the violin play an octave higher?', 'make the bass an octave lower', '贝斯低八度': one part moves by
    whole octaves, the rest stay (never a transposition of the piece, never a swap).

    {"part": role, "program": program or None, "octaves": n}: the program picks the tracks when the part's
    role holds other instruments too; None when the role is the part ('the bass') or another part shares
    the program ('the first violin'). {"part": None, "word": w, "octaves": n} when the piece has no such
    part. None when no octave is asked for, or only the melody is named (``melody_octave`` does that).
    """
    octaves = octaves_asked(text)
    if not octaves:
        return None
    starts = {n.start for n in named}
    items: list[tuple[int, NamedInstrument | str]] = [(n.start, n) for n in named]
    items += [(at, r) for r, at in roles if r in _HARMONY and at not in starts]
    if not items:
        return None
    _, item = min(items, key=lambda x: x[0])
    if isinstance(item, str):  # a role word: 'the pad', 'the accompaniment', '伴奏'
        there = any(i.role == item and not i.is_drum for i in spec.instruments)
        return {"part": item, "program": None, "octaves": octaves} if there else \
            {"part": None, "word": item, "octaves": octaves}
    hit = _parts_for(spec, item, text)
    if not hit:
        return {"part": None, "word": item.word, "octaves": octaves}
    part = hit[0]
    shared = any(i.program == part.program and i is not part and not i.is_drum for i in spec.instruments)
    by_role = item.word in _ROLE_WORDS or (shared and _qualifier(text, item.start) is not None)
    return {"part": part.role, "program": None if by_role else part.program, "octaves": octaves}


def _refused_then_named(spec: MusicSpec, text: str, named: list[NamedInstrument],
                        excluded: list[NamedInstrument]) -> tuple[NamedInstrument, NamedInstrument] | None:
    """'Actually no piano, a flute': a refused part and, after it, a new instrument with no add cue is a swap.
    Not when the new one is already playing ('drop the bass, keep the piano')."""
    if not excluded or _ADD_CUE.search(text) or re.search(r"\bkeep\b|留|保留", text):
        return None
    fresh = [n for n in named if n.start > excluded[0].start and not parts_named(spec.instruments, n.program, n.word)]
    return (excluded[0], fresh[0]) if fresh else None


def _should_be_named(text: str, named: list[NamedInstrument]) -> bool:
    """'The strings should be brass': a part named, then 'should be' and another instrument right after."""
    m = _SHOULD_BE.search(text)
    return m is not None and any(n.start == m.end() for n in named) and any(n.start < m.start() for n in named)


def _without_role_qualifiers(named: list[NamedInstrument], text: str) -> list[NamedInstrument]:
    """'弦乐铺底', 'strings pad': a role word right after an instrument says that instrument's role; it is no
    second instrument ('铺底' alone is a synth pad)."""
    out: list[NamedInstrument] = []
    for item in named:
        prev = out[-1] if out else None
        if (prev is not None and item.word in _ROLE_WORDS and _ROLE_WORDS[item.word] != "melody"
                and not text[prev.start + len(prev.word):item.start].strip()):
            continue
        out.append(item)
    return out


def _keep_only_start(text: str) -> int | None:
    """Where a keep-only request begins: 'only keep', '只留', 'everything except', or a message that is just
    'only' / 'just' and a list of parts ('only piano and bass', 'just the guitar and drums please')."""
    m = cue("keep_only", text)
    if m is not None:
        return m.start()
    listed = _LISTED_ONLY.search(text)
    if listed is None:
        return None
    words = set(instrument_words()) | set(_ROLE_WORDS)
    pieces = re.split(r"\s*(?:,|&|\+|\band\b|\bplus\b)\s*", re.sub(r"\s*\bplease\b", "", listed.group(2)))
    bare = [re.sub(r"^(?:the|a|an)\s+", "", p).strip() for p in pieces]
    if not all(b in words or b.rstrip("s") in words for b in bare):
        return None
    refused_first = listed.start(1) > 0 and _REMOVE_CUE.search(text[:listed.start(1)])  # "no melody, just drums"
    return listed.start(1) if len(bare) > 1 or refused_first else None


# "only piano and bass", "ok, just the guitar and drums", "no melody, just drums and bass": a clause that is
# 'only' / 'just' and a list of parts, at the start of the message or after a comma
_LISTED_ONLY = re.compile(r"(?:^|[,;:，；]\s*)\s*(?:(?:ok(?:ay)?|now|then|so)[,\s]+)?((?:only|just)\s+(.+?))[\s.!]*$")
# "no melody, just drums and bass": the tune is refused, so keeping the rest hands it to nobody
_NO_TUNE = re.compile(r"\b(?:no|without|drop|lose|remove|minus)\s+(?:the\s+|a\s+)?(?:melody|tune|lead)\b|"
                      r"(?:不要|去掉|删掉|拿掉)(?:主)?旋律")


def _remove_parts(spec: MusicSpec, victims: list[NamedInstrument], role_victims: list[str], drums_off: bool,
                  lang: str, text: str = "") -> tuple[MusicSpec, dict, list[str]]:
    """Take out every named part ('lose the bass', 'no more harp', 'no synths': each synth part); the tune is
    handed to another part rather than lost, and a part that is not there is said to be missing."""
    changes: dict = {}
    notes: list[str] = []
    targets: list[InstrumentSpec] = []
    missing: list[str] = []
    for v in victims:
        hit = _parts_for(spec, v, text)
        targets += [h for h in hit if h not in targets]
        missing += [] if hit else [v.word]
    for r in role_victims:
        hit = [i for i in spec.instruments if i.role == r and not i.is_drum]
        targets += [h for h in hit if h not in targets]
        missing += [] if hit else [r]
    for word in dict.fromkeys(missing):
        notes.append(note_text("nothing_to_remove", lang, part=word))
    spec, targets, moved = _hand_on_the_melody(spec, targets, lang, notes)
    if moved:
        changes["swap"] = moved
    labels = [_removal_label(spec, t, targets) for t in targets]
    spec = spec.with_(instruments=[i for i in spec.instruments if i not in targets])
    if drums_off and spec.drums:
        spec = spec.with_(drums=False, instruments=[i for i in spec.instruments if not i.is_drum])
        labels.append("drums")
    elif drums_off:
        notes.append(note_text("nothing_to_remove", lang, part="drums" if lang != "zh" else "鼓"))
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
        notes.append(note_text("melody_only_part", lang))
        return spec, rest, None
    notes.append(note_text("melody_moved", lang, instrument=instrument_label(heir.program, lang)))
    spec = spec.with_(instruments=_with_instrument(spec, "melody", heir.program))
    return spec, rest, {"role": "melody", "program": heir.program, "name": GM_PROGRAMS[heir.program]}


def _removal_label(spec: MusicSpec, part: InstrumentSpec, targets: list[InstrumentSpec]) -> str:
    """The role when the whole role goes, else the instrument's name (one of two counter lines)."""
    shared = any(i.role == part.role and i not in targets for i in spec.instruments)
    twin = any(i.program == part.program and i not in targets and not i.is_drum for i in spec.instruments)
    return GM_PROGRAMS[part.program].lower() if shared and not twin else part.role  # 'the second violin': its role


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
        program = style_program(item.word, item.program, spec.style)
        spec = spec.with_(instruments=[*spec.instruments, InstrumentSpec(GM_PROGRAMS[program], program, role)])
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
    already has, without asking for the tune ('the bass ...', 'the guitar and the violin ...'), changes nothing.
    A role word sends it to that role instead ('伴奏用古筝', '用吉他扫弦'), and a plain family word goes to the
    parts of its family ('用尼龙弦吉他' changes the guitars, not the piano that sings)."""
    target = named[0]
    role = _role_named_beside(named, roles)
    if role is not None:
        return _give_role(spec, role, target, lang)
    if any(i.role == "melody" and i.program == target.program for i in spec.instruments):
        return spec, {}, [substitution_note(target, lang)] if target.substitute else []  # already so
    present = parts_named(spec.instruments, target.program, target.word)
    asks_for_tune = any(r == "melody" for r, _ in roles)
    if present and not asks_for_tune and (len(named) > 1 or any(p.role == "bass" for p in present)):
        return spec, {}, []
    cousins = _same_family(spec, target)
    if cousins and not asks_for_tune:
        return _swap_into(spec, [(cousins[0].program, None, GM_PROGRAMS[cousins[0].program].lower(), -1)], [target],
                          roles, lang)
    spec = spec.with_(instruments=_with_instrument(spec, "melody", target.program))
    notes = [substitution_note(target, lang)] if target.substitute else []
    return spec, {"swap": {"role": "melody", "program": target.program, "name": GM_PROGRAMS[target.program]}}, notes


def _role_named_beside(named: list[NamedInstrument], roles: list[tuple[str, int]]) -> str | None:
    """The accompanying role a message gives an instrument ('钢琴伴奏', '弦乐铺底', 'guitar strumming'); a role
    word that is the instrument's own word ('the bass') names no other role."""
    starts = {n.start for n in named}
    return next((r for r, at in roles if r in _HARMONY and at not in starts), None)


def _same_family(spec: MusicSpec, target: NamedInstrument) -> list[InstrumentSpec]:
    """Parts of another program in the target's own family ('nylon guitar' beside a steel guitar): a swap of
    sound within the family, not a new melody instrument."""
    if family_programs(target.word):
        return []  # a plain 'guitar' says nothing about which sound: it may well be asked for the tune
    family = next((frozenset(v) for k, v in load_prompt("instruments.json")["families"].items()
                   if k in _SOUND_VARIANTS and target.program in v), frozenset())
    return [i for i in spec.instruments if not i.is_drum and i.program in family and i.program != target.program]


def _give_role(spec: MusicSpec, role: str, target: NamedInstrument,
               lang: str) -> tuple[MusicSpec, dict, list[str]]:
    """The accompanying ``role`` played by ``target``: the one part of that role changes instrument, several
    parts of it become one new part for the target ('换成钢琴伴奏' on a song with piano and guitar chords is a
    piano accompaniment, written for the piano), and a missing role is added. The melody never changes."""
    holders = [i for i in spec.instruments if i.role == role and not i.is_drum]
    notes = [substitution_note(target, lang)] if target.substitute else []
    program = style_program(target.word, target.program, spec.style)
    new = InstrumentSpec(GM_PROGRAMS[program], program, role)
    if len(holders) == 1 and holders[0].program == program:
        return spec, {}, [already_there_note(target.word, lang)]
    if len(holders) == 1:
        spec = spec.with_(instruments=_with_instrument(spec, role, program))
        return spec, {"swap": {"role": role, "program": program, "name": GM_PROGRAMS[program]}}, notes
    spec = spec.with_(instruments=[i for i in spec.instruments if i not in holders] + [new])
    changes: dict = {"add_part": role}
    if holders:
        changes = {"remove_part": role, "add_part": role}
    return spec, changes, notes


def _swap_parts(spec: MusicSpec, text: str, named: list[NamedInstrument], roles: list[tuple[str, int]],
                lang: str) -> tuple[MusicSpec, dict, list[str]]:
    """Replace the part named first with the instrument named after it; a plain word swaps every part of its
    family ('吉他换成尤克里里' changes both guitars)."""
    sources, targets = _swap_sides(text, named, roles)
    return _swap_into(spec, sources, targets, roles, lang, text)


def _swap_into(spec: MusicSpec, sources: list[tuple[int, str | None, str, int]], targets: list[NamedInstrument],
               roles: list[tuple[str, int]], lang: str, text: str = "") -> tuple[MusicSpec, dict, list[str]]:
    """Swap the source part (program or -1, role word's role, the user's word, where it stands) for the first
    target; 'the lead guitar' / 'the second violin' is that one part. With no source, a role word ('换成钢琴伴奏')
    picks the part, else the melody takes the instrument."""
    changes: dict = {}
    notes: list[str] = []
    src_role = None
    family: list[InstrumentSpec] = []
    if sources:
        program, word_role, word, at = sources[0]
        family = (_parts_for(spec, NamedInstrument(program, word, False, at), text)
                  if program >= 0 and not word_role else [])
        src_role = word_role or (family[0].role if family else None)
        if src_role == "drums":
            notes.append(note_text("drums_not_swappable", lang, instrument=instrument_label(targets[0].program, lang)))
            return spec, changes, notes
        if src_role in _HARMONY and not family:  # '伴奏换成钢琴': the accompaniment, however many parts play it
            return _give_role(spec, src_role, targets[0], lang)
        if src_role is None or not any(i.role == src_role for i in spec.instruments):
            notes.append(note_text("nothing_to_replace", lang, part=word))
            return spec, changes, notes
    explicit_role = next((r for r, _ in roles if r not in ("drums",)), None)
    if not src_role and explicit_role in _HARMONY:  # '换成钢琴伴奏' changes the accompaniment, never the tune
        return _give_role(spec, explicit_role, targets[0], lang)
    cousins = _same_family(spec, targets[0]) if not sources and explicit_role is None else []
    if cousins:  # "use a nylon guitar": the guitar the piece has changes its sound
        return _swap_into(spec, [(cousins[0].program, None, GM_PROGRAMS[cousins[0].program].lower(), -1)],
                          targets[:1], roles, lang)
    first = targets[0]
    role = src_role or ("bass" if first.program in _TRUE_BASS and explicit_role != "melody"
                        and any(i.role == "bass" for i in spec.instruments) else "melody")
    plan = [(role, first)] + [(p.role, first) for p in family if p.role != role]
    if not sources and len(targets) >= 2:  # "换成钢琴和大提琴": the second takes the accompaniment
        plan.append((_role_of_program(targets[1].program), targets[1]))
    swaps = []
    for r, t in dict.fromkeys(plan):
        if next((i.program for i in spec.instruments if i.role == r), None) == t.program:
            if t.substitute and substitution_note(t, lang) not in notes:
                notes.append(substitution_note(t, lang))  # '小提琴换成二胡': the erhu is that violin sound
            continue  # already so
        spec, swap = _swapped(spec, r, t, family)
        swaps.append(swap)
        if t.substitute and substitution_note(t, lang) not in notes:
            notes.append(substitution_note(t, lang))
    if swaps:
        changes["swap"] = swaps[0] if len(swaps) == 1 else swaps
    return spec, changes, notes


def _swapped(spec: MusicSpec, role: str, target: NamedInstrument,
             family: list[InstrumentSpec]) -> tuple[MusicSpec, dict]:
    """The spec and the swap for one role. When the role is shared with a part the user did not name (a piano
    added beside the quartet's viola, both accompanying), the swap names the part ('from') so only it
    changes: 'actually no piano, a flute' leaves the viola a viola."""
    named = [p for p in family if p.role == role]
    others = [i for i in spec.instruments if i.role == role and not i.is_drum and i not in named]
    swap = {"role": role, "program": target.program, "name": GM_PROGRAMS[target.program]}
    if not (named and others) or any(o.program == named[0].program for o in others):
        return spec.with_(instruments=_with_instrument(spec, role, target.program)), swap
    old = named[0]
    swap["from"] = GM_PROGRAMS[old.program].lower()
    new = InstrumentSpec(GM_PROGRAMS[target.program], target.program, role)
    return spec.with_(instruments=[new if i is old else i for i in spec.instruments]), swap


def _parts_for(spec: MusicSpec, item: NamedInstrument, text: str = "") -> list[InstrumentSpec]:
    """The parts a mention names; a word that is also a role ('the pad', 'the bass') names whoever plays it, and
    a word before it picks one of several ('the lead guitar', 'the second violin', '第一小提琴')."""
    hit = parts_named(spec.instruments, item.program, item.word)
    role = _ROLE_WORDS.get(item.word)
    hit = hit or ([i for i in spec.instruments if i.role == role and not i.is_drum] if role else [])
    return _one_of_several(hit, _qualifier(text, item.start)) if len(hit) > 1 else hit


# 'the lead guitar', 'the second violin', '第二小提琴', '节奏吉他': which of several parts of one instrument
_QUALIFIER = re.compile(r"(?:\b(?P<en>lead|first|1st|main|top|solo|second|2nd|rhythm|backing|other|third|3rd)\s+|"
                        r"(?P<zh>第一|第二|第三|主音|节奏|伴奏|主)\s*)$")
_QUALIFIER_RANK = {"lead": 0, "first": 0, "1st": 0, "main": 0, "top": 0, "solo": 0, "第一": 0, "主音": 0, "主": 0,
                   "second": 1, "2nd": 1, "第二": 1, "rhythm": 1, "backing": 1, "other": 1, "节奏": 1, "伴奏": 1,
                   "third": 2, "3rd": 2, "第三": 2}


def _qualifier(text: str, start: int) -> int | None:
    """The rank a word before a mention asks for: 0 the lead (first), 1 the second or rhythm part, 2 the third."""
    m = _QUALIFIER.search(text[max(0, start - 12):start]) if text and start > 0 else None
    return _QUALIFIER_RANK[m.group("en") or m.group("zh")] if m else None


def _one_of_several(parts: list[InstrumentSpec], rank: int | None) -> list[InstrumentSpec]:
    """The one part a rank picks, the one with the tune first; every part when no rank is given."""
    if rank is None:
        return parts
    ordered = sorted(parts, key=lambda i: i.role != "melody")
    return [ordered[min(rank, len(ordered) - 1)]]


def _keep_only(spec: MusicSpec, named: list[NamedInstrument], roles: list[tuple[str, int]],
               lang: str, tune_refused: bool = False) -> tuple[MusicSpec, dict, list[str]]:
    """"Everything except the piano", "只留钢琴", "只保留吉他和鼓": the named parts stay (a plain 'guitar' is every
    guitar), the rest go; the tune is never lost, unless the user refused it ('no melody, just drums and
    bass': the bass keeps playing the bass line)."""
    changes: dict = {}
    notes: list[str] = []
    chosen = [p for x in named for p in _parts_for(spec, x)]
    found_bass = any(x.program in BASS_PROGRAMS and _parts_for(spec, x) for x in named)
    wanted_roles = {r for r, _ in roles} - ({"bass"} if found_bass else set())
    kept = [i for i in spec.instruments if (not i.is_drum and i in chosen) or i.role in wanted_roles]
    if not kept:
        word = named[0].word if named else roles[0][0]
        notes.append(note_text("nothing_to_replace", lang, part=word))
        return spec, changes, notes
    if not tune_refused and not any(i.role == "melody" for i in kept):
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


def volume_change(n, a, spec: MusicSpec, text: str, toks) -> dict | None:
    """"Make the strings quieter" / "鼓声小一点": {part, db}, or {part: None, word} when the part isn't there.

    Only when a part is named: "quieter" alone stays a mood nudge (calmer). A mix complaint that names two
    parts moves the one it blames ('the guitar is drowning out the violin': the guitar comes down), and
    'the bass softer and the cello louder' is read clause by clause (the first part named is moved).
    """
    named = list(a.instruments.named) + list(a.instruments.excluded)
    if _REMOVE_VERB.search(text):
        return None  # "too much, remove the guitar and the strings": a removal, not a balance
    loud = too_loud_part(text, sorted(named, key=lambda x: x.start))
    if loud is not None:
        return _named_volume(spec, loud, -6.0, text)
    over = mix_complaint_at(text)
    loud_role = next((r for r, at in role_words(text, toks) if over is not None and at < over), None)
    if loud_role is not None:  # "the drums are drowning out the melody"
        present = spec.drums if loud_role == "drums" else any(i.role == loud_role for i in spec.instruments)
        return {"part": loud_role, "db": -6.0} if present else {"part": None, "word": loud_role}
    down, up = _volume_direction(text)
    if down and up:
        return _clause_volume(spec, text, named)
    if not (down or up):
        return None
    roles = [r for r, _ in role_words(text, toks)]
    if a.drums is not None and "drums" not in roles:
        roles.append("drums")
    if not named and not roles:
        return None
    much = re.search(r"\b(much|a lot|way|far|really)\b|很多|非常|太", text)
    more_of = bool(up) and bool(re.search(r"\bmore\b|再加|多一点|多点|多一些", text))  # "more strings"
    db = (10.0 if much else 6.0) * (1 if up else -1)
    if named:
        change = _named_volume(spec, named[0], db, text)
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


def _volume_direction(text: str) -> tuple[bool, bool]:
    """(quieter asked, louder asked). A complaint ('吉他太大声了', '鼓声音太小') says one direction even when
    its words also hold a cue of the other ('太大声' holds '大声')."""
    complaint = loudness_complaint(text)
    if complaint:
        return complaint < 0, complaint > 0
    return bool(cue("volume_down", text)), bool(cue("volume_up", text) or asks_for_more(text))


def _named_volume(spec: MusicSpec, item: NamedInstrument, db: float, text: str = "") -> dict:
    """The volume change for one named part, or {part: None, word} when the piece has no such part.

    'The guitar' is the first guitar part (the others stay); 'the guitars' / 'all the guitars' move every
    one (the rest ride in ``also``); 'the first violin' moves that violin only, by its role when the other
    violin shares its program.
    """
    hit = _parts_for(spec, item, text)
    if not hit:
        return {"part": None, "word": item.word}
    if not _every_one(text, item):
        part = hit[0]
        twin = any(i.program == part.program and i is not part and not i.is_drum for i in spec.instruments)
        if twin and _qualifier(text, item.start) is not None:
            return {"part": part.role, "db": db}
        return {"part": part.role, "program": part.program, "db": db}  # that part, not every part of its role
    programs = list(dict.fromkeys(p.program for p in hit))  # one move per program: it turns each such track
    moves = [{"part": next(p.role for p in hit if p.program == prog), "program": prog, "db": db} for prog in programs]
    return {**moves[0], "also": moves[1:]} if len(moves) > 1 else moves[0]


def _every_one(text: str, item: NamedInstrument) -> bool:
    """'The guitars', 'all the guitars', 'both guitars', '所有吉他': every part the word names."""
    end = item.start + len(item.word)
    plural = item.word.isascii() and re.match(r"e?s\b", text[end:end + 3]) is not None
    return plural or re.search(r"\b(?:all(?: of)?(?: the)?|both(?: the)?|every)\s*$|(?:所有|全部|两把|两个)(?:的)?$",
                               text[max(0, item.start - 12):item.start]) is not None


def _clause_volume(spec: MusicSpec, text: str, named: list[NamedInstrument]) -> dict | None:
    """'Could the bass be a little softer and the cello a bit louder?': the first clause that names a part
    and one direction decides (one volume change per message)."""
    cuts = [0] + [m.end() for m in re.finditer(r",|，|;|；|\bbut\b|\band\b|但是?|而且?|同时", text)] + [len(text)]
    found: list[dict] = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        clause = text[lo:hi]
        down, up = _volume_direction(clause)
        item = next((x for x in sorted(named, key=lambda x: x.start) if lo <= x.start < hi), None)
        if item is not None and bool(down) != bool(up):
            much = re.search(r"\b(much|a lot|way|far|really)\b|很多|非常|太", clause)
            found.append(_named_volume(spec, item, (10.0 if much else 6.0) * (1 if up else -1), text))
    if not found:
        return None
    first, rest = found[0], [f for f in found[1:] if f.get("part")]
    return {**first, "also": rest} if rest else first  # each clause moves its own part
